namespace HotTopics.Harvesting.Sources;

/// <summary>A feature that defines sources in configuration (the arXiv defaults, configured feeds).</summary>
public interface IConfiguredSources
{
    IEnumerable<SourceDefinition> Definitions();
}

/// <summary>
/// Writes the sources configuration defines into the table on start (server) or before a verb (CLI). For those
/// rows configuration wins for the definition (url, settings, schedule, enabled); cursors and state are kept.
/// A configured source that configuration no longer defines is disabled, not deleted: its items and history stay.
/// </summary>
public sealed class SourceSeeder(SourceStore store, IEnumerable<IConfiguredSources> configured)
{
    public async Task SeedAsync(CancellationToken ct)
    {
        var definitions = configured.SelectMany(c => c.Definitions()).ToList();
        foreach (var definition in definitions) await store.SaveAsync(definition, fromConfig: true, ct);
        await store.DisableConfiguredExceptAsync([.. definitions.Select(d => d.Name)], ct);
    }
}

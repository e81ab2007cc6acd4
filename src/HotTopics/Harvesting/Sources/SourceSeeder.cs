namespace HotTopics.Harvesting.Sources;

/// <summary>A feature that defines sources in configuration (the arXiv defaults, configured feeds).</summary>
public interface IConfiguredSources
{
    IEnumerable<SourceDefinition> Definitions();
}

/// <summary>
/// Writes the sources configuration defines into the table on start (server) or before a verb (CLI). For those
/// rows configuration wins for the definition (url, settings, schedule, enabled); cursors and state are kept.
/// </summary>
public sealed class SourceSeeder(SourceStore store, IEnumerable<IConfiguredSources> configured)
{
    public async Task SeedAsync(CancellationToken ct)
    {
        foreach (var definition in configured.SelectMany(c => c.Definitions()))
            await store.SaveAsync(definition, fromConfig: true, ct);
    }
}

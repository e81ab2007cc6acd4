using System.Text.Json;
using HotTopics.Harvesting.Sources;
using Microsoft.Extensions.Options;

namespace HotTopics.Harvesting.Arxiv;

/// <summary>
/// The arXiv sources configuration defines: one OAI-PMH source per archive of the configured categories
/// (<c>arxiv-oai-cs</c>, <c>arxiv-oai-eess</c>, <c>arxiv-oai-stat</c>: OAI sets are archives), one RSS source for all
/// categories (<c>arxiv-rss</c>) and the Atom API source for backfills (<c>arxiv-api</c>).
/// </summary>
public sealed class ArxivSources(IOptions<ArxivOptions> options) : IConfiguredSources
{
    public const string OaiPrefix = "arxiv-oai-";
    public const string RssName = "arxiv-rss";
    public const string ApiName = "arxiv-api";

    public IEnumerable<SourceDefinition> Definitions()
    {
        var o = options.Value;
        foreach (var archive in o.Followed.Select(Archive).Distinct(StringComparer.Ordinal))
        {
            yield return new SourceDefinition
            {
                Name = OaiPrefix + archive,
                Kind = SourceKind.ArxivOai,
                Url = o.OaiBaseUrl,
                Settings = Json(new ArxivSettings { Set = archive, Categories = [.. o.Followed], MetadataPrefix = o.MetadataPrefix }),
                Enabled = o.OaiEnabled,
                Schedule = Blank(o.OaiSchedule),
            };
        }
        yield return new SourceDefinition
        {
            Name = RssName,
            Kind = SourceKind.ArxivRss,
            Url = o.RssBaseUrl.TrimEnd('/') + "/" + string.Join('+', o.Followed),
            Settings = Json(new ArxivSettings { Categories = [.. o.Followed] }),
            Enabled = o.RssEnabled,
            Schedule = Blank(o.RssSchedule),
        };
        yield return new SourceDefinition
        {
            Name = ApiName,
            Kind = SourceKind.ArxivApi,
            Url = o.ApiBaseUrl,
            Settings = Json(new ArxivSettings { Categories = [.. o.Followed] }),
            Enabled = o.ApiEnabled,
            Schedule = Blank(o.ApiSchedule),
        };
    }

    /// <summary>The archive of a category: cs.LG → cs, eess.AS → eess, hep-th → hep-th.</summary>
    public static string Archive(string category)
    {
        var dot = category.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? category : category[..dot];
    }

    private static string? Blank(string? schedule) => string.IsNullOrWhiteSpace(schedule) ? null : schedule.Trim();

    private static string Json(ArxivSettings settings) => JsonSerializer.Serialize(settings, SourceJson.Options);
}

/// <summary>The settings of an arXiv source (the <c>settings</c> column).</summary>
public sealed class ArxivSettings
{
    /// <summary>OAI-PMH set (an archive such as cs).</summary>
    public string? Set { get; init; }
    public string[] Categories { get; init; } = [];
    public string? MetadataPrefix { get; init; }

    /// <summary>Whether a paper with these categories is one we follow.</summary>
    public bool Wants(IReadOnlyList<string> categories) =>
        Categories.Length == 0 || categories.Any(c => Categories.Contains(c, StringComparer.OrdinalIgnoreCase));

    public static ArxivSettings Of(Source source) =>
        JsonSerializer.Deserialize<ArxivSettings>(string.IsNullOrWhiteSpace(source.Settings) ? "{}" : source.Settings, SourceJson.Options) ?? new ArxivSettings();
}

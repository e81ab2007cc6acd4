using HotTopics.Harvesting.Sources;
using Microsoft.Extensions.Options;

namespace HotTopics.Harvesting.Arxiv;

/// <summary>
/// The daily announcements, the fast path for "new today": one conditional GET of the combined feed
/// (304 = nothing new); new and cross-listed papers are added, replacements bump the stored version.
/// </summary>
public sealed class ArxivRssHarvester(PoliteHttp http, IOptions<ArxivOptions> options, IOptions<HarvestingOptions> harvesting) : ISourceHarvester
{
    public string Kind => SourceKind.ArxivRss;

    public async Task HarvestAsync(HarvestContext context, CancellationToken ct)
    {
        var response = await http.GetAsync(new FetchRequest
        {
            Url = new Uri(context.Source.Url),
            Accept = "application/rss+xml, application/xml",
            ETag = context.ETag,
            LastModified = context.LastModified,
            MinInterval = options.Value.Delay,
        }, ct);
        if (response.NotModified)
        {
            context.Report("not modified since the last harvest");
            return;
        }
        var settings = ArxivSettings.Of(context.Source);
        using var body = response.OpenBody();
        var announcements = ArxivRss.Parse(body, context.Source.Name, harvesting.Value.MaxXmlCharacters);
        var papers = announcements.Select(a => a.Paper).Where(p => settings.Wants(p.Categories)).ToList();
        await context.CommitPageAsync(new SourcePage { Records = papers, ETag = response.ETag, LastModified = response.LastModified }, ct);
        context.Report($"{announcements.Count(a => a.AnnounceType == "new")} new, {announcements.Count(a => a.AnnounceType == "cross")} cross-listed, "
            + $"{announcements.Count(a => a.AnnounceType.StartsWith("replace", StringComparison.Ordinal))} replaced");
    }
}

using System.Globalization;
using HotTopics.Harvesting.Arxiv;
using HotTopics.Harvesting.Html;
using HotTopics.Harvesting.Sources;
using HotTopics.Items;
using HotTopics.Jobs;
using Microsoft.Extensions.Options;

namespace HotTopics.Harvesting.Feeds;

/// <summary>
/// Harvests a blog or news feed (kind <c>feed</c>): a conditional GET through <see cref="PoliteHttp"/> (304 is a
/// success with nothing new; a permanent redirect moves the source), the lenient <see cref="FeedParser"/>, one item
/// per post (canonical URL), links from posts to the papers they name (papers not stored yet are fetched by id from
/// the arXiv API in the same run), all in one page transaction. Scheduled runs before the feed's adaptive due time
/// (<see cref="DueAt"/>) do not start at all.
/// </summary>
public sealed class FeedHarvester(
    PoliteHttp http, ArxivApiClient arxiv, ItemLinkStore links, IOptions<FeedOptions> options, TimeProvider time) : ISourceHarvester
{
    public const string Accept = "application/atom+xml, application/rss+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";

    public string Kind => SourceKind.Feed;

    /// <summary>Scheduled ticks before the feed's adaptive interval has passed fetch nothing and record no run.</summary>
    public DateTimeOffset? DueAt(Source source) => FeedCursor.Read(source.Cursor).DueAt is { } due ? ItemDates.Parse(due) : null;

    public async Task HarvestAsync(HarvestContext context, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var cursor = FeedCursor.Read(context.Cursor);
        var previous = TimeSpan.FromMinutes(cursor.IntervalMinutes);
        var response = await http.GetAsync(new FetchRequest
        {
            Url = new Uri(context.Source.Url),
            Accept = Accept,
            ETag = context.ETag,
            LastModified = context.LastModified,
        }, ct);
        if (response.PermanentRedirect) context.MovedTo = response.FinalUrl;
        if (response.NotModified)
        {
            var quiet = FeedPolling.NextInterval([], sawNew: false, previous, options.Value);
            await context.CommitPageAsync(new SourcePage { Cursor = FeedPolling.After(now, quiet, cursor.Newest).Write() }, ct);
            context.Report("not modified since the last harvest");
            return;
        }

        var feed = FeedParser.Parse(response.Body, response.ContentType, response.FinalUrl);
        if (!feed.Succeeded) throw new HarvestException($"{response.FinalUrl}: {feed.Error}");
        if (feed.Recovered) context.Report("read leniently: " + string.Join("; ", feed.Problems));

        var items = await WithPagesAsync(FeedItems.From(feed, context.Source.Name, response.FinalUrl, now, options.Value.MaxSummaryCharacters), feed, context, ct);
        var papers = await MissingPapersAsync(items, context, ct);
        var posts = items.Where(i => i.Record.Kind == ItemKind.Post).ToDictionary(i => i.Record.Key, StringComparer.Ordinal);
        var entryDates = feed.Entries.Select(e => e.Published?.Value ?? e.Updated?.Value).OfType<DateTimeOffset>().ToList();
        var newest = entryDates.Count > 0 ? ItemDates.Format(entryDates.Max()) : cursor.Newest;
        var sawNew = newest is not null && (cursor.Newest is null || string.CompareOrdinal(newest, cursor.Newest) > 0);
        var interval = FeedPolling.NextInterval(entryDates, sawNew, previous, options.Value);
        await context.CommitPageAsync(new SourcePage
        {
            Records = [.. papers, .. items.Select(i => i.Record)],
            Cursor = FeedPolling.After(now, interval, newest).Write(),
            ETag = response.ETag,
            LastModified = response.LastModified,
            AlsoWrite = (connection, tx, stored) => links.Write(connection, tx, stored
                .Where(s => posts.ContainsKey(s.Record.Key))
                .Select(s => (Item: posts[s.Record.Key], s.ItemId))
                .Select(p => new ItemLinkStore.PostFacts(p.ItemId, p.Item.Record.Title, p.Item.Record.Url, p.Item.Record.Published, p.Item.Mentions, p.Item.Html))),
        }, ct);
        context.Report($"{feed.Entries.Count} entries, {papers.Count} papers fetched from arXiv for the links");
    }

    /// <summary>
    /// New posts whose entry had no summary: their pages' metadata fills it in (at most Feeds:MaxPageFetchesPerRun
    /// pages per run). A page that cannot be fetched leaves the post as the feed gave it.
    /// </summary>
    private async Task<IReadOnlyList<FeedItem>> WithPagesAsync(IReadOnlyList<FeedItem> items, ParsedFeed feed, HarvestContext context, CancellationToken ct)
    {
        var bare = items.Where(i => i.Record.Kind == ItemKind.Post && i.Record.Summary.Length == 0 && i.Record.Url is not null).ToList();
        if (bare.Count == 0 || options.Value.MaxPageFetchesPerRun == 0) return items;
        var fresh = (await links.MissingKeysAsync([.. bare.Select(i => i.Record.Key)], ct)).Take(options.Value.MaxPageFetchesPerRun).ToHashSet(StringComparer.Ordinal);
        var dated = feed.Entries.Where(e => e.Published is { Value: not null } || e.Updated is { Value: not null })
            .Select(e => CanonicalUrl.Normalize(e.Link)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var result = new List<FeedItem>(items.Count);
        foreach (var item in items)
        {
            if (!fresh.Contains(item.Record.Key))
            {
                result.Add(item);
                continue;
            }
            try
            {
                var page = await http.GetAsync(new FetchRequest { Url = new Uri(item.Record.Url!), Accept = "text/html, application/xhtml+xml" }, ct);
                var metadata = PageMetadataReader.Read(page.Body, page.ContentType, page.FinalUrl);
                result.Add(FeedItems.WithPage(item, metadata, dated.Contains(item.Record.Key), options.Value.MaxSummaryCharacters));
            }
            catch (FetchException ex)
            {
                context.Report($"{item.Record.Url}: page not read ({ex.Message})");
                result.Add(item);
            }
        }
        return result;
    }

    /// <summary>
    /// The papers posts name that are not stored yet, from the arXiv API. If arXiv cannot be reached the posts are
    /// stored anyway with their links; the papers come with a later run (or an arXiv harvest).
    /// </summary>
    private async Task<IReadOnlyList<ItemRecord>> MissingPapersAsync(IReadOnlyList<FeedItem> items, HarvestContext context, CancellationToken ct)
    {
        var named = items.SelectMany(i => i.Mentions.Arxiv).DistinctBy(a => a.Id).ToList();
        var missing = await links.MissingPapersAsync(named, ct);
        if (missing.Count == 0) return [];
        try
        {
            return await arxiv.GetByIdsAsync(missing.Select(m => new ArxivId(m.Id, null)), ct);
        }
        catch (Exception ex) when (ex is FetchException or ArxivApiException or MalformedXmlException)
        {
            context.Report($"could not fetch {missing.Count} linked papers from arXiv ({ex.Message}); the links are kept");
            return [];
        }
    }
}

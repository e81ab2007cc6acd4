using HotTopics.Harvesting.Html;
using HotTopics.Items;

namespace HotTopics.Harvesting.Feeds;

/// <summary>One feed entry as we store it: the item record, the papers it names, its sanitised body.</summary>
public sealed record FeedItem(ItemRecord Record, PaperMentions Mentions, string? Html);

/// <summary>
/// Feed entries into item records. A post's identity is its canonical URL (so the same post from two feeds, one
/// with ?utm_source=rss, is one item); an entry that is an arXiv abstract page (Hugging Face daily papers) is the
/// paper itself. Titles and summaries are stored as text; the body as sanitised HTML.
/// </summary>
public static class FeedItems
{
    public static IReadOnlyList<FeedItem> From(ParsedFeed feed, string sourceName, Uri feedUrl, DateTimeOffset now, int maxSummary)
    {
        var items = new List<FeedItem>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in feed.Entries)
        {
            if (From(entry, sourceName, feedUrl, now, maxSummary) is { } item && keys.Add(item.Record.Key)) items.Add(item);
        }
        return items;
    }

    private static FeedItem? From(FeedEntry entry, string sourceName, Uri feedUrl, DateTimeOffset now, int maxSummary)
    {
        var link = entry.Link ?? (entry.Id is { } id && IsHttp(id) ? id : null);
        var canonical = CanonicalUrl.Normalize(link);
        var key = canonical ?? (entry.Id is { Length: > 0 } guid ? "entry:" + guid : null);
        if (key is null) return null;

        var title = Text(entry.Title);
        var body = entry.Body;
        var summaryText = Text(entry.Summary) is { Length: > 0 } s ? s : Text(body);
        if (title.Length == 0) title = Shorten(summaryText, 120);
        if (title.Length == 0) title = canonical ?? key;
        var baseUri = body?.Base is { } b && Uri.TryCreate(b, UriKind.Absolute, out var bu) ? bu : feedUrl;
        var html = body is { IsHtml: true } ? HtmlSanitizer.Sanitize(body.Value, baseUri) : null;

        var mentionText = string.Join('\n', [title, entry.Summary?.Value ?? "", .. entry.Content.Select(c => c.Value), link ?? ""]);
        var mentions = PaperMentions.Find(mentionText);
        var published = entry.Published?.Value ?? entry.Updated?.Value ?? now;
        var updated = entry.Updated?.Value is { } u && u > published ? u : (DateTimeOffset?)null;
        var authors = entry.Authors.Select(a => a.Name ?? a.Email ?? "").Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();

        // An entry that is an arXiv abstract page is the paper, not a post about it.
        if (canonical is not null && PaperMentions.Find(canonical).Arxiv is [var paperId] && canonical.Contains("arxiv.org/abs/", StringComparison.OrdinalIgnoreCase))
        {
            var paper = new ItemRecord
            {
                Key = paperId.ItemKey,
                Kind = ItemKind.Paper,
                Title = title,
                Summary = Shorten(summaryText, 100_000),
                Authors = authors,
                ArxivId = paperId.Id,
                Version = paperId.Version,
                Url = "https://arxiv.org/abs/" + paperId.Id,
                PdfUrl = "https://arxiv.org/pdf/" + paperId.Id,
                Source = sourceName,
                Published = published,
            };
            return new FeedItem(paper, new PaperMentions([], []), null);
        }

        var record = new ItemRecord
        {
            Key = key,
            Kind = ItemKind.Post,
            Title = title,
            Summary = Shorten(summaryText, maxSummary),
            Authors = authors,
            Url = CanonicalUrl.Clean(link) ?? link,
            Source = sourceName,
            Published = published,
            Updated = updated,
        };
        return new FeedItem(record, mentions, html);
    }

    /// <summary>
    /// A post completed from its page: what the entry lacked (summary, authors, date) comes from the page's metadata,
    /// and the papers the page names (citation_arxiv_id, citation_doi, links in the description) join the entry's.
    /// </summary>
    public static FeedItem WithPage(FeedItem item, PageMetadata page, bool entryHadDate, int maxSummary)
    {
        var r = item.Record;
        var record = new ItemRecord
        {
            Key = r.Key,
            Kind = r.Kind,
            Title = r.Title,
            Summary = r.Summary.Length > 0 ? r.Summary : Shorten(page.Description ?? "", maxSummary),
            Authors = r.Authors.Count > 0 ? r.Authors : page.Authors,
            Url = r.Url,
            Source = r.Source,
            Published = entryHadDate ? r.Published : page.Published ?? r.Published,
            Updated = r.Updated,
        };
        var fromPage = PaperMentions.Find(string.Join('\n', page.ArxivId is null ? "" : "arXiv:" + page.ArxivId, page.Doi ?? "", page.Description ?? ""));
        var mentions = new PaperMentions([.. item.Mentions.Arxiv.Concat(fromPage.Arxiv).DistinctBy(a => a.Id)], [.. item.Mentions.Dois.Concat(fromPage.Dois).Distinct(StringComparer.OrdinalIgnoreCase)]);
        return new FeedItem(record, mentions, item.Html);
    }

    private static bool IsHttp(string value) =>
        value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Text for titles and summaries. Plain text that still holds entities (feeds that escape twice write
    /// "&amp;amp;#8217;") is decoded once more: a title never means a literal "&amp;#8217;".
    /// </summary>
    private static string Text(FeedText? text)
    {
        if (text is null) return "";
        var value = text.IsHtml ? HtmlSanitizer.ToText(text.Value)
            : text.Value.Contains('&', StringComparison.Ordinal) ? System.Net.WebUtility.HtmlDecode(text.Value) : text.Value;
        return string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>At most <paramref name="max"/> characters, cut at a word boundary with an ellipsis.</summary>
    private static string Shorten(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = text.LastIndexOf(' ', max - 1);
        return (cut > max / 2 ? text[..cut] : text[..(max - 1)]) + "…";
    }
}

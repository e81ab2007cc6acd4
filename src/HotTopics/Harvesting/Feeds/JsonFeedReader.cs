using System.Text.Json;

namespace HotTopics.Harvesting.Feeds;

/// <summary>
/// JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1), plus the one JSON list organizers follow that is not a
/// JSON Feed: Hugging Face's daily papers API (an array of {paper: {id, title, summary, authors, publishedAt}}),
/// read as entries linking to the papers' arXiv pages.
/// </summary>
internal static class JsonFeedReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static ParsedFeed Read(string text, string encoding, List<string> problems, Uri? location)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Options);
        }
        catch (JsonException e)
        {
            return ParsedFeed.Failed("not valid JSON: " + e.Message, encoding, problems);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array) return DailyPapers(root, encoding, problems);
            if (root.ValueKind != JsonValueKind.Object || Str(root, "version") is not { } version
                || !version.StartsWith("https://jsonfeed.org/version/", StringComparison.OrdinalIgnoreCase))
            {
                return ParsedFeed.Failed("JSON, but not a JSON Feed (no https://jsonfeed.org/version/ in \"version\")", encoding, problems);
            }
            var baseUri = Str(root, "feed_url") is { } feedUrl ? FeedParser.CombineBase(location, feedUrl) : location;
            var header = new FeedHeader
            {
                Title = Str(root, "title") is { } t ? new FeedText(t, FeedText.Plain) : null,
                Subtitle = Str(root, "description") is { } d ? new FeedText(d, FeedText.Plain) : null,
                Language = Str(root, "language"),
                Icon = Str(root, "icon"),
            };
            if (Str(root, "home_page_url") is { } home) header.Links.Add(new FeedLink(FeedParser.Resolve(home, baseUri), "alternate", FeedText.Html));
            if (Str(root, "feed_url") is { } self) header.Links.Add(new FeedLink(FeedParser.Resolve(self, baseUri), "self", "application/feed+json"));
            header.Authors.AddRange(People(root));
            var entries = new List<FeedEntry>();
            if (root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object) entries.Add(Entry(item, baseUri));
                }
            }
            return new ParsedFeed
            {
                Format = version.EndsWith("1.1", StringComparison.Ordinal) ? "json11" : "json1",
                Encoding = encoding,
                Recovered = problems.Count > 0,
                Problems = problems,
                Header = header,
                Entries = entries,
            };
        }
    }

    private static FeedEntry Entry(JsonElement item, Uri? baseUri)
    {
        var entry = new FeedEntry
        {
            Id = Str(item, "id"),
            Title = Str(item, "title") is { } t ? new FeedText(t, FeedText.Plain) : null,
            Summary = Str(item, "summary") is { } s ? new FeedText(s, FeedText.Plain) : null,
            Published = Str(item, "date_published") is { } p ? new FeedDate(p, FeedDates.Parse(p)) : null,
            Updated = Str(item, "date_modified") is { } m ? new FeedDate(m, FeedDates.Parse(m)) : null,
        };
        if (Str(item, "content_html") is { } html) entry.Content.Add(new FeedText(html, FeedText.Html));
        if (Str(item, "content_text") is { } text) entry.Content.Add(new FeedText(text, FeedText.Plain));
        if (Str(item, "url") is { } url) entry.Links.Add(new FeedLink(FeedParser.Resolve(url, baseUri), "alternate", FeedText.Html));
        if (Str(item, "external_url") is { } external) entry.Links.Add(new FeedLink(FeedParser.Resolve(external, baseUri), "related"));
        entry.Authors.AddRange(People(item));
        if (item.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array)
        {
            foreach (var tag in tags.EnumerateArray())
            {
                if (tag.ValueKind == JsonValueKind.String && tag.GetString() is { Length: > 0 } term) entry.Categories.Add(new FeedCategory(term));
            }
        }
        if (item.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in attachments.EnumerateArray())
            {
                if (a.ValueKind != JsonValueKind.Object || Str(a, "url") is not { } href) continue;
                var resolved = FeedParser.Resolve(href, baseUri);
                var length = a.TryGetProperty("size_in_bytes", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetRawText() : null;
                entry.Enclosures.Add(new FeedEnclosure(resolved, Str(a, "mime_type"), length));
                entry.Links.Add(new FeedLink(resolved, "enclosure", Str(a, "mime_type"), Str(a, "title"), length));
            }
        }
        return entry;
    }

    /// <summary>1.1's "authors" array, or 1.0's single "author".</summary>
    private static IEnumerable<FeedPerson> People(JsonElement e)
    {
        if (e.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in authors.EnumerateArray())
            {
                if (Person(a) is { } p) yield return p;
            }
        }
        else if (e.TryGetProperty("author", out var author) && Person(author) is { } p) yield return p;
    }

    private static FeedPerson? Person(JsonElement a) =>
        a.ValueKind == JsonValueKind.Object && (Str(a, "name") ?? Str(a, "url")) is not null ? new FeedPerson(Str(a, "name"), null, Str(a, "url")) : null;

    private static ParsedFeed DailyPapers(JsonElement root, string encoding, List<string> problems)
    {
        var entries = new List<FeedEntry>();
        foreach (var element in root.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object) continue;
            var paper = element.TryGetProperty("paper", out var p) && p.ValueKind == JsonValueKind.Object ? p : element;
            if (Str(paper, "id") is not { } id || Str(paper, "title") is not { } title) continue;
            var entry = new FeedEntry
            {
                Id = id,
                Title = new FeedText(title.Trim(), FeedText.Plain),
                Summary = Str(paper, "summary") is { } summary ? new FeedText(summary.Trim(), FeedText.Plain) : null,
                Published = Str(paper, "publishedAt") is { } published ? new FeedDate(published, FeedDates.Parse(published)) : null,
            };
            entry.Links.Add(new FeedLink("https://arxiv.org/abs/" + id, "alternate", FeedText.Html));
            if (paper.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array)
            {
                foreach (var a in authors.EnumerateArray())
                {
                    if (a.ValueKind == JsonValueKind.Object && Str(a, "name") is { } name) entry.Authors.Add(new FeedPerson(name));
                }
            }
            entries.Add(entry);
        }
        if (entries.Count == 0) return ParsedFeed.Failed("JSON, but neither a JSON Feed nor a list of papers", encoding, problems);
        return new ParsedFeed { Format = "hf-daily-papers", Encoding = encoding, Problems = problems, Recovered = problems.Count > 0, Entries = entries };
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
}

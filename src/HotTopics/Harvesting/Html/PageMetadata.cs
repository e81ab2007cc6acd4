using System.Net;
using System.Text.Json;
using HotTopics.Harvesting.Feeds;
using HotTopics.Items;
using HtmlAgilityPack;

namespace HotTopics.Harvesting.Html;

/// <summary>What a web page says about itself: used for posts without a summary and for submitted links.</summary>
public sealed class PageMetadata
{
    public string? Title { get; init; }
    public IReadOnlyList<string> Authors { get; init; } = [];
    /// <summary>The authors as the page writes them ("By Jane Doe and John Roe"); joined names when only a list is known.</summary>
    public string? Byline { get; init; }
    public DateTimeOffset? Published { get; init; }
    public string? Description { get; init; }
    public string? SiteName { get; init; }
    public string? CanonicalUrl { get; init; }
    public string? Language { get; init; }
    public string? ArxivId { get; init; }
    public string? Doi { get; init; }
    public string? PdfUrl { get; init; }
}

/// <summary>
/// Reads <see cref="PageMetadata"/> with HtmlAgilityPack. Each field comes from the most trustworthy place that has
/// it: Highwire citation_* tags (what arXiv and journals emit for Google Scholar), then Open Graph / article:*,
/// Twitter cards, JSON-LD (schema.org Article), Dublin Core and plain meta tags, and only then the document itself
/// (&lt;title&gt;, h1, &lt;time&gt;, a byline element, the first paragraph).
/// </summary>
public static class PageMetadataReader
{
    public static PageMetadata Read(ReadOnlySpan<byte> body, string? contentType, Uri? location)
    {
        var text = FeedDecoder.Decode(body, contentType).Text;
        var document = new HtmlDocument();
        document.LoadHtml(text);
        return Read(document, location);
    }

    public static PageMetadata Read(HtmlDocument document, Uri? location)
    {
        var nodes = PageNodes.Collect(document);
        var meta = MetaTags(nodes);
        var jsonLd = JsonLd.Find(nodes);
        var baseUri = HtmlBase.Of(nodes, location);

        var siteName = First(meta, "og.site_name", "application-name") ?? jsonLd?.Publisher;
        var title = First(meta, "citation_title", "og.title", "twitter.title") ?? jsonLd?.Headline
            ?? First(meta, "dc.title", "dcterms.title", "title") ?? DocumentTitle(nodes);

        var authors = All(meta, "citation_author");
        if (authors.Count == 0) authors = [.. All(meta, "article.author").Where(a => !IsUrl(a))];
        if (authors.Count == 0 && jsonLd is not null) authors = jsonLd.Authors;
        if (authors.Count == 0 && First(meta, "dc.creator", "dcterms.creator", "author", "parsely-author", "sailthru.author") is { } metaAuthor) authors = [metaAuthor];
        var byline = authors.Count > 0 ? string.Join(", ", authors) : BylineElement(nodes);
        if (authors.Count == 0 && byline is not null) authors = [byline];

        var published = Date(First(meta, "citation_publication_date", "citation_date", "citation_online_date"))
            ?? Date(First(meta, "article.published_time", "og.published_time")) ?? Date(jsonLd?.DatePublished)
            ?? Date(First(meta, "parsely-pub-date", "dc.date", "dcterms.date", "date", "pubdate", "sailthru.date"))
            ?? Date(TimeElement(nodes));

        var description = First(meta, "citation_abstract", "og.description", "twitter.description") ?? jsonLd?.Description
            ?? First(meta, "dc.description", "dcterms.description", "description") ?? FirstParagraph(nodes);

        var canonical = nodes.Links.FirstOrDefault(l => PageNodes.HasRel(l, "canonical"))?.GetAttributeValue("href", null) is { } linkHref
            ? WebUtility.HtmlDecode(linkHref)
            : First(meta, "og.url");
        var pdf = First(meta, "citation_pdf_url");
        var arxiv = First(meta, "citation_arxiv_id") is { } id && Items.ArxivId.TryParse(id, out var parsed) ? parsed.ToString() : null;
        arxiv ??= canonical is not null && PaperMentions.Find(canonical).Arxiv is [var fromUrl, ..] ? fromUrl.ToString() : null;
        var doi = First(meta, "citation_doi", "dc.identifier", "prism.doi") is { } d ? PaperMentions.FindDois(d).FirstOrDefault() : null;

        var htmlLang = nodes.HtmlLang is { } lang ? WebUtility.HtmlDecode(lang) : null;
        return new PageMetadata
        {
            Title = Clean(title),
            Authors = [.. authors.Select(Clean).OfType<string>().Distinct(StringComparer.Ordinal)],
            Byline = Clean(byline),
            Published = published,
            Description = Clean(description),
            SiteName = Clean(siteName),
            CanonicalUrl = canonical is null ? null : FeedParser.Resolve(canonical, baseUri),
            Language = Clean(htmlLang ?? First(meta, "citation_language", "og.locale", "dc.language", "content-language", "language")),
            ArxivId = arxiv,
            Doi = doi,
            PdfUrl = pdf is null ? null : FeedParser.Resolve(pdf, baseUri),
        };
    }

    /// <summary>meta name/property (lower case; several names in one attribute count for each) to contents, in document order.</summary>
    private static Dictionary<string, List<string>> MetaTags(PageNodes nodes)
    {
        var tags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var node in nodes.Meta)
        {
            var content = WebUtility.HtmlDecode(node.GetAttributeValue("content", "")).Trim();
            if (content.Length == 0) continue;
            var names = $"{node.GetAttributeValue("name", "")} {node.GetAttributeValue("property", "")} {node.GetAttributeValue("itemprop", "")} {node.GetAttributeValue("http-equiv", "")}";
            foreach (var name in names.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                // og:title, DC.title and dcterms:title alike: lower case, ':' as '.'.
                var key = name.ToLowerInvariant().Replace(':', '.');
                if (!tags.TryGetValue(key, out var list)) tags[key] = list = [];
                list.Add(content);
            }
        }
        return tags;
    }

    private static string? First(Dictionary<string, List<string>> meta, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (meta.TryGetValue(name, out var values)) return values[0];
        }
        return null;
    }

    private static List<string> All(Dictionary<string, List<string>> meta, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (meta.TryGetValue(name, out var values)) return values;
        }
        return [];
    }

    private static bool IsUrl(string value) => value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static DateTimeOffset? Date(string? value) => FeedDates.Parse(value?.Replace('/', '-'));

    private static readonly string[] TitleSeparators = [" | ", " – ", " — ", " - ", " » ", " :: ", " / "];

    /// <summary>The document title, without the site name a separator appends ("Post title | Site"), else the only h1.</summary>
    private static string? DocumentTitle(PageNodes nodes)
    {
        var title = Text(nodes.Title);
        var h1 = nodes.H1.Count == 1 ? Text(nodes.H1[0]) : null;
        if (title is null) return h1;
        foreach (var separator in TitleSeparators)
        {
            var at = title.LastIndexOf(separator, StringComparison.Ordinal);
            if (at <= 0) continue;
            var head = title[..at].Trim();
            // Keep the whole title when cutting would leave too little to be a title.
            if (head.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 3) return head;
            break;
        }
        return title;
    }

    private static string? BylineElement(PageNodes nodes)
    {
        var text = Text(nodes.Byline)?.Trim(' ', '-', '—', '–', '|', ',', '·');
        return text is { Length: > 0 and < 100 } ? text : null;
    }

    private static string? TimeElement(PageNodes nodes)
    {
        var node = nodes.Times.FirstOrDefault(t => t.Attributes["pubdate"] is not null || t.GetAttributeValue("itemprop", "") == "datePublished")
            ?? nodes.Times.FirstOrDefault();
        return node?.GetAttributeValue("datetime", null);
    }

    private static string? FirstParagraph(PageNodes nodes)
    {
        foreach (var p in nodes.ArticleParagraphs.Count > 0 ? nodes.ArticleParagraphs : nodes.Paragraphs)
        {
            if (Text(p) is { Length: >= 40 } text) return text;
        }
        return null;
    }

    /// <summary>An element's text: HtmlAgilityPack leaves entities encoded in InnerText, attribute values likewise.</summary>
    internal static string? Text(HtmlNode? node) => node is null ? null : Clean(WebUtility.HtmlDecode(node.InnerText));

    private static string? Clean(string? value)
    {
        if (value is null) return null;
        var collapsed = string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length == 0 ? null : collapsed;
    }

    /// <summary>The schema.org Article (or page) a page describes in JSON-LD.</summary>
    private sealed class JsonLd
    {
        public string? Headline { get; private set; }
        public List<string> Authors { get; } = [];
        public string? DatePublished { get; private set; }
        public string? Description { get; private set; }
        public string? Publisher { get; private set; }

        public static JsonLd? Find(PageNodes nodes)
        {
            foreach (var script in nodes.JsonLd)
            {
                try
                {
                    using var json = JsonDocument.Parse(script.InnerText, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 32 });
                    if (Article(json.RootElement) is { } article) return From(article);
                }
                catch (JsonException)
                {
                    // A broken JSON-LD block is common; the other sources still count.
                }
            }
            return null;
        }

        private static JsonElement? Article(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        if (Article(item) is { } found) return found;
                    }
                    return null;
                case JsonValueKind.Object:
                    if (e.TryGetProperty("@graph", out var graph) && Article(graph) is { } inGraph) return inGraph;
                    if (e.TryGetProperty("@type", out var type) && IsArticleType(type)) return e;
                    return null;
                default:
                    return null;
            }
        }

        private static bool IsArticleType(JsonElement type) => type.ValueKind switch
        {
            JsonValueKind.String => type.GetString() is { } t && (t.EndsWith("Article", StringComparison.Ordinal) || t is "BlogPosting" or "Report" or "ScholarlyArticle" or "WebPage" or "NewsArticle"),
            JsonValueKind.Array => type.EnumerateArray().Any(IsArticleType),
            _ => false,
        };

        private static JsonLd From(JsonElement e)
        {
            var result = new JsonLd
            {
                Headline = Str(e, "headline") ?? Str(e, "name"),
                DatePublished = Str(e, "datePublished"),
                Description = Str(e, "description"),
                Publisher = e.TryGetProperty("publisher", out var p) ? Name(p) : null,
            };
            if (e.TryGetProperty("author", out var author))
            {
                if (author.ValueKind == JsonValueKind.Array)
                {
                    foreach (var a in author.EnumerateArray())
                    {
                        if (Name(a) is { } n) result.Authors.Add(n);
                    }
                }
                else if (Name(author) is { } n) result.Authors.Add(n);
            }
            return result;
        }

        private static string? Name(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Object => Str(e, "name"),
            _ => null,
        };

        private static string? Str(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s.Trim() : null;
    }
}

/// <summary>The base URL links in a page resolve against: its &lt;base href&gt; (itself relative to the page URL), else the page URL.</summary>
internal static class HtmlBase
{
    public static Uri? Of(PageNodes nodes, Uri? location)
    {
        var href = nodes.Base?.GetAttributeValue("href", null);
        return FeedParser.CombineBase(location, href is null ? null : WebUtility.HtmlDecode(href));
    }
}

/// <summary>
/// The elements metadata and discovery read, collected in one walk over the document (XPath queries over
/// HtmlAgilityPack's tree cost a walk each).
/// </summary>
internal sealed class PageNodes
{
    public List<HtmlNode> Meta { get; } = [];
    public List<HtmlNode> Links { get; } = [];
    public List<HtmlNode> JsonLd { get; } = [];
    public List<HtmlNode> H1 { get; } = [];
    public List<HtmlNode> Times { get; } = [];
    public List<HtmlNode> Paragraphs { get; } = [];
    public List<HtmlNode> ArticleParagraphs { get; } = [];
    public HtmlNode? Title { get; private set; }
    public HtmlNode? Base { get; private set; }
    public HtmlNode? Byline { get; private set; }
    public string? HtmlLang { get; private set; }

    // The first paragraphs are enough for an excerpt.
    private const int MaxParagraphs = 64;

    public static PageNodes Collect(HtmlDocument document)
    {
        var nodes = new PageNodes();
        nodes.Walk(document.DocumentNode, inArticle: false);
        return nodes;
    }

    private void Walk(HtmlNode parent, bool inArticle)
    {
        foreach (var node in parent.ChildNodes)
        {
            if (node.NodeType != HtmlNodeType.Element) continue;
            var article = inArticle;
            switch (node.Name)
            {
                case "meta" when node.Attributes["content"] is not null: Meta.Add(node); break;
                case "link" when node.Attributes["href"] is not null: Links.Add(node); break;
                case "script" when node.GetAttributeValue("type", "").Equals("application/ld+json", StringComparison.OrdinalIgnoreCase): JsonLd.Add(node); break;
                case "title" when Title is null: Title = node; break;
                case "base" when Base is null && node.Attributes["href"] is not null: Base = node; break;
                case "html" when HtmlLang is null: HtmlLang = node.GetAttributeValue("lang", null); break;
                case "h1": H1.Add(node); break;
                case "time" when node.Attributes["datetime"] is not null: Times.Add(node); break;
                case "article": article = true; break;
                case "p":
                    if (Paragraphs.Count < MaxParagraphs) Paragraphs.Add(node);
                    if (inArticle && ArticleParagraphs.Count < MaxParagraphs) ArticleParagraphs.Add(node);
                    break;
            }
            if (Byline is null && IsByline(node)) Byline = node;
            if (node.Name is "script" or "style") continue;
            if (node.HasChildNodes) Walk(node, article);
        }
    }

    private static bool IsByline(HtmlNode node)
    {
        if (node.GetAttributeValue("rel", "") == "author" || node.GetAttributeValue("itemprop", "") == "author") return true;
        var classes = node.GetAttributeValue("class", "");
        return classes.Length > 0 && classes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(c => c is "byline" or "author");
    }

    /// <summary>The rel attribute holds this token (rel="canonical", rel="alternate nofollow").</summary>
    public static bool HasRel(HtmlNode link, string token) =>
        link.GetAttributeValue("rel", "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(r => r.Equals(token, StringComparison.OrdinalIgnoreCase));
}

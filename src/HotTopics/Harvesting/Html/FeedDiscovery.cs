using System.Net;
using HtmlAgilityPack;

namespace HotTopics.Harvesting.Html;

public sealed record DiscoveredFeed(string Url, string Type, string? Title);

/// <summary>
/// The feeds a page announces: &lt;link rel="alternate"&gt; with an RSS, Atom or JSON Feed type, resolved against
/// the page's &lt;base&gt; and URL. When a page announces none, <see cref="CommonPaths"/> are the places to try.
/// </summary>
public static class FeedDiscovery
{
    private static readonly Dictionary<string, string> FeedTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["application/rss+xml"] = "rss",
        ["application/atom+xml"] = "atom",
        ["application/rdf+xml"] = "rdf",
        ["application/feed+json"] = "json",
        ["application/json"] = "json",
        ["application/x.atom+xml"] = "atom",
        ["application/x-atom+xml"] = "atom",
        ["application/x-rss+xml"] = "rss",
        ["text/xml"] = "rss",
        ["application/xml"] = "rss",
    };

    public static IReadOnlyList<DiscoveredFeed> Find(HtmlDocument document, Uri pageUrl)
    {
        var nodes = PageNodes.Collect(document);
        var baseUri = HtmlBase.Of(nodes, pageUrl);
        var found = new List<DiscoveredFeed>();
        foreach (var link in nodes.Links.Where(l => l.Attributes["type"] is not null && PageNodes.HasRel(l, "alternate")))
        {
            var type = link.GetAttributeValue("type", "").Split(';')[0].Trim();
            if (!FeedTypes.TryGetValue(type, out var kind)) continue;
            var title = link.GetAttributeValue("title", null);
            // application/json alternates are feeds only when they say so (oEmbed and APIs use the same type).
            if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) && title?.Contains("feed", StringComparison.OrdinalIgnoreCase) != true) continue;
            var href = HtmlSanitizer.SafeUrl(WebUtility.HtmlDecode(link.GetAttributeValue("href", "")), baseUri, allowMailto: false);
            if (href is null || found.Any(f => f.Url == href)) continue;
            found.Add(new DiscoveredFeed(href, kind, title is null ? null : WebUtility.HtmlDecode(title).Trim()));
        }
        return found;
    }

    /// <summary>Where sites usually keep their feed, tried in this order when a page announces none.</summary>
    public static IReadOnlyList<Uri> CommonPaths(Uri site) => [.. UsualPaths.Select(p => new Uri(site, p))];

    private static readonly string[] UsualPaths = ["/feed", "/rss.xml", "/atom.xml", "/index.xml", "/feed.xml", "/rss", "/feed.json"];
}

using System.Xml.Linq;
using HotTopics.Items;

namespace HotTopics.Harvesting.Arxiv;

/// <summary>One announcement of the daily RSS feed.</summary>
public sealed record ArxivAnnouncement(string AnnounceType, ItemRecord Paper);

/// <summary>
/// Reads rss.arxiv.org feeds (the 2024 format): the guid carries id and version, <c>arxiv:announce_type</c> says
/// new, cross (a cross-list), replace or replace-cross (a new version).
/// </summary>
public static class ArxivRss
{
    private static readonly XNamespace ArxivAtom = "http://arxiv.org/schemas/atom";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

    public static IReadOnlyList<ArxivAnnouncement> Parse(Stream body, string source, long maxCharacters = SafeXml.DefaultMaxCharacters)
    {
        var doc = SafeXml.Load(body, "the arXiv RSS feed", maxCharacters);
        if (doc.Root?.Name.LocalName != "rss" || doc.Root.Element("channel") is not { } channel)
            throw new MalformedXmlException($"the arXiv RSS answer is not an RSS feed (root <{doc.Root?.Name.LocalName}>)");
        var list = new List<ArxivAnnouncement>();
        foreach (var item in channel.Elements("item"))
        {
            var guid = item.Element("guid")?.Value.Trim() ?? "";
            var idText = guid.StartsWith("oai:arXiv.org:", StringComparison.OrdinalIgnoreCase) ? guid["oai:arXiv.org:".Length..] : LastSegment(item.Element("link")?.Value);
            if (!ArxivId.TryParse(idText, out var id)) continue;
            var announced = ArxivText.ParseDate(item.Element("pubDate")?.Value);
            var title = item.Element("title")?.Value;
            if (announced is null || string.IsNullOrWhiteSpace(title)) continue;
            var type = item.Element(ArxivAtom + "announce_type")?.Value.Trim() ?? "new";
            var isNewVersion = type.StartsWith("replace", StringComparison.Ordinal);
            list.Add(new ArxivAnnouncement(type, ArxivText.Paper(id, title, Abstract(item.Element("description")?.Value),
                ArxivText.SplitAuthors(item.Element(Dc + "creator")?.Value),
                item.Elements("category").Select(c => c.Value),
                comment: null, journalRef: null, doi: null, license: item.Element(Dc + "rights")?.Value,
                // RSS knows the announcement day, not the submission time: merge-on-write keeps the earlier date an
                // OAI-PMH or API record brings. A replacement's announcement is when the item was last updated.
                published: announced.Value, updated: isNewVersion ? announced : null, source)));
        }
        return list;
    }

    /// <summary>The description is "arXiv:ID Announce Type: T \nAbstract: text".</summary>
    private static string Abstract(string? description)
    {
        if (description is null) return "";
        var at = description.IndexOf("Abstract:", StringComparison.Ordinal);
        return at < 0 ? description : description[(at + "Abstract:".Length)..];
    }

    private static string? LastSegment(string? url)
    {
        if (url is null) return null;
        var abs = url.IndexOf("/abs/", StringComparison.Ordinal);
        return abs < 0 ? null : url[(abs + 5)..].Trim();
    }
}

using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace HotTopics.Harvesting.Feeds;

public sealed record OpmlFeed(string XmlUrl, string? Title, string? HtmlUrl, string? Category);

/// <summary>OPML 1.0/2.0 subscription lists: what feed readers import and export.</summary>
public static class Opml
{
    /// <summary>Every outline with an xmlUrl, at any depth (a parent outline without one is the category).</summary>
    public static IReadOnlyList<OpmlFeed> Read(string text, out string? error)
    {
        error = null;
        var xml = LenientXml.Read(text);
        if (xml.Root is null || !xml.Root.Name.LocalName.Equals("opml", StringComparison.OrdinalIgnoreCase))
        {
            error = xml.Root is null ? "not an OPML document: " + (xml.Problem ?? "no XML element found") : $"not an OPML document: the root is <{xml.Root.Name.LocalName}>";
            return [];
        }
        var feeds = new List<OpmlFeed>();
        foreach (var outline in xml.Root.Descendants().Where(e => e.Name.LocalName.Equals("outline", StringComparison.OrdinalIgnoreCase)))
        {
            if (Attr(outline, "xmlUrl") is not { } url) continue;
            var parent = outline.Parent is { } p && p.Name.LocalName.Equals("outline", StringComparison.OrdinalIgnoreCase) && Attr(p, "xmlUrl") is null
                ? Attr(p, "title") ?? Attr(p, "text")
                : null;
            feeds.Add(new OpmlFeed(url, Attr(outline, "title") ?? Attr(outline, "text"), Attr(outline, "htmlUrl"), parent ?? Attr(outline, "category")));
        }
        if (xml.Recovered && feeds.Count == 0) error = "the OPML document is not well formed: " + xml.Problem;
        return feeds;
    }

    private static string? Attr(XElement e, string name) =>
        e.Attributes().FirstOrDefault(a => a.Name.LocalName.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value.Trim() is { Length: > 0 } v ? v : null;

    public static string Write(IEnumerable<OpmlFeed> feeds, string title, DateTimeOffset created)
    {
        var body = new XElement("body");
        foreach (var group in feeds.GroupBy(f => f.Category ?? "", StringComparer.Ordinal))
        {
            var outlines = group.Select(f => new XElement("outline",
                new XAttribute("type", "rss"),
                new XAttribute("text", f.Title ?? f.XmlUrl),
                new XAttribute("title", f.Title ?? f.XmlUrl),
                new XAttribute("xmlUrl", f.XmlUrl),
                f.HtmlUrl is null ? null : new XAttribute("htmlUrl", f.HtmlUrl)));
            if (group.Key.Length == 0) body.Add(outlines);
            else body.Add(new XElement("outline", new XAttribute("text", group.Key), new XAttribute("title", group.Key), outlines));
        }
        var document = new XDocument(new XElement("opml", new XAttribute("version", "2.0"),
            new XElement("head", new XElement("title", title), new XElement("dateCreated", created.ToUniversalTime().ToString("r", System.Globalization.CultureInfo.InvariantCulture))),
            body));
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(builder, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8 }))
        {
            document.Save(writer);
        }
        return builder.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }
}

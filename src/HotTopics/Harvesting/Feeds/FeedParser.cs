using System.Text;
using System.Xml.Linq;

using HotTopics.Harvesting.Html;

namespace HotTopics.Harvesting.Feeds;

/// <summary>
/// RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.0/1.1 into one <see cref="ParsedFeed"/>. Never throws: a document
/// that is not well formed is recovered as far as a lenient reader can (feedparser is the reference), and one
/// with nothing recoverable comes back with <see cref="ParsedFeed.Error"/> saying why.
/// </summary>
public static class FeedParser
{
    /// <param name="body">The response body as received.</param>
    /// <param name="contentType">The HTTP Content-Type (its charset decides the encoding, see <see cref="FeedDecoder"/>).</param>
    /// <param name="location">The URL the document came from: relative links resolve against it.</param>
    public static ParsedFeed Parse(ReadOnlySpan<byte> body, string? contentType = null, Uri? location = null)
    {
        DecodedText decoded;
        try
        {
            decoded = FeedDecoder.Decode(body, contentType);
        }
        catch (DecoderFallbackException e)
        {
            return ParsedFeed.Failed("the document's bytes fit no encoding: " + e.Message);
        }
        var problems = new List<string>();
        if (decoded.Problem is { } p) problems.Add(p);
        if (IsNonFeedContentType(contentType)) problems.Add($"served as {contentType}, not as a feed");
        return ParseText(decoded.Text, decoded.Encoding, problems, location);
    }

    public static ParsedFeed ParseText(string text, string encoding = "utf-16", List<string>? problems = null, Uri? location = null)
    {
        problems ??= [];
        try
        {
            var start = text.AsSpan().TrimStart();
            if (start.Length == 0) return ParsedFeed.Failed("the document is empty", encoding, problems);
            if (start[0] is '{' or '[') return JsonFeedReader.Read(text, encoding, problems, location);

            var xml = LenientXml.Read(text);
            if (xml.Problem is { } p) problems.Add("not well-formed XML: " + p);
            if (xml.Root is null) return ParsedFeed.Failed(problems.Count > 0 ? problems[^1] : "no XML element found", encoding, problems);
            return new XmlFeedReader(location, encoding, xml.Recovered, problems).Read(xml.Root);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or UriFormatException or OverflowException or System.Text.Json.JsonException)
        {
            // The readers are written not to throw; this is the last line that keeps a bad document from taking down a harvest.
            problems.Add(e.Message);
            return ParsedFeed.Failed("the feed could not be read: " + e.Message, encoding, problems);
        }
    }

    private static bool IsNonFeedContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var media = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return media is "text/plain";
    }

    /// <summary>A link as written, made absolute against the base when it is relative; unusable input stays as it is.</summary>
    internal static string Resolve(string href, Uri? baseUri)
    {
        href = href.Trim();
        if (href.Length == 0) return baseUri?.AbsoluteUri ?? href;
        // On Unix "/path" parses as an absolute file: URI; a leading slash is always relative to the base here.
        if (!href.StartsWith('/') && Uri.TryCreate(href, UriKind.Absolute, out var absolute) && absolute.Scheme.Length > 1) return absolute.OriginalString;
        if (baseUri is null || !baseUri.IsAbsoluteUri) return href;
        return Uri.TryCreate(baseUri, href, out var resolved) ? resolved.AbsoluteUri : href;
    }

    internal static Uri? CombineBase(Uri? parent, string? xmlBase)
    {
        if (string.IsNullOrWhiteSpace(xmlBase)) return parent;
        var resolved = Resolve(xmlBase, parent);
        return Uri.TryCreate(resolved, UriKind.Absolute, out var uri) && !resolved.StartsWith('/') ? uri : parent;
    }
}

/// <summary>The walk over an XML feed tree (RSS, RDF or Atom; the element tree may come from the lenient pass).</summary>
internal sealed class XmlFeedReader(Uri? location, string encoding, bool recovered, List<string> problems)
{
    private enum Ns { Core, Dc, DcTerms, Content, Rdf, Media, Itunes, Xhtml, Other }

    private static readonly XName XmlBase = XNamespace.Xml + "base";
    private static readonly XName XmlLang = XNamespace.Xml + "lang";
    private readonly Dictionary<XElement, Uri?> _bases = [];
    private string _format = "";

    public ParsedFeed Read(XElement root)
    {
        var rootName = root.Name.LocalName.ToLowerInvariant();
        var ns = root.Name.NamespaceName;
        _rootNamespace = rootName == "rdf" ? "\u0000" : ns;
        var header = new FeedHeader();
        var entries = new List<FeedEntry>();
        switch (rootName)
        {
            case "rss":
            case "channel":
            case "rdf":
                _format = RssVersion(root, rootName);
                var channel = rootName == "channel" ? root : root.Elements().FirstOrDefault(c => Is(c, "channel"));
                if (channel is not null) ReadHeader(channel, header, rss: true);
                var items = (channel is null ? [] : channel.Elements().Where(c => Is(c, "item")))
                    .Concat(rootName == "channel" ? [] : root.Elements().Where(c => Is(c, "item")));
                foreach (var item in items) entries.Add(ReadEntry(item));
                break;
            case "feed":
                _format = ns == FeedNamespaces.Atom03 || (string?)root.Attribute("version") == "0.3" ? "atom03"
                    : ns == FeedNamespaces.Atom10 ? "atom10" : "atom";
                ReadHeader(root, header, rss: false);
                foreach (var entry in root.Elements().Where(c => Is(c, "entry"))) entries.Add(ReadEntry(entry));
                break;
            default:
                return ParsedFeed.Failed($"not a feed: the document is <{root.Name.LocalName}>, not RSS, RDF or Atom", encoding, problems);
        }
        return new ParsedFeed
        {
            Format = _format,
            Encoding = encoding,
            Recovered = recovered || problems.Count > 0,
            Problems = problems,
            Header = header,
            Entries = entries,
        };
    }

    private static string RssVersion(XElement root, string rootName)
    {
        if (rootName == "rdf")
        {
            var rss090 = root.Attributes().Any(a => a.IsNamespaceDeclaration && a.Value == FeedNamespaces.Rss090)
                || root.Elements().Any(e => e.Name.NamespaceName == FeedNamespaces.Rss090);
            return rss090 ? "rss090" : "rss10";
        }
        var version = ((string?)root.Attribute("version"))?.Trim();
        return version switch
        {
            _ when version?.StartsWith('2') == true => "rss20",
            "0.91" => "rss091u",
            "0.92" => "rss092",
            "0.93" => "rss093",
            "0.94" => "rss094",
            _ => "rss",
        };
    }

    private string _rootNamespace = "";

    /// <summary>
    /// Which vocabulary an element belongs to. The root's own namespace always counts as the core vocabulary:
    /// WordPress once declared xmlns="com-wordpress:feed-additions:1" on &lt;rss&gt;, and such feeds are still out there.
    /// </summary>
    private Ns Space(XElement e) => e.Name.NamespaceName == _rootNamespace ? Ns.Core : e.Name.NamespaceName switch
    {
        "" or FeedNamespaces.Atom10 or FeedNamespaces.Atom03 or FeedNamespaces.Rss10 or FeedNamespaces.Rss090
            or "http://backend.userland.com/rss2" or "http://backend.userland.com/rss" or "http://purl.org/net/rss1.1#" => Ns.Core,
        FeedNamespaces.Dc => Ns.Dc,
        FeedNamespaces.DcTerms => Ns.DcTerms,
        FeedNamespaces.Content => Ns.Content,
        FeedNamespaces.Rdf => Ns.Rdf,
        FeedNamespaces.Media => Ns.Media,
        FeedNamespaces.Itunes => Ns.Itunes,
        FeedNamespaces.Xhtml => Ns.Xhtml,
        _ => Ns.Other,
    };

    private bool Is(XElement e, string localName) =>
        Space(e) == Ns.Core && e.Name.LocalName.Equals(localName, StringComparison.OrdinalIgnoreCase);

    private Uri? Base(XElement e)
    {
        if (_bases.TryGetValue(e, out var cached)) return cached;
        var parent = e.Parent is null ? location : Base(e.Parent);
        var own = FeedParser.CombineBase(parent, (string?)e.Attribute(XmlBase));
        _bases[e] = own;
        return own;
    }

    private static string? Language(XElement e)
    {
        for (var x = e; x is not null; x = x.Parent)
        {
            if ((string?)x.Attribute(XmlLang) is { Length: > 0 } lang) return lang;
        }
        return null;
    }

    private void ReadHeader(XElement container, FeedHeader header, bool rss)
    {
        header.Language = Language(container);
        foreach (var child in container.Elements())
        {
            var name = child.Name.LocalName.ToLowerInvariant();
            switch (Space(child), name)
            {
                case (Ns.Core, "title"): header.Title ??= Text(child, rss ? FeedText.Plain : null); break;
                case (Ns.Dc, "title"): header.Title ??= Text(child, FeedText.Plain); break;
                case (Ns.Core, "subtitle" or "tagline" or "description"): header.Subtitle ??= Text(child, rss ? FeedText.Html : null); break;
                case (Ns.Dc, "description"): header.Subtitle ??= Text(child, FeedText.Plain); break;
                case (Ns.Core, "rights" or "copyright"): header.Rights ??= Text(child, rss ? FeedText.Plain : null); break;
                case (Ns.Dc, "rights"): header.Rights ??= Text(child, FeedText.Plain); break;
                case (Ns.Core, "link"): AddLink(child, header.Links); break;
                case (Ns.Core, "id" or "guid"): header.Id ??= Plain(child); break;
                case (Ns.Core, "language") or (Ns.Dc, "language"): header.Language = Plain(child) ?? header.Language; break;
                case (Ns.Core, "author" or "managingeditor") or (Ns.Dc, "creator" or "author"): AddPerson(child, header.Authors); break;
                case (Ns.Core, "contributor") or (Ns.Dc, "contributor"): AddPerson(child, header.Contributors); break;
                case (Ns.Core, "webmaster") or (Ns.Dc, "publisher"): header.Publisher ??= Person(child); break;
                case (Ns.Core, "category") or (Ns.Dc, "subject") or (Ns.Itunes, "category"): AddCategory(child, header.Categories); break;
                case (Ns.Core, "pubdate" or "published" or "issued") or (Ns.DcTerms, "issued"): header.Published ??= Date(child); break;
                case (Ns.Core, "lastbuilddate" or "updated" or "modified") or (Ns.Dc, "date") or (Ns.DcTerms, "modified"): header.Updated ??= Date(child); break;
                case (Ns.Core, "generator"): header.Generator ??= Plain(child); break;
                case (Ns.Core, "icon"): header.Icon ??= Url(child); break;
                case (Ns.Core, "logo"): header.Logo ??= Url(child); break;
                case (Ns.Core, "image"):
                    if (child.Elements().FirstOrDefault(c => Is(c, "url")) is { } url) header.Logo ??= Url(url);
                    break;
            }
        }
    }

    private FeedEntry ReadEntry(XElement item)
    {
        var entry = new FeedEntry();
        string? guid = null;
        var guidIsPermalink = false;
        if ((string?)item.Attribute(XName.Get("about", FeedNamespaces.Rdf)) is { Length: > 0 } about) entry.Id = about;
        foreach (var child in item.Elements())
        {
            var name = child.Name.LocalName.ToLowerInvariant();
            switch (Space(child), name)
            {
                case (Ns.Core, "title"): entry.Title ??= Text(child, IsRss ? FeedText.Plain : null); break;
                case (Ns.Dc, "title"): entry.Title ??= Text(child, FeedText.Plain); break;
                case (Ns.Core, "link"): AddLink(child, entry.Links, entry); break;
                case (Ns.Core, "description" or "summary"): entry.Summary ??= Text(child, IsRss ? FeedText.Html : null); break;
                case (Ns.Dc, "description"): entry.Summary ??= Text(child, FeedText.Html); break;
                case (Ns.Content, "encoded"): if (Text(child, FeedText.Html) is { } encoded) entry.Content.Add(encoded); break;
                case (Ns.Core, "content"): if (Text(child, null) is { } content) entry.Content.Add(content); break;
                case (Ns.Core, "fullitem"): if (Text(child, FeedText.Html) is { } full) entry.Content.Add(full); break;
                case (Ns.Xhtml, "body"): entry.Content.Add(new FeedText(InnerMarkup(child).Trim(), FeedText.Xhtml, Language(child), Base(child)?.AbsoluteUri)); break;
                case (Ns.Core, "id"): entry.Id = Plain(child) ?? entry.Id; break;
                case (Ns.Core, "guid"):
                    guid = Plain(child);
                    entry.Id = guid ?? entry.Id;
                    guidIsPermalink = !string.Equals(((string?)child.Attribute("isPermaLink"))?.Trim(), "false", StringComparison.OrdinalIgnoreCase);
                    break;
                case (Ns.Core, "author") or (Ns.Dc, "creator" or "author") or (Ns.Itunes, "author"): AddPerson(child, entry.Authors); break;
                case (Ns.Core, "contributor") or (Ns.Dc, "contributor"): AddPerson(child, entry.Contributors); break;
                case (Ns.Core, "category") or (Ns.Dc, "subject"): AddCategory(child, entry.Categories); break;
                case (Ns.Core, "enclosure") or (Ns.Media, "content"): AddEnclosure(child, entry); break;
                case (Ns.Core, "pubdate" or "published" or "issued" or "created") or (Ns.DcTerms, "issued" or "created"): entry.Published ??= Date(child); break;
                case (Ns.Core, "updated" or "modified" or "lastbuilddate") or (Ns.Dc, "date") or (Ns.DcTerms, "modified"): entry.Updated ??= Date(child); break;
                case (Ns.Core, "rights" or "copyright"): entry.Rights ??= Text(child, IsRss ? FeedText.Plain : null); break;
                case (Ns.Dc, "rights"): entry.Rights ??= Text(child, FeedText.Plain); break;
                case (Ns.Core, "comments"): entry.Comments ??= Url(child); break;
                case (Ns.Core, "source"):
                    entry.Source = new FeedHeader();
                    if (child.HasElements) ReadHeader(child, entry.Source, IsRss);
                    else
                    {
                        // RSS 2.0: <source url="feed">Title</source>
                        entry.Source.Title = Text(child, FeedText.Plain);
                        if ((string?)child.Attribute("url") is { Length: > 0 } sourceUrl) entry.Source.Links.Add(new FeedLink(FeedParser.Resolve(sourceUrl, Base(child)), "self"));
                    }
                    break;
            }
        }
        if (guid is not null && guidIsPermalink && IsRss && entry.Link is null && LooksLikeUrl(guid))
        {
            entry.Links.Add(new FeedLink(FeedParser.Resolve(guid, Base(item)), "alternate", FeedText.Html));
            entry.GuidIsLink = true;
        }
        return entry;
    }

    private bool IsRss => _format.StartsWith("rss", StringComparison.Ordinal);

    private static bool LooksLikeUrl(string value) =>
        value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// C1 control characters in feeds are windows-1252 punctuation written as numeric references (&amp;#146;) or
    /// decoded under the wrong label; they mean the curly quotes and dashes of windows-1252.
    /// </summary>
    internal static string Cp1252Controls(string value)
    {
        if (!value.AsSpan().ContainsAnyInRange('\u0080', '\u009F')) return value;
        var chars = value.ToCharArray();
        Span<byte> one = stackalloc byte[1];
        var cp1252 = FeedDecoder.Windows1252;
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is < '\u0080' or > '\u009F') continue;
            one[0] = (byte)chars[i];
            chars[i] = cp1252.GetString(one)[0];
        }
        return new string(chars);
    }

    private static string? Plain(XElement e)
    {
        var value = Cp1252Controls(e.Value.Trim());
        return value.Length == 0 ? null : value;
    }

    private string? Url(XElement e) => Plain(e) is { } value ? FeedParser.Resolve(value, Base(e)) : null;

    private static FeedDate? Date(XElement e) => Plain(e) is { } raw ? new FeedDate(raw, FeedDates.Parse(raw)) : null;

    /// <summary>
    /// A text construct. Atom says what it is (type text/html/xhtml, or 0.3's MIME type and mode); RSS does not,
    /// so the caller passes what the element usually holds. Markup written as child elements is kept as HTML.
    /// </summary>
    private FeedText? Text(XElement e, string? rssType)
    {
        var typeAttr = ((string?)e.Attribute("type"))?.Trim().ToLowerInvariant();
        var mode = ((string?)e.Attribute("mode"))?.Trim().ToLowerInvariant();
        var type = rssType ?? typeAttr switch
        {
            null or "" or "text" or "text/plain" => FeedText.Plain,
            "html" or "text/html" => FeedText.Html,
            "xhtml" or "application/xhtml+xml" => FeedText.Xhtml,
            var other => other,
        };
        string value;
        var base64 = mode == "base64" || (mode is null && rssType is null && type.Contains('/', StringComparison.Ordinal)
            && !type.StartsWith("text/", StringComparison.Ordinal) && !type.EndsWith("xml", StringComparison.Ordinal));
        if (base64)
        {
            try
            {
                value = Encoding.UTF8.GetString(Convert.FromBase64String(e.Value.Trim()));
            }
            catch (FormatException)
            {
                value = e.Value;
            }
        }
        else if (e.HasElements)
        {
            var container = typeAttr == "xhtml" && e.Elements().Count() == 1 && e.Elements().First().Name.LocalName.Equals("div", StringComparison.OrdinalIgnoreCase)
                ? e.Elements().First()
                : e;
            value = InnerMarkup(container);
            if (type == FeedText.Plain) type = FeedText.Html;
        }
        else value = e.Value;
        value = Cp1252Controls(value.Trim());
        var baseUri = Base(e);
        if (type is FeedText.Html or FeedText.Xhtml && baseUri is not null) value = HtmlLinks.ResolveRelative(value, baseUri);
        return new FeedText(value, type, Language(e), baseUri?.AbsoluteUri);
    }

    /// <summary>Child nodes as markup, without the namespace declarations LINQ to XML would add.</summary>
    private static string InnerMarkup(XElement e)
    {
        var builder = new StringBuilder();
        foreach (var node in e.Nodes()) Write(node, builder);
        return builder.ToString();
    }

    private static void Write(XNode node, StringBuilder builder)
    {
        switch (node)
        {
            case XText text:
                builder.Append(System.Security.SecurityElement.Escape(text.Value).Replace("&apos;", "'", StringComparison.Ordinal).Replace("&quot;", "\"", StringComparison.Ordinal));
                break;
            case XElement element:
                builder.Append('<').Append(element.Name.LocalName);
                foreach (var a in element.Attributes().Where(a => !a.IsNamespaceDeclaration))
                {
                    builder.Append(' ').Append(a.Name.LocalName).Append("=\"").Append(System.Security.SecurityElement.Escape(a.Value)).Append('"');
                }
                if (element.IsEmpty)
                {
                    builder.Append(" />");
                    break;
                }
                builder.Append('>');
                foreach (var child in element.Nodes()) Write(child, builder);
                builder.Append("</").Append(element.Name.LocalName).Append('>');
                break;
        }
    }

    private void AddLink(XElement e, List<FeedLink> links, FeedEntry? entry = null)
    {
        var href = (string?)e.Attribute("href");
        if (href is null && e.Attribute("rel") is null)
        {
            // RSS: the link is the element's text.
            if (Plain(e) is { } text) links.Add(new FeedLink(FeedParser.Resolve(text, Base(e)), "alternate", FeedText.Html));
            return;
        }
        href ??= Plain(e);
        if (href is null) return;
        var rel = ((string?)e.Attribute("rel"))?.Trim() is { Length: > 0 } r ? r : "alternate";
        var link = new FeedLink(FeedParser.Resolve(href, Base(e)), rel, (string?)e.Attribute("type"), (string?)e.Attribute("title"),
            (string?)e.Attribute("length"), (string?)e.Attribute("hreflang"));
        links.Add(link);
        if (rel == "enclosure") entry?.Enclosures.Add(new FeedEnclosure(link.Href, link.Type, link.Length));
    }

    private void AddEnclosure(XElement e, FeedEntry entry)
    {
        if ((string?)e.Attribute("url") is not { Length: > 0 } url) return;
        var resolved = FeedParser.Resolve(url, Base(e));
        var type = (string?)e.Attribute("type");
        var length = (string?)e.Attribute("length") ?? (string?)e.Attribute("fileSize");
        entry.Enclosures.Add(new FeedEnclosure(resolved, type, length));
        entry.Links.Add(new FeedLink(resolved, "enclosure", type, null, length));
    }

    private static void AddCategory(XElement e, List<FeedCategory> categories)
    {
        var term = ((string?)e.Attribute("term") ?? (string?)e.Attribute("text") ?? e.Value).Trim();
        if (term.Length == 0) return;
        categories.Add(new FeedCategory(term, (string?)e.Attribute("scheme") ?? (string?)e.Attribute("domain"), (string?)e.Attribute("label")));
    }

    private void AddPerson(XElement e, List<FeedPerson> people)
    {
        if (Person(e) is { } person) people.Add(person);
    }

    /// <summary>Atom: name/email/uri children. RSS: "email (Name)", "Name &lt;email&gt;", or just a name.</summary>
    private FeedPerson? Person(XElement e)
    {
        if (e.HasElements)
        {
            string? name = null, email = null, uri = null;
            foreach (var c in e.Elements())
            {
                switch (c.Name.LocalName.ToLowerInvariant())
                {
                    case "name": name = Plain(c); break;
                    case "email": email = Plain(c); break;
                    case "uri" or "url": uri = Url(c); break;
                }
            }
            return name is null && email is null && uri is null ? null : new FeedPerson(name, email, uri);
        }
        return Plain(e) is { } text ? ParsePerson(text) : null;
    }

    internal static FeedPerson ParsePerson(string text)
    {
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        if (open >= 0 && close > open)
        {
            var inner = text[(open + 1)..close].Trim();
            var outer = text[..open].Trim();
            if (outer.Contains('@', StringComparison.Ordinal)) return new FeedPerson(inner.Length > 0 ? inner : null, outer);
            if (inner.Contains('@', StringComparison.Ordinal)) return new FeedPerson(outer.Length > 0 ? outer : null, inner);
        }
        var lt = text.IndexOf('<', StringComparison.Ordinal);
        var gt = text.LastIndexOf('>');
        if (lt >= 0 && gt > lt && text[(lt + 1)..gt].Contains('@', StringComparison.Ordinal))
        {
            var name = text[..lt].Trim().Trim('"');
            return new FeedPerson(name.Length > 0 ? name : null, text[(lt + 1)..gt].Trim());
        }
        if (!text.Contains(' ', StringComparison.Ordinal) && text.Contains('@', StringComparison.Ordinal)) return new FeedPerson(null, text.Replace("mailto:", "", StringComparison.OrdinalIgnoreCase));
        return new FeedPerson(text);
    }
}

using System.Net;
using System.Text;
using HotTopics.Harvesting.Feeds;
using HtmlAgilityPack;

namespace HotTopics.Harvesting.Html;

/// <summary>
/// Harvested HTML reduced to an allowlist before we store or show it: text-level and block tags, links and images
/// with http(s) (links also mailto) URLs, no scripts, styles, frames, forms, event handlers, style attributes or
/// javascript:/data: URLs. Unknown tags are unwrapped (their text stays); dangerous ones go with their content.
/// The output is re-serialised, so unbalanced or broken markup comes out well formed.
/// </summary>
public static class HtmlSanitizer
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dfn", "div", "dl", "dt",
        "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
        "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
    };

    // Removed together with everything inside them.
    private static readonly HashSet<string> Dropped = new(StringComparer.Ordinal)
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "template", "form",
        "input", "button", "select", "textarea", "option", "svg", "math", "link", "meta", "base", "head", "title",
        "audio", "video", "source", "track", "canvas", "dialog", "portal", "noembed", "noframes", "xmp", "plaintext",
    };

    private static readonly HashSet<string> Void = new(StringComparer.Ordinal) { "br", "hr", "img" };

    private static readonly Dictionary<string, string[]> Attributes = new(StringComparer.Ordinal)
    {
        ["a"] = ["href", "title"],
        ["img"] = ["src", "alt", "title", "width", "height"],
        ["abbr"] = ["title"],
        ["blockquote"] = ["cite"],
        ["q"] = ["cite"],
        ["del"] = ["cite", "datetime"],
        ["ins"] = ["cite", "datetime"],
        ["time"] = ["datetime"],
        ["td"] = ["colspan", "rowspan"],
        ["th"] = ["colspan", "rowspan", "scope"],
        ["ol"] = ["start", "reversed", "type"],
        ["li"] = ["value"],
    };

    private static readonly HashSet<string> UrlAttributes = new(StringComparer.Ordinal) { "href", "src", "cite" };

    public static string Sanitize(string? html, Uri? baseUri = null)
    {
        if (string.IsNullOrEmpty(html)) return "";
        var document = new HtmlDocument { OptionFixNestedTags = true };
        document.LoadHtml(html);
        var output = new StringBuilder(html.Length);
        foreach (var node in document.DocumentNode.ChildNodes) Write(node, output, baseUri);
        return output.ToString().Trim();
    }

    /// <summary>The text of an HTML fragment, tags removed and whitespace collapsed: titles and snippets.</summary>
    public static string ToText(string? html)
    {
        if (string.IsNullOrEmpty(html)) return "";
        if (!html.Contains('<', StringComparison.Ordinal) && !html.Contains('&', StringComparison.Ordinal)) return html.Trim();
        var document = new HtmlDocument();
        document.LoadHtml(html);
        var builder = new StringBuilder();
        AppendText(document.DocumentNode, builder);
        return string.Join(' ', builder.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static void AppendText(HtmlNode node, StringBuilder builder)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is HtmlTextNode text) builder.Append(WebUtility.HtmlDecode(text.Text));
            else if (child.NodeType == HtmlNodeType.Element && !Dropped.Contains(child.Name))
            {
                AppendText(child, builder);
                if (child.Name is "p" or "br" or "div" or "li" or "h1" or "h2" or "h3" or "tr") builder.Append(' ');
            }
        }
    }

    private static void Write(HtmlNode node, StringBuilder output, Uri? baseUri)
    {
        switch (node.NodeType)
        {
            case HtmlNodeType.Text:
                output.Append(WebUtility.HtmlEncode(WebUtility.HtmlDecode(((HtmlTextNode)node).Text)));
                return;
            case HtmlNodeType.Element:
                break;
            default:
                return; // comments, doctype
        }
        var name = node.Name.ToLowerInvariant();
        if (Dropped.Contains(name)) return;
        if (!Allowed.Contains(name))
        {
            foreach (var child in node.ChildNodes) Write(child, output, baseUri);
            return;
        }
        var attributes = new List<(string Name, string Value)>();
        if (Attributes.TryGetValue(name, out var allowed))
        {
            foreach (var attribute in node.Attributes)
            {
                var attributeName = attribute.Name.ToLowerInvariant();
                if (!allowed.Contains(attributeName)) continue;
                var value = WebUtility.HtmlDecode(attribute.Value ?? "").Trim();
                if (UrlAttributes.Contains(attributeName))
                {
                    if (SafeUrl(value, baseUri, allowMailto: name == "a") is not { } safe) continue;
                    value = safe;
                }
                attributes.Add((attributeName, value));
            }
        }
        if (name == "img" && !attributes.Any(a => a.Name == "src")) return;
        output.Append('<').Append(name);
        foreach (var (attributeName, value) in attributes) output.Append(' ').Append(attributeName).Append("=\"").Append(WebUtility.HtmlEncode(value)).Append('"');
        if (name == "a" && attributes.Any(a => a.Name == "href")) output.Append(" rel=\"nofollow noopener noreferrer\"");
        if (Void.Contains(name))
        {
            output.Append(" />");
            return;
        }
        output.Append('>');
        foreach (var child in node.ChildNodes) Write(child, output, baseUri);
        output.Append("</").Append(name).Append('>');
    }

    /// <summary>An http(s) URL (relative ones resolved against the base), mailto: for links; anything else is dropped.</summary>
    internal static string? SafeUrl(string value, Uri? baseUri, bool allowMailto)
    {
        // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"); so do we, before judging it.
        var compact = new string([.. value.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c))]);
        if (compact.Length == 0) return null;
        var colon = compact.IndexOf(':', StringComparison.Ordinal);
        var firstSlash = compact.IndexOfAny(['/', '?', '#']);
        var hasScheme = colon > 0 && (firstSlash < 0 || colon < firstSlash);
        if (hasScheme)
        {
            var scheme = compact[..colon].ToLowerInvariant();
            if (scheme is "http" or "https") return compact;
            return scheme == "mailto" && allowMailto ? compact : null;
        }
        if (compact.StartsWith("//", StringComparison.Ordinal)) return "https:" + compact;
        if (baseUri is null) return compact;
        var resolved = FeedParser.Resolve(compact, baseUri);
        return resolved.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || resolved.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? resolved : null;
    }
}

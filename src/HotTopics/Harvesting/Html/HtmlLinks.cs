using System.Text;
using HotTopics.Harvesting.Feeds;

namespace HotTopics.Harvesting.Html;

/// <summary>Relative links inside harvested HTML, made absolute against the document's base (as feedparser does).</summary>
public static class HtmlLinks
{
    private static readonly string[] UrlAttributes = ["href", "src", "cite", "poster", "longdesc", "background"];

    /// <summary>
    /// Rewrites quoted href/src/cite/poster/longdesc/background values that are relative. A hand-written scan from
    /// '=' to '=' (vectorised IndexOf) rather than a regular expression: feed bodies are most of what a harvest reads.
    /// </summary>
    public static string ResolveRelative(string html, Uri baseUri)
    {
        StringBuilder? output = null;
        var copied = 0;
        for (var eq = html.IndexOf('=', StringComparison.Ordinal); eq >= 0; eq = html.IndexOf('=', eq + 1))
        {
            var nameEnd = eq;
            while (nameEnd > 0 && char.IsWhiteSpace(html[nameEnd - 1])) nameEnd--;
            var nameStart = nameEnd;
            while (nameStart > 0 && char.IsAsciiLetter(html[nameStart - 1])) nameStart--;
            if (nameStart == nameEnd || (nameStart > 0 && !char.IsWhiteSpace(html[nameStart - 1]))) continue;
            var name = html.AsSpan(nameStart, nameEnd - nameStart);
            if (!IsUrlAttribute(name)) continue;
            var open = eq + 1;
            while (open < html.Length && char.IsWhiteSpace(html[open])) open++;
            if (open >= html.Length || html[open] is not ('"' or '\'')) continue;
            var close = html.IndexOf(html[open], open + 1);
            if (close < 0) break;
            var value = html[(open + 1)..close];
            eq = close;
            if (value.Length == 0 || value.StartsWith('#') || value.Contains("://", StringComparison.Ordinal)) continue;
            var resolved = FeedParser.Resolve(System.Net.WebUtility.HtmlDecode(value), baseUri);
            if (resolved == value) continue;
            output ??= new StringBuilder(html.Length + 256);
            output.Append(html, copied, open - copied).Append('"').Append(System.Net.WebUtility.HtmlEncode(resolved)).Append('"');
            copied = close + 1;
        }
        return output is null ? html : output.Append(html, copied, html.Length - copied).ToString();
    }

    private static bool IsUrlAttribute(ReadOnlySpan<char> name)
    {
        foreach (var attribute in UrlAttributes)
        {
            if (name.Equals(attribute, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}

using System.Text.RegularExpressions;
using HotTopics.Harvesting.Feeds;

namespace HotTopics.Harvesting.Html;

/// <summary>Relative links inside harvested HTML, made absolute against the document's base (as feedparser does).</summary>
public static partial class HtmlLinks
{
    [GeneratedRegex("""(?<attr>\b(?:href|src|cite|poster|longdesc|background)\s*=\s*)(?:"(?<v>[^"]*)"|'(?<v>[^']*)')""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlAttribute();

    public static string ResolveRelative(string html, Uri baseUri)
    {
        if (!html.Contains('=', StringComparison.Ordinal)) return html;
        return UrlAttribute().Replace(html, m =>
        {
            var value = m.Groups["v"].Value;
            if (value.Length == 0 || value.StartsWith('#') || value.Contains("://", StringComparison.Ordinal)) return m.Value;
            var resolved = FeedParser.Resolve(System.Net.WebUtility.HtmlDecode(value), baseUri);
            return resolved == value ? m.Value : $"{m.Groups["attr"].Value}\"{System.Net.WebUtility.HtmlEncode(resolved)}\"";
        });
    }
}

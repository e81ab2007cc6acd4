namespace HotTopics.Items;

/// <summary>
/// The identity of a web page: the same post reached through two feeds (one adds ?utm_source=rss, the other a
/// #comments fragment, an explicit :443 or a trailing slash) has one canonical URL, which is its item key.
/// </summary>
public static class CanonicalUrl
{
    // Query parameters that only say where a click came from.
    private static readonly HashSet<string> Trackers = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid", "_hsenc", "_hsmi",
        "mkt_tok", "ref", "ref_src", "ref_url", "source", "wt_mc", "wt.mc_id", "wt_zmc", "spm", "s_cid", "cmpid", "ncid", "sr_share",
        "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid", "ito", "guccounter", "_ga", "_gl", "trk", "share",
    };

    /// <summary>The canonical form of an http(s) URL, or null when the text is not one.</summary>
    public static string? Normalize(string? url) => Rewrite(url, trimTrailingSlash: true);

    /// <summary>
    /// The URL to show and fetch: trackers, fragment and default port dropped like <see cref="Normalize"/>, but the
    /// path kept as the site wrote it (a server may answer /post/ and not /post).
    /// </summary>
    public static string? Clean(string? url) => Rewrite(url, trimTrailingSlash: false);

    private static string? Rewrite(string? url, bool trimTrailingSlash)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)) return null;
        if (uri.Host.Length == 0) return null;
        var builder = new UriBuilder(uri) { Fragment = "", Host = uri.Host.ToLowerInvariant().TrimEnd('.') };
        if (uri.IsDefaultPort) builder.Port = -1;
        var path = builder.Path;
        if (trimTrailingSlash && path.Length > 1 && path.EndsWith('/')) builder.Path = path.TrimEnd('/');
        builder.Query = CleanQuery(uri.Query);
        return builder.Uri.AbsoluteUri;
    }

    private static string CleanQuery(string query)
    {
        if (query.Length <= 1) return "";
        var kept = query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries).Where(pair =>
        {
            var name = Uri.UnescapeDataString(pair.Split('=')[0]);
            return !name.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) && !Trackers.Contains(name);
        });
        return string.Join('&', kept);
    }
}

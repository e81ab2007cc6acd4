using System.Net;
using System.Net.Sockets;
using System.Text;
using HotTopics.Harvesting.Html;
using HotTopics.Harvesting.Sources;
using HtmlAgilityPack;
using Microsoft.Extensions.Options;

namespace HotTopics.Harvesting.Feeds;

/// <summary>A URL an organizer gave that cannot become a feed source; the message says why.</summary>
public sealed class FeedSourceException(string message) : Exception(message);

public sealed record FeedAdded(Source Source, bool AlreadyFollowed, string How);

public sealed record OpmlImport(int Added, int AlreadyFollowed, IReadOnlyList<string> Refused);

/// <summary>
/// Organizers follow a site or a feed: <see cref="AddAsync"/> takes either (a page's announced feeds are
/// discovered, then the usual paths are tried) and stores a <c>feed</c> source. User-given URLs are checked before
/// anything is fetched: http(s) only, and a host that resolves to a loopback, private or link-local address is
/// refused unless Harvesting:AllowPrivateAddresses is on (PoliteHttp checks the address it connects to as well).
/// </summary>
public sealed class FeedSources(SourceStore sources, PoliteHttp http, IOptions<FeedOptions> options, IOptions<HarvestingOptions> harvesting, TimeProvider time)
{
    public async Task<FeedAdded> AddAsync(string url, string? name, CancellationToken ct)
    {
        var uri = await CheckUrlAsync(url, ct);
        if (await FindByUrlAsync(uri.AbsoluteUri, ct) is { } existing) return new FeedAdded(existing, true, "already followed");

        var (feedUrl, feed, how) = await DiscoverAsync(uri, ct);
        if (await FindByUrlAsync(feedUrl.AbsoluteUri, ct) is { } known) return new FeedAdded(known, true, "already followed");
        var feedTitle = feed.Header.Title?.Value is { Length: > 0 } t ? HtmlSanitizer.ToText(t) : feedUrl.Host;
        var source = await sources.SaveAsync(new SourceDefinition
        {
            Name = await UniqueNameAsync(name is null ? Slug(feedTitle) : name.Trim(), ct),
            Kind = SourceKind.Feed,
            Url = feedUrl.AbsoluteUri,
            Schedule = options.Value.Schedule,
        }, fromConfig: false, ct);
        return new FeedAdded(source, false, how);
    }

    /// <summary>The feed behind a URL: the URL itself, a feed the page announces, or one at the usual paths.</summary>
    private async Task<(Uri Url, ParsedFeed Feed, string How)> DiscoverAsync(Uri uri, CancellationToken ct)
    {
        var first = await FetchAsync(uri, ct) ?? throw new FeedSourceException($"{uri}: nothing could be fetched");
        if (first.Feed is { Succeeded: true } direct) return (first.Url, direct, "the URL is a feed");

        var candidates = new List<Uri>();
        if (first.Html is { } page)
        {
            var document = new HtmlDocument();
            document.LoadHtml(page);
            candidates.AddRange(FeedDiscovery.Find(document, first.Url).Select(f => new Uri(f.Url)));
        }
        var announced = candidates.Count;
        candidates.AddRange(FeedDiscovery.CommonPaths(first.Url));
        var tried = 0;
        foreach (var candidate in candidates.DistinctBy(c => c.AbsoluteUri))
        {
            if (++tried > options.Value.MaxDiscoveryFetches) break;
            if (candidate.Scheme is not ("http" or "https")) continue;
            try
            {
                await CheckUrlAsync(candidate.AbsoluteUri, ct);
            }
            catch (FeedSourceException)
            {
                continue; // an announced feed on a private address is skipped like an unreachable one
            }
            if (await FetchAsync(candidate, ct, quiet: true) is { Feed.Succeeded: true } found)
            {
                return (found.Url, found.Feed, tried <= announced ? "announced by the page" : "found at a usual path");
            }
        }
        throw new FeedSourceException($"{uri}: no feed found (the page announces {announced} and none of the usual paths such as /feed or /rss.xml answered with one)");
    }

    private sealed record Fetched(Uri Url, ParsedFeed? Feed, string? Html);

    private async Task<Fetched?> FetchAsync(Uri url, CancellationToken ct, bool quiet = false)
    {
        FetchResponse response;
        try
        {
            response = await http.GetAsync(new FetchRequest { Url = url, Accept = FeedHarvester.Accept + ", text/html;q=0.8" }, ct);
        }
        catch (FetchException ex)
        {
            if (quiet) return null;
            throw new FeedSourceException(ex.Message);
        }
        var contentType = response.ContentType;
        if (response.MediaType is "text/html" or "application/xhtml+xml")
        {
            return new Fetched(response.FinalUrl, null, FeedDecoder.Decode(response.Body, contentType).Text);
        }
        var feed = FeedParser.Parse(response.Body, contentType, response.FinalUrl);
        return new Fetched(response.FinalUrl, feed, feed.Succeeded ? null : FeedDecoder.Decode(response.Body, contentType).Text);
    }

    /// <summary>
    /// http(s) only, and not a loopback, private or link-local address after DNS resolution (unless allowed by
    /// configuration, as in tests serving on 127.0.0.1).
    /// </summary>
    public async Task<Uri> CheckUrlAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            throw new FeedSourceException($"'{url}' is not an http(s) URL");
        if (harvesting.Value.AllowPrivateAddresses) return uri;
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.DnsSafeHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.DnsSafeHost, ct);
        }
        catch (SocketException ex)
        {
            throw new FeedSourceException($"{uri.Host} cannot be resolved ({ex.Message})");
        }
        if (addresses.Length == 0 || addresses.Any(PoliteHttp.IsPrivate))
            throw new FeedSourceException($"{uri.Host} resolves to a loopback, private or link-local address; such URLs are not fetched");
        return uri;
    }

    /// <summary>The feed sources, with their state.</summary>
    public async Task<IReadOnlyList<Source>> ListAsync(CancellationToken ct) =>
        [.. (await sources.ListAsync(ct)).Where(s => s.Kind == SourceKind.Feed)];

    /// <summary>Every source as OPML (kinds become categories), for feed readers and backups.</summary>
    public async Task<string> ExportOpmlAsync(CancellationToken ct)
    {
        var all = await sources.ListAsync(ct);
        return Opml.Write(all.Select(s => new OpmlFeed(s.Url, s.Name, null, s.Kind)), "HotTopics sources", time.GetUtcNow());
    }

    /// <summary>Adds every feed of an OPML list that is not followed yet (no fetching: the first harvest tells).</summary>
    public async Task<OpmlImport> ImportOpmlAsync(string opml, CancellationToken ct)
    {
        var feeds = Opml.Read(opml, out var error);
        if (error is not null) throw new FeedSourceException(error);
        int added = 0, known = 0;
        var refused = new List<string>();
        foreach (var feed in feeds)
        {
            if (await FindByUrlAsync(feed.XmlUrl.Trim(), ct) is not null)
            {
                known++;
                continue;
            }
            Uri uri;
            try
            {
                uri = await CheckUrlAsync(feed.XmlUrl, ct);
            }
            catch (FeedSourceException ex)
            {
                refused.Add(ex.Message);
                continue;
            }
            // Sources of other kinds (arXiv) come from configuration; an OPML list only adds feeds.
            await sources.SaveAsync(new SourceDefinition
            {
                Name = await UniqueNameAsync(Slug(feed.Title ?? uri.Host), ct),
                Kind = SourceKind.Feed,
                Url = uri.AbsoluteUri,
                Schedule = options.Value.Schedule,
            }, fromConfig: false, ct);
            added++;
        }
        return new OpmlImport(added, known, refused);
    }

    private async Task<Source?> FindByUrlAsync(string url, CancellationToken ct) =>
        (await sources.ListAsync(ct)).FirstOrDefault(s => string.Equals(s.Url, url, StringComparison.OrdinalIgnoreCase));

    private async Task<string> UniqueNameAsync(string name, CancellationToken ct)
    {
        if (name.Length == 0) name = "feed";
        var candidate = name;
        for (var n = 2; await sources.FindAsync(candidate, ct) is not null; n++) candidate = $"{name}-{n}";
        return candidate;
    }

    /// <summary>"Lil'Log" becomes "lil-log": names are typed on the command line.</summary>
    internal static string Slug(string title)
    {
        var builder = new StringBuilder();
        foreach (var c in title.Normalize(NormalizationForm.FormKD).ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) builder.Append(c);
            else if (builder.Length > 0 && builder[^1] != '-') builder.Append('-');
            if (builder.Length >= 40) break;
        }
        return builder.ToString().Trim('-');
    }
}

using System.Globalization;
using System.Xml.Linq;
using HotTopics.Items;
using Microsoft.Extensions.Options;

namespace HotTopics.Harvesting.Arxiv;

/// <summary>One page of Atom API results with its opensearch counters.</summary>
public sealed class ArxivFeed
{
    public long TotalResults { get; init; }
    public long StartIndex { get; init; }
    public int ItemsPerPage { get; init; }
    public IReadOnlyList<ItemRecord> Papers { get; init; } = [];
}

/// <summary>The API answered with its error feed (for example "incorrect id format for abc").</summary>
public sealed class ArxivApiException(string message) : Exception(message);

/// <summary>
/// The arXiv Atom API (<c>export.arxiv.org/api/query</c>): lookups by id (link submissions, papers named in blog
/// posts) and search_query paging (backfills). Requests go through <see cref="PoliteHttp"/> with arXiv's delay.
/// </summary>
public sealed class ArxivApiClient(PoliteHttp http, IOptions<ArxivOptions> options, IOptions<HarvestingOptions> harvesting)
{
    public const string SourceName = "arxiv-api";
    private const int MaxIdsPerRequest = 100;

    /// <summary>
    /// The papers with these ids (a version suffix asks for that version); ids arXiv does not know are simply
    /// missing from the answer. Returns records ready for <see cref="ItemWriter"/>.
    /// </summary>
    public async Task<IReadOnlyList<ItemRecord>> GetByIdsAsync(IEnumerable<ArxivId> ids, CancellationToken ct)
    {
        var all = new List<ItemRecord>();
        foreach (var chunk in ids.Select(i => i.ToString()).Distinct(StringComparer.Ordinal).Chunk(MaxIdsPerRequest))
        {
            var feed = await QueryAsync(Url($"id_list={Uri.EscapeDataString(string.Join(',', chunk))}&start=0&max_results={chunk.Length}"), ct);
            all.AddRange(feed.Papers);
        }
        return all;
    }

    /// <summary>One page of a search (<c>search_query</c> syntax: <c>cat:cs.LG AND submittedDate:[...]</c>), oldest first.</summary>
    public Task<ArxivFeed> SearchAsync(string searchQuery, long start, int maxResults, CancellationToken ct) =>
        QueryAsync(Url(string.Create(CultureInfo.InvariantCulture,
            $"search_query={Uri.EscapeDataString(searchQuery)}&sortBy=submittedDate&sortOrder=ascending&start={start}&max_results={maxResults}")), ct);

    private Uri Url(string query) => new(options.Value.ApiBaseUrl + (options.Value.ApiBaseUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query);

    private async Task<ArxivFeed> QueryAsync(Uri url, CancellationToken ct)
    {
        FetchResponse response;
        try
        {
            response = await http.GetAsync(new FetchRequest { Url = url, Accept = "application/atom+xml", MinInterval = options.Value.Delay }, ct);
        }
        catch (FetchException ex) when (ex.Body is { Length: > 0 } body)
        {
            // The API explains a bad request (HTTP 400) in an Atom error feed: surface its message.
            try
            {
                Parse(new MemoryStream(body), harvesting.Value.MaxXmlCharacters);
            }
            catch (ArxivApiException api)
            {
                throw new ArxivApiException($"{url}: {api.Message}");
            }
            catch (MalformedXmlException)
            {
            }
            throw;
        }
        using var stream = response.OpenBody();
        return Parse(stream, harvesting.Value.MaxXmlCharacters);
    }

    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace OpenSearch = "http://a9.com/-/spec/opensearch/1.1/";
    private static readonly XNamespace ArxivAtom = "http://arxiv.org/schemas/atom";

    /// <exception cref="ArxivApiException">the answer is the API's error feed</exception>
    /// <exception cref="MalformedXmlException">the answer is not well-formed</exception>
    public static ArxivFeed Parse(Stream body, long maxCharacters = SafeXml.DefaultMaxCharacters)
    {
        var doc = SafeXml.Load(body, "the arXiv API answer", maxCharacters);
        var feed = doc.Root;
        if (feed?.Name != Atom + "feed") throw new MalformedXmlException($"the arXiv API answer is not an Atom feed (root <{feed?.Name.LocalName}>)");
        var papers = new List<ItemRecord>();
        foreach (var entry in feed.Elements(Atom + "entry"))
        {
            var idUrl = entry.Element(Atom + "id")?.Value.Trim() ?? "";
            if (idUrl.Contains("/api/errors", StringComparison.Ordinal))
                throw new ArxivApiException(ArxivJsonl.Collapse(entry.Element(Atom + "summary")?.Value) ?? "the API reported an error");
            var abs = idUrl.IndexOf("/abs/", StringComparison.Ordinal);
            if (abs < 0 || !ArxivId.TryParse(idUrl[(abs + 5)..], out var id)) continue;
            var published = ArxivText.ParseDate(entry.Element(Atom + "published")?.Value);
            var title = entry.Element(Atom + "title")?.Value;
            if (published is null || string.IsNullOrWhiteSpace(title)) continue;
            var primary = (string?)entry.Element(ArxivAtom + "primary_category")?.Attribute("term");
            var categories = entry.Elements(Atom + "category").Select(c => (string?)c.Attribute("term") ?? "");
            papers.Add(ArxivText.Paper(id, title, entry.Element(Atom + "summary")?.Value,
                [.. entry.Elements(Atom + "author").Select(a => ArxivJsonl.Collapse(a.Element(Atom + "name")?.Value) ?? "").Where(n => n.Length > 0)],
                primary is null ? categories : categories.Prepend(primary),
                entry.Element(ArxivAtom + "comment")?.Value, entry.Element(ArxivAtom + "journal_ref")?.Value,
                entry.Element(ArxivAtom + "doi")?.Value, entry.Element(ArxivAtom + "license")?.Value,
                published.Value, ArxivText.ParseDate(entry.Element(Atom + "updated")?.Value), SourceName));
        }
        return new ArxivFeed
        {
            TotalResults = Long(feed.Element(OpenSearch + "totalResults")),
            StartIndex = Long(feed.Element(OpenSearch + "startIndex")),
            ItemsPerPage = (int)Long(feed.Element(OpenSearch + "itemsPerPage")),
            Papers = papers,
        };
    }

    private static long Long(XElement? e) =>
        long.TryParse(e?.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}

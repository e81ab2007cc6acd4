using HotTopics.Items;

namespace HotTopics.Search;

/// <summary>Query-string parameters of <c>GET /api/search</c> (and of the search page).</summary>
public sealed class SearchRequest
{
    /// <summary>The query, in the syntax the search page and README describe.</summary>
    public string? Q { get; init; }
    /// <summary>Only items in this arXiv category (cs.LG) or archive (cs).</summary>
    public string? Category { get; init; }
    /// <summary>paper, post or link.</summary>
    public string? Kind { get; init; }
    /// <summary>Published on or after this day (YYYY-MM-DD).</summary>
    public string? From { get; init; }
    /// <summary>Published on or before this day (YYYY-MM-DD).</summary>
    public string? To { get; init; }
    /// <summary>relevance (default) or newest.</summary>
    public string? Sort { get; init; }
    public int? Page { get; init; }
    public int? PageSize { get; init; }
}

public sealed class SearchResponse
{
    public int Total { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; }
    /// <summary>
    /// True when the page is in exact bm25 order. False when the result set was too large to rank whole (more than
    /// 8,000 matches): the page then comes from the best candidates (matches with a query word in the title).
    /// </summary>
    public bool ExactRanking { get; init; } = true;
    public required IReadOnlyList<SearchItemDto> Items { get; init; }
    public required SearchFacetsDto Facets { get; init; }
}

public sealed class SearchItemDto
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Title { get; init; }
    /// <summary>The title as HTML with the matched words in &lt;mark&gt;.</summary>
    public required string TitleHtml { get; init; }
    public required IReadOnlyList<string> Authors { get; init; }
    /// <summary>HTML: text encoded, matches in &lt;mark&gt;.</summary>
    public required string Snippet { get; init; }
    public required IReadOnlyList<string> Categories { get; init; }
    public required string Published { get; init; }
    public string? Url { get; init; }
    /// <summary>bm25 relevance (higher is better) when sorted by relevance; 0 when sorted by date.</summary>
    public double Score { get; init; }
    /// <summary>Papers: how many posts discuss it. Posts: how many papers it discusses.</summary>
    public int Discussion { get; init; }
}

public sealed class SearchFacetsDto
{
    public required IReadOnlyList<FacetValue> Category { get; init; }
    public required IReadOnlyList<FacetValue> Month { get; init; }
    public required IReadOnlyList<FacetValue> Kind { get; init; }
    /// <summary>Topic keys (see /admin/topics for their names) with their counts; empty while there is no topic model.</summary>
    public IReadOnlyList<FacetValue> Topic { get; init; } = [];
}

public sealed class ItemDto
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Title { get; init; }
    public required string Summary { get; init; }
    public required IReadOnlyList<string> Authors { get; init; }
    public required IReadOnlyList<string> Categories { get; init; }
    public string? PrimaryCategory { get; init; }
    public string? Comment { get; init; }
    public string? JournalRef { get; init; }
    public string? Doi { get; init; }
    public string? License { get; init; }
    public int? Version { get; init; }
    public string? Url { get; init; }
    public string? PdfUrl { get; init; }
    public required string Source { get; init; }
    public required string Published { get; init; }
    public string? Updated { get; init; }

    public static ItemDto From(Item item) => new()
    {
        Id = item.PublicId,
        Kind = item.Kind,
        Title = item.Title,
        Summary = item.Summary,
        Authors = item.AuthorList,
        Categories = item.CategoryList,
        PrimaryCategory = item.CategoryList.Count > 0 ? item.CategoryList[0] : null,
        Comment = item.Comment,
        JournalRef = item.JournalRef,
        Doi = item.Doi,
        License = item.License,
        Version = item.Version,
        Url = item.Url,
        PdfUrl = item.PdfUrl,
        Source = item.Source,
        Published = item.Published,
        Updated = item.Updated,
    };
}

public sealed class HealthDto
{
    public required string Status { get; init; }
    public bool Database { get; init; }
    public long Items { get; init; }
    public long Indexed { get; init; }
    public bool IndexInSync { get; init; }
    public string? Error { get; init; }
}

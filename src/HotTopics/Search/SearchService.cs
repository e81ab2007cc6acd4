using System.Globalization;

namespace HotTopics.Search;

/// <summary>
/// One search operation for every caller: the API, the search page and the CLI turn their parameters into a
/// <see cref="SearchRequest"/>, and get the same response (or the same <see cref="QuerySyntaxException"/>).
/// </summary>
public sealed class SearchService(SearchIndex index, Items.ItemLinkStore links, Classification.TopicFacts topics)
{
    public const int DefaultPageSize = 20;

    public async Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken ct)
    {
        var from = ParseDate("from", request.From);
        var to = ParseDate("to", request.To);
        var sort = request.Sort?.Trim().ToLowerInvariant() switch
        {
            null or "" or "relevance" or "rank" => SearchSort.Relevance,
            "newest" or "date" => SearchSort.Newest,
            _ => throw new QuerySyntaxException($"sort must be relevance or newest, not '{request.Sort}'."),
        };
        var page = request.Page ?? 1;
        if (page < 1) throw new QuerySyntaxException("page starts at 1.");
        if (page > 10_000) throw new QuerySyntaxException("page is past the last page anyone can reach (10,000); narrow the search instead.");
        var pageSize = request.PageSize ?? DefaultPageSize;
        if (pageSize is < 1 or > SearchIndex.MaxPageSize) throw new QuerySyntaxException($"pageSize must be between 1 and {SearchIndex.MaxPageSize}.");

        var parsed = QueryParser.Parse(
            request.Q, from, to,
            string.IsNullOrWhiteSpace(request.Category) ? null : [request.Category],
            string.IsNullOrWhiteSpace(request.Kind) ? null : [request.Kind]);
        if (parsed.Topics.Count > 0)
        {
            var wanted = topics.Mask(parsed.Topics);
            var masks = topics.Current();
            parsed.ItemFilter = id => id < masks.Length && (masks[id] & wanted) == wanted;
        }
        var result = await index.SearchAsync(parsed, sort, page, pageSize, ct);
        var discussion = await links.CountsAsync([.. result.Hits.Select(h => h.Item)], ct);
        return new SearchResponse
        {
            Total = result.Total,
            Page = result.Page,
            PageSize = result.PageSize,
            ExactRanking = result.ExactRanking,
            Items = [.. result.Hits.Select(h => new SearchItemDto
            {
                Id = h.Item.PublicId,
                Kind = h.Item.Kind,
                Title = h.Item.Title,
                TitleHtml = h.TitleHtml,
                Authors = h.Item.AuthorList,
                Snippet = h.SnippetHtml,
                Categories = h.Item.CategoryList,
                Published = h.Item.Published,
                Url = h.Item.Url,
                Score = h.Score,
                Discussion = discussion.GetValueOrDefault(h.Item.Id),
            })],
            Facets = new SearchFacetsDto { Category = result.CategoryFacet, Month = result.MonthFacet, Kind = result.KindFacet, Topic = topics.Facet(result.Matching) },
        };
    }

    private static DateOnly? ParseDate(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        throw new QuerySyntaxException($"{name} must be a date such as 2026-01-31, not '{value}'.");
    }
}

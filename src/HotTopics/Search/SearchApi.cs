using HotTopics.Items;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HotTopics.Search;

public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Search");
        api.MapGet("/search", SearchAsync).WithName("Search")
            .WithSummary("Full-text search with facets, snippets and the query syntax of the search page.");
        api.MapGet("/items/{**id}", GetItemAsync).WithName("GetItem")
            .WithSummary("One item by arXiv id (papers) or number (posts and links).");
        app.MapGet("/healthz", HealthAsync).WithName("Health").WithTags("Health")
            .WithSummary("Database reachable, item count, index in step with the items.");
        return app;
    }

    internal static async Task<Results<Ok<SearchResponse>, ValidationProblem>> SearchAsync(
        [AsParameters] SearchRequest request, SearchService search, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await search.SearchAsync(request, ct));
        }
        catch (QuerySyntaxException ex)
        {
            return InvalidQuery(ex);
        }
    }

    internal static ValidationProblem InvalidQuery(QuerySyntaxException ex) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { ["q"] = [ex.Message] },
        detail: ex.Message,
        title: "The search could not be run");

    internal static async Task<Results<Ok<ItemDto>, ProblemHttpResult>> GetItemAsync(
        string id, ItemStore items, CancellationToken ct)
    {
        var item = await items.FindAsync(id, ct);
        return item is null
            ? TypedResults.Problem(
                title: "No such item",
                detail: $"No item has the id '{id}'. Papers are addressed by arXiv id (2401.01234), other items by number.",
                statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(ItemDto.From(item));
    }

    internal static async Task<Results<Ok<HealthDto>, JsonHttpResult<HealthDto>>> HealthAsync(SearchIndex index, CancellationToken ct)
    {
        try
        {
            var health = await index.HealthAsync(ct);
            var dto = new HealthDto
            {
                Status = health.InSync ? "healthy" : "degraded",
                Database = true,
                Items = health.Items,
                Indexed = health.Indexed,
                IndexInSync = health.InSync,
            };
            return health.InSync ? TypedResults.Ok(dto) : TypedResults.Json(dto, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            return TypedResults.Json(
                new HealthDto { Status = "unhealthy", Database = false, Error = "The database cannot be read: " + ex.SqliteErrorCode },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

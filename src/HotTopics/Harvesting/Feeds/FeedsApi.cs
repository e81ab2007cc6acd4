using HotTopics.Accounts;
using HotTopics.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HotTopics.Harvesting.Feeds;

/// <summary>Organizer endpoints: follow a site or feed, OPML import and export.</summary>
public static class FeedsApi
{
    public sealed record AddFeedRequest(string Url, string? Name);

    public sealed record AddFeedResponse(long Id, string Name, string Url, bool AlreadyFollowed, string How);

    public sealed record FeedSourceDto(long Id, string Name, string Url, bool Failing, int ConsecutiveFailures, string? LastError, string? LastSuccessAt, string? NextAttemptAt);

    public static IEndpointRouteBuilder MapFeedsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/feeds").WithTags("Feeds").RequireAuthorization(Roles.OrganizerPolicy);
        api.MapGet("/", ListAsync).WithName("ListFeeds").WithSummary("The feed sources; failing marks those whose last harvests failed (organizers).");
        api.MapPost("/", AddAsync).WithName("AddFeed").WithSummary("Follows a site or feed URL (the site's feed is discovered) (organizers).");
        api.MapGet("/opml", ExportAsync).WithName("ExportOpml").WithSummary("Every source as OPML (organizers).");
        api.MapPost("/opml", ImportAsync).WithName("ImportOpml").WithSummary("Adds the feeds of an OPML document sent as the body (organizers).");
        return app;
    }

    internal static async Task<Ok<FeedSourceDto[]>> ListAsync(FeedSources feeds, Microsoft.Extensions.Options.IOptions<FeedOptions> options, CancellationToken ct) =>
        TypedResults.Ok((await feeds.ListAsync(ct)).Select(s => new FeedSourceDto(s.Id, s.Name, s.Url, options.Value.IsFailing(s), s.ConsecutiveFailures,
            s.LastError, s.LastSuccessAt, s.NextAttemptAt)).ToArray());

    internal static async Task<Results<Created<AddFeedResponse>, Ok<AddFeedResponse>, ProblemHttpResult>> AddAsync(
        AddFeedRequest request, FeedSources feeds, HarvestSchedule schedule, CancellationToken ct)
    {
        try
        {
            var added = await feeds.AddAsync(request.Url, string.IsNullOrWhiteSpace(request.Name) ? null : request.Name, ct);
            var body = new AddFeedResponse(added.Source.Id, added.Source.Name, added.Source.Url, added.AlreadyFollowed, added.How);
            if (added.AlreadyFollowed) return TypedResults.Ok(body);
            await schedule.SyncAsync(ct);
            return TypedResults.Created($"/api/sources/{Uri.EscapeDataString(added.Source.Name)}/runs", body);
        }
        catch (FeedSourceException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "The URL cannot be followed");
        }
    }

    internal static async Task<ContentHttpResult> ExportAsync(FeedSources feeds, CancellationToken ct) =>
        TypedResults.Content(await feeds.ExportOpmlAsync(ct), "text/x-opml; charset=utf-8");

    internal static async Task<Results<Ok<OpmlImport>, ProblemHttpResult>> ImportAsync(HttpRequest request, FeedSources feeds, HarvestSchedule schedule, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(ct);
        try
        {
            var result = await feeds.ImportOpmlAsync(text, ct);
            if (result.Added > 0) await schedule.SyncAsync(ct);
            return TypedResults.Ok(result);
        }
        catch (FeedSourceException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "The OPML document cannot be imported");
        }
    }
}

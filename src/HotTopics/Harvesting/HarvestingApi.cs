using HotTopics.Accounts;
using HotTopics.Harvesting.Sources;
using HotTopics.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HotTopics.Harvesting;

/// <summary>Organizer endpoints: the sources with their state, their runs, and "refresh now".</summary>
public static class HarvestingApi
{
    public sealed record SourceDto(long Id, string Name, string Kind, string Url, bool Enabled, string? Schedule,
        string? LastSuccessAt, string? LastError, int ConsecutiveFailures, string? NextAttemptAt);

    public static IEndpointRouteBuilder MapHarvestingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sources").WithTags("Sources").RequireAuthorization(Roles.OrganizerPolicy);
        api.MapGet("/", ListAsync).WithName("ListSources").WithSummary("Every source with its state (organizers).");
        api.MapGet("/{name}/runs", RunsAsync).WithName("SourceRuns").WithSummary("The source's last 50 runs (organizers).");
        api.MapPost("/{name}/refresh", RefreshAsync).WithName("RefreshSource")
            .WithSummary("Harvests the source now, in the background; the run shows in its runs (organizers).");
        return app;
    }

    internal static async Task<Ok<SourceDto[]>> ListAsync(SourceStore sources, CancellationToken ct) =>
        TypedResults.Ok((await sources.ListAsync(ct)).Select(s => new SourceDto(s.Id, s.Name, s.Kind, s.Url, s.Enabled, s.Schedule,
            s.LastSuccessAt, s.LastError, s.ConsecutiveFailures, s.NextAttemptAt)).ToArray());

    internal static async Task<Results<Ok<IReadOnlyList<JobRun>>, NotFound>> RunsAsync(string name, SourceStore sources, JobRunStore runs, CancellationToken ct) =>
        await sources.FindAsync(name, ct) is { } source
            ? TypedResults.Ok(await runs.RecentAsync(source.JobName, 50, ct))
            : TypedResults.NotFound();

    internal static async Task<Results<Accepted, NotFound>> RefreshAsync(string name, SourceStore sources, HarvestSchedule schedule, CancellationToken ct)
    {
        if (await sources.FindAsync(name, ct) is not { } source) return TypedResults.NotFound();
        await schedule.TriggerNowAsync(source, ct);
        return TypedResults.Accepted($"/api/sources/{Uri.EscapeDataString(source.Name)}/runs");
    }
}

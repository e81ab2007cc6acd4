using HotTopics.Harvesting.Sources;
using HotTopics.Jobs;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotTopics.Pages.Admin;

/// <summary>The sources, their state and the last runs; "refresh now" runs a source's job in the background.</summary>
public sealed class SourcesModel(SourceStore sources, JobRunStore runs, HarvestSchedule schedule) : PageModel
{
    public IReadOnlyList<Source> Sources { get; private set; } = [];
    public Dictionary<long, DateTimeOffset?> NextRuns { get; } = [];
    public IReadOnlyList<JobRun> Runs { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Sources = await sources.ListAsync(ct);
        foreach (var s in Sources) NextRuns[s.Id] = await schedule.NextRunAsync(s, ct);
        Runs = await runs.RecentAsync(null, 30, ct);
    }

    public async Task OnPostRefreshAsync(long id, CancellationToken ct)
    {
        var source = await sources.GetAsync(id, ct);
        if (source is null)
        {
            Message = "That source no longer exists.";
        }
        else
        {
            await schedule.TriggerNowAsync(source, ct);
            Message = $"{source.Name} is being refreshed; its run appears below when it has finished.";
        }
        await OnGetAsync(ct);
    }
}

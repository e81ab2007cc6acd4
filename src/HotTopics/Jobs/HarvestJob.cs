using HotTopics.Harvesting;
using HotTopics.Harvesting.Sources;
using Quartz;

namespace HotTopics.Jobs;

/// <summary>
/// The Quartz job behind every source's schedule, its retries and the "refresh now" button: one job per source
/// (so <see cref="DisallowConcurrentExecutionAttribute"/> means one run per source at a time), all calling
/// <see cref="Harvester.RefreshAsync(long, string, HarvestWindow?, IProgress{HarvestProgress}?, CancellationToken)"/>.
/// </summary>
[DisallowConcurrentExecution]
public sealed class HarvestJob(Harvester harvester, SourceStore sources, HarvestSchedule schedule, ILogger<HarvestJob> logger) : IJob
{
    public const string SourceIdKey = "sourceId";
    public const string TriggerKindKey = "trigger";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var data = context.MergedJobDataMap;
        var sourceId = Convert.ToInt64(data[SourceIdKey], System.Globalization.CultureInfo.InvariantCulture);
        var trigger = data.TryGetValue(TriggerKindKey, out var t) && t is string s && RunTrigger.IsKnown(s) ? s : RunTrigger.Schedule;
        var source = await sources.GetAsync(sourceId, cancellationToken);
        if (source is null) return;
        HarvestResult result;
        try
        {
            result = await harvester.RefreshAsync(sourceId, trigger, null, null, cancellationToken);
        }
        catch (SourceBusyException ex)
        {
            HarvestingLog.SourceBusy(logger, source.Name, ex.Message);
            return;
        }
        if (result is { Succeeded: false, NextAttemptAt: { } at }) await schedule.ScheduleRetryAsync(result.Source, at, cancellationToken);
    }
}

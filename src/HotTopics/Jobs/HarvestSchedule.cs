using HotTopics.Harvesting.Sources;
using Microsoft.Extensions.Options;
using Quartz;

namespace HotTopics.Jobs;

/// <summary>
/// Keeps Quartz's persistent schedule in step with the sources table: one durable job per source, a cron trigger
/// for its schedule, one-shot triggers for retries and "refresh now". A trigger whose schedule did not change is
/// left alone, so a run missed while the service was down fires once when it is back (misfire: fire and proceed).
/// </summary>
public sealed class HarvestSchedule(ISchedulerFactory schedulers, SourceStore sources, IOptions<JobsOptions> options)
{
    public const string Group = "harvest";
    private const string ScheduleGroup = "harvest-schedule";
    private const string RetryGroup = "harvest-retry";

    public static JobKey JobKeyFor(Source source) => new(source.Name, Group);

    public static TriggerKey ScheduleTriggerFor(Source source) => new(source.Name, ScheduleGroup);

    public async Task SyncAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var zone = options.Value.Zone;
        var all = await sources.ListAsync(ct);
        foreach (var source in all)
        {
            var triggerKey = ScheduleTriggerFor(source);
            if (!source.Enabled || string.IsNullOrWhiteSpace(source.Schedule))
            {
                await scheduler.UnscheduleJob(triggerKey, ct);
                continue;
            }
            if (await scheduler.GetTrigger(triggerKey, ct) is ICronTrigger existing
                && existing.CronExpressionString == source.Schedule && existing.TimeZone.Id == zone.Id)
            {
                continue;
            }
            var trigger = TriggerBuilder.Create()
                .WithIdentity(triggerKey)
                .ForJob(JobKeyFor(source))
                .WithCronSchedule(source.Schedule, cron => cron.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                .Build();
            await scheduler.ScheduleJob(Job(source), [trigger], new ScheduleJobOptions { Replace = true }, ct);
        }
        var names = all.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(Group), ct))
        {
            if (!names.Contains(key.Name)) await scheduler.DeleteJob(key, ct);
        }
    }

    /// <summary>Runs the source's job now, in the background (the organizers' "refresh now").</summary>
    public async Task TriggerNowAsync(Source source, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.AddJob(Job(source), new AddJobOptions { Replace = true }, ct);
        await scheduler.TriggerJob(JobKeyFor(source), new JobDataMap { [HarvestJob.TriggerKindKey] = RunTrigger.Manual }, ct);
    }

    /// <summary>After a failure: one more run when the back-off has passed.</summary>
    public async Task ScheduleRetryAsync(Source source, DateTimeOffset at, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(new TriggerKey(source.Name, RetryGroup))
            .ForJob(JobKeyFor(source))
            .UsingJobData(HarvestJob.TriggerKindKey, RunTrigger.Retry)
            .StartAt(at)
            .Build();
        await scheduler.ScheduleJob(trigger, new ScheduleJobOptions { Replace = true }, ct);
    }

    /// <summary>When the source's schedule fires next, if it has one.</summary>
    public async Task<DateTimeOffset?> NextRunAsync(Source source, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        return (await scheduler.GetTrigger(ScheduleTriggerFor(source), ct))?.NextFireTimeUtc;
    }

    private static IJobDetail Job(Source source) => JobBuilder.Create<HarvestJob>()
        .WithIdentity(JobKeyFor(source))
        .WithDescription($"harvest {source.Name} ({source.Kind})")
        .UsingJobData(HarvestJob.SourceIdKey, source.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .StoreDurably()
        .Build();
}

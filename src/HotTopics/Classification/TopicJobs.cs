using HotTopics.Jobs;
using Microsoft.Extensions.Options;
using Quartz;

namespace HotTopics.Classification;

/// <summary>Tags the items the model in service has not scored yet (new arrivals; everything after a new model).</summary>
[DisallowConcurrentExecution]
public sealed class TopicTagJob(TopicService topics, JobRunStore runs, ILogger<TopicTagJob> logger) : IJob
{
    public static readonly JobKey Key = new("topics-tag", "topics");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var count = await topics.TagAsync(cancellationToken);
            if (count == 0) return; // a quiet poll leaves no row in the history
            var run = await runs.StartAsync(Key.Name, null, TopicSchedule.TriggerOf(context), cancellationToken);
            await runs.FinishAsync(run, RunStatus.Succeeded, count, 0, null, cancellationToken);
            ClassificationLog.Tagged(logger, count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var run = await runs.StartAsync(Key.Name, null, TopicSchedule.TriggerOf(context), cancellationToken);
            await runs.FinishAsync(run, RunStatus.Failed, 0, 0, ex.Message, cancellationToken);
            throw new JobExecutionException(ex);
        }
    }
}

/// <summary>Weekly and on demand: trains a candidate, promotes it only if it is not worse on the recent items.</summary>
[DisallowConcurrentExecution]
public sealed class TopicRetrainJob(TopicService topics, JobRunStore runs, ILogger<TopicRetrainJob> logger) : IJob
{
    public static readonly JobKey Key = new("topics-retrain", "topics");
    public const string ReasonKey = "reason";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var trigger = TopicSchedule.TriggerOf(context);
        var run = await runs.StartAsync(Key.Name, null, trigger, cancellationToken);
        try
        {
            var reason = context.MergedJobDataMap.TryGetValue(ReasonKey, out var r) && r is string s ? s : trigger;
            var outcome = await topics.RetrainAsync(reason, cancellationToken);
            // The outcome (promoted or not, and the metrics) is in the topic_models history.
            await runs.FinishAsync(run, RunStatus.Succeeded, 0, 0, null, cancellationToken);
            ClassificationLog.Retrained(logger, outcome.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await runs.FinishAsync(run, RunStatus.Failed, 0, 0, ex.Message, cancellationToken);
            throw new JobExecutionException(ex);
        }
    }
}

/// <summary>
/// Puts the two topic jobs on Quartz's persistent schedule at start (a trigger whose schedule did not change is
/// left alone, so a missed weekly run fires once when the service is back) and, on a first start with items
/// but no model, asks for a retraining in the background.
/// </summary>
public sealed class TopicSchedule(ISchedulerFactory schedulers, TopicStore store, Items.ItemStore items, IOptions<TopicsOptions> options, IOptions<JobsOptions> jobs) : IHostedService
{
    private const string TriggerKindKey = "trigger";

    internal static string TriggerOf(IJobExecutionContext context) =>
        context.MergedJobDataMap.TryGetValue(TriggerKindKey, out var t) && t is string s && RunTrigger.IsKnown(s) ? s : RunTrigger.Schedule;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!jobs.Value.Enabled) return;
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await EnsureAsync(scheduler, JobBuilder.Create<TopicTagJob>().WithIdentity(TopicTagJob.Key).WithDescription("tag new items with topics").StoreDurably().Build(),
            options.Value.TagSchedule, cancellationToken);
        await EnsureAsync(scheduler, JobBuilder.Create<TopicRetrainJob>().WithIdentity(TopicRetrainJob.Key).WithDescription("retrain the topic model").StoreDurably().Build(),
            options.Value.RetrainSchedule, cancellationToken);
        if (options.Value.TrainOnFirstStart && await store.PromotedAsync(cancellationToken) is null && await items.CountAsync(cancellationToken) > 0)
            await TriggerRetrainAsync("first start", cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs the retraining job now, in the background (the organizers' button).</summary>
    public async Task TriggerRetrainAsync(string reason, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.TriggerJob(TopicRetrainJob.Key, new JobDataMap { [TriggerKindKey] = RunTrigger.Manual, [TopicRetrainJob.ReasonKey] = reason }, ct);
    }

    private async Task EnsureAsync(IScheduler scheduler, IJobDetail job, string cron, CancellationToken ct)
    {
        var key = new TriggerKey(job.Key.Name, "topics-schedule");
        var zone = jobs.Value.Zone;
        if (await scheduler.GetTrigger(key, ct) is ICronTrigger existing && existing.CronExpressionString == cron && existing.TimeZone.Id == zone.Id) return;
        var trigger = TriggerBuilder.Create().WithIdentity(key).ForJob(job.Key)
            .WithCronSchedule(cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, ct);
    }
}

using HotTopics.Items;
using HotTopics.Harvesting.Sources;
using HotTopics.Jobs;
using HotTopics.Storage;
using Microsoft.Extensions.Options;

namespace HotTopics.Harvesting;

/// <summary>How one run ended.</summary>
public sealed class HarvestResult
{
    public required long RunId { get; init; }
    public required Source Source { get; init; }
    /// <summary>
    /// <see cref="RunStatus.Succeeded"/>, <see cref="RunStatus.Failed"/>, <see cref="RunStatus.Interrupted"/> (shutdown),
    /// or <see cref="RunStatus.Skipped"/>: a scheduled tick while the source backs off or is not due (no run is recorded).
    /// </summary>
    public required string Status { get; init; }
    public int Pages { get; init; }
    public int ItemsNew { get; init; }
    public int ItemsUpdated { get; init; }
    public int ItemsUnchanged { get; init; }
    public string? Error { get; init; }
    /// <summary>After a failure: when the source may be tried again.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
    public bool Succeeded => Status == RunStatus.Succeeded;
}

/// <summary>No source has that name or number.</summary>
public sealed class SourceNotFoundException(string nameOrId) : Exception($"there is no source '{nameOrId}' (the 'sources' verb lists them)");

/// <summary>Another run (in this process or another one) is harvesting the source right now.</summary>
public sealed class SourceBusyException(string name) : Exception($"source '{name}' is being harvested by another run right now; try again when it has finished");

/// <summary>
/// The one harvest operation: the Quartz job, the organizers' "refresh now" and the CLI's <c>harvest</c> all call
/// <see cref="RefreshAsync(string, string, HarvestWindow?, IProgress{HarvestProgress}?, CancellationToken)"/>. It dispatches on the
/// source's kind, records the run in <c>job_runs</c> and the outcome on the source: a failure is stored (error,
/// failures in a row, next attempt after a back-off), never dropped.
/// </summary>
public sealed class Harvester(
    SourceStore sources,
    JobRunStore runs,
    IEnumerable<ISourceHarvester> harvesters,
    Database database,
    TimeProvider time,
    IOptions<HarvestingOptions> options,
    ILogger<Harvester> logger)
{
    private readonly Dictionary<string, ISourceHarvester> _byKind = harvesters.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    public async Task<HarvestResult> RefreshAsync(string sourceNameOrId, string trigger, HarvestWindow? window, IProgress<HarvestProgress>? progress, CancellationToken ct)
    {
        var source = await sources.FindAsync(sourceNameOrId, ct) ?? throw new SourceNotFoundException(sourceNameOrId);
        return await RefreshAsync(source.Id, trigger, window, progress, ct);
    }

    public async Task<HarvestResult> RefreshAsync(long sourceId, string trigger, HarvestWindow? window, IProgress<HarvestProgress>? progress, CancellationToken ct)
    {
        var source = await sources.GetAsync(sourceId, ct) ?? throw new SourceNotFoundException(sourceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // One run per source at a time, across processes (the server's scheduler and a CLI harvest): an OS file
        // lock, which the OS releases when a process dies, so a crash never leaves a source locked.
        using var sourceLock = SourceLock.TryAcquire(database.DataDir, source.Id) ?? throw new SourceBusyException(source.Name);
        // Read again under the lock: the cursor may have moved while we waited.
        source = await sources.GetAsync(sourceId, ct) ?? throw new SourceNotFoundException(source.Name);
        if (trigger == RunTrigger.Schedule && SkipReason(source) is { } reason)
        {
            HarvestingLog.SkippedByTheSchedule(logger, source.Name, reason);
            return new HarvestResult { RunId = 0, Source = source, Status = RunStatus.Skipped };
        }

        var runId = await runs.StartAsync(source.JobName, source.Id, trigger, ct);
        await sources.MarkAttemptAsync(source.Id, ct);
        HarvestingLog.RunStarted(logger, source.Name, trigger);
        var context = new HarvestContext(source, window ?? HarvestWindow.None, trigger, database, time, progress);
        string status;
        string? error = null;
        DateTimeOffset? nextAttempt = null;
        try
        {
            if (!_byKind.TryGetValue(source.Kind, out var harvester))
                throw new HarvestException($"no harvester handles sources of kind '{source.Kind}'");
            await harvester.HarvestAsync(context, ct);
            if (context.MovedTo is { } moved) await sources.UpdateUrlAsync(source.Id, moved.ToString(), CancellationToken.None);
            await sources.MarkSuccessAsync(source.Id, CancellationToken.None);
            status = RunStatus.Succeeded;
            HarvestingLog.RunSucceeded(logger, source.Name, context.Pages, context.Counts.Added, context.Counts.Updated);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutdown, not a fault of the source: committed pages stay, the next run resumes from the cursor.
            status = RunStatus.Interrupted;
            error = "stopped: the service shut down during the run";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            status = RunStatus.Failed;
            error = ex is HarvestException or FetchException or MalformedXmlException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            var failures = await sources.MarkFailureAsync(source.Id, error, options.Value.FailureBackoff, CancellationToken.None);
            nextAttempt = time.GetUtcNow() + options.Value.FailureBackoff(failures);
            HarvestingLog.RunFailed(logger, source.Name, failures, error, ex is HarvestException or FetchException or MalformedXmlException ? null : ex);
        }
        await runs.FinishAsync(runId, status, context.Counts.Added, context.Counts.Updated, error, CancellationToken.None);
        return new HarvestResult
        {
            RunId = runId,
            Source = await sources.GetAsync(source.Id, CancellationToken.None) ?? source,
            Status = status,
            Pages = context.Pages,
            ItemsNew = context.Counts.Added,
            ItemsUpdated = context.Counts.Updated,
            ItemsUnchanged = context.Counts.Unchanged,
            Error = error,
            NextAttemptAt = nextAttempt,
        };
    }

    /// <summary>
    /// Why a scheduled tick should not run: the source is backing off after a failure (the retry trigger set then runs
    /// it when due), or its harvester says nothing is due yet. Null: run.
    /// </summary>
    private string? SkipReason(Source source)
    {
        var now = time.GetUtcNow();
        if (source.NextAttemptAt is { } next && ItemDates.Parse(next) > now) return $"backing off until {next}";
        if (_byKind.TryGetValue(source.Kind, out var harvester) && harvester.DueAt(source) is { } due && due > now)
            return $"not due before {ItemDates.Format(due)}";
        return null;
    }
}

/// <summary>An exclusive lock file per source under the data directory (<c>locks/source-N.lock</c>).</summary>
internal static class SourceLock
{
    public static FileStream? TryAcquire(string dataDir, long sourceId)
    {
        var dir = Path.Combine(dataDir, "locks");
        Directory.CreateDirectory(dir);
        try
        {
            return new FileStream(Path.Combine(dir, $"source-{sourceId.ToString(System.Globalization.CultureInfo.InvariantCulture)}.lock"),
                FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}

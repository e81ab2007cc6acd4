using Dapper;
using HotTopics.Items;
using HotTopics.Storage;

namespace HotTopics.Jobs;

/// <summary>What started a run: the schedule, an organizer (button, API, CLI), or a retry after a failure.</summary>
public static class RunTrigger
{
    public const string Schedule = "schedule";
    public const string Manual = "manual";
    public const string Retry = "retry";

    public static bool IsKnown(string value) => value is Schedule or Manual or Retry;
}

public static class RunStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    /// <summary>The process died during the run; found and marked when the next run of the same job starts.</summary>
    public const string Interrupted = "interrupted";
    /// <summary>A scheduled tick that did not run (backing off, or not due); reported to the caller, never stored.</summary>
    public const string Skipped = "skipped";
}

/// <summary>One row of the run history.</summary>
public sealed class JobRun
{
    public long Id { get; init; }
    public string Job { get; init; } = "";
    public long? SourceId { get; init; }
    public string TriggerKind { get; init; } = "";
    public string StartedAt { get; init; } = "";
    public string? FinishedAt { get; init; }
    public string Status { get; init; } = "";
    public int ItemsNew { get; init; }
    public int ItemsUpdated { get; init; }
    public string? Error { get; init; }
}

/// <summary>The <c>job_runs</c> history: every run of every job is written here, success or failure.</summary>
public sealed class JobRunStore(Database database, TimeProvider time)
{
    private const string Columns = """
        id, job, source_id AS SourceId, trigger_kind AS TriggerKind, started_at AS StartedAt, finished_at AS FinishedAt,
        status, items_new AS ItemsNew, items_updated AS ItemsUpdated, error
        """;

    /// <summary>
    /// Records the start of a run. Earlier runs of the same job still marked running were cut short by a crash:
    /// callers hold the job's lock, so nothing else can be running them.
    /// </summary>
    public async Task<long> StartAsync(string job, long? sourceId, string trigger, CancellationToken ct)
    {
        if (!RunTrigger.IsKnown(trigger)) throw new ArgumentException($"unknown trigger kind '{trigger}'", nameof(trigger));
        var now = ItemDates.Format(time.GetUtcNow());
        await using var connection = await database.OpenAsync(ct);
        await using var tx = connection.BeginTransaction();
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE job_runs SET status = 'interrupted', finished_at = @now,
                error = coalesce(error, 'the process stopped before the run finished')
            WHERE job = @job AND status = 'running'
            """, new { job, now }, tx, cancellationToken: ct));
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO job_runs (job, source_id, trigger_kind, started_at, status)
            VALUES (@job, @sourceId, @trigger, @now, 'running')
            RETURNING id
            """, new { job, sourceId, trigger, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return id;
    }

    public async Task FinishAsync(long runId, string status, int itemsNew, int itemsUpdated, string? error, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE job_runs SET finished_at = @now, status = @status, items_new = @itemsNew, items_updated = @itemsUpdated, error = @error
            WHERE id = @runId
            """, new { runId, now = ItemDates.Format(time.GetUtcNow()), status, itemsNew, itemsUpdated, error }, cancellationToken: ct));
    }

    public async Task<JobRun?> GetAsync(long runId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<JobRun>(new CommandDefinition(
            $"SELECT {Columns} FROM job_runs WHERE id = @runId", new { runId }, cancellationToken: ct));
    }

    /// <summary>The newest runs first; of one job when <paramref name="job"/> is given.</summary>
    public async Task<IReadOnlyList<JobRun>> RecentAsync(string? job, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<JobRun>(new CommandDefinition($"""
            SELECT {Columns} FROM job_runs WHERE @job IS NULL OR job = @job ORDER BY id DESC LIMIT @limit
            """, new { job, limit }, cancellationToken: ct));
        return [.. rows];
    }
}

using Dapper;
using HotTopics.Items;
using HotTopics.Storage;
using Microsoft.Data.Sqlite;

namespace HotTopics.Harvesting.Sources;

/// <summary>A source as configuration or an organizer defines it (no state).</summary>
public sealed class SourceDefinition
{
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public required string Url { get; init; }
    public string Settings { get; init; } = "{}";
    public bool Enabled { get; init; } = true;
    public string? Schedule { get; init; }
}

/// <summary>The <c>sources</c> table: definitions, cursors and the state of the last attempts.</summary>
public sealed class SourceStore(Database database, TimeProvider time)
{
    private const string Columns = """
        id, name, kind, url, settings, enabled, schedule, from_config AS FromConfig, cursor, etag AS ETag,
        last_modified AS LastModified, last_attempt_at AS LastAttemptAt, last_success_at AS LastSuccessAt,
        last_error AS LastError, consecutive_failures AS ConsecutiveFailures, next_attempt_at AS NextAttemptAt,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    private string Now => ItemDates.Format(time.GetUtcNow());

    public async Task<IReadOnlyList<Source>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<Source>(new CommandDefinition($"SELECT {Columns} FROM sources ORDER BY name", cancellationToken: ct))];
    }

    /// <summary>A source by its name or its number.</summary>
    public async Task<Source?> FindAsync(string nameOrId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var byName = await connection.QuerySingleOrDefaultAsync<Source>(new CommandDefinition(
            $"SELECT {Columns} FROM sources WHERE name = @nameOrId", new { nameOrId }, cancellationToken: ct));
        if (byName is not null || !long.TryParse(nameOrId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)) return byName;
        return await GetAsync(id, ct);
    }

    public async Task<Source?> GetAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Source>(new CommandDefinition(
            $"SELECT {Columns} FROM sources WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>Adds a source, or updates the definition of the one with that name; its state and cursor are kept.</summary>
    public async Task<Source> SaveAsync(SourceDefinition definition, bool fromConfig, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO sources (name, kind, url, settings, enabled, schedule, from_config, created_at, updated_at)
            VALUES (@Name, @Kind, @Url, @Settings, @Enabled, @Schedule, @fromConfig, @now, @now)
            ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, url = excluded.url, settings = excluded.settings,
                enabled = excluded.enabled, schedule = excluded.schedule, from_config = excluded.from_config,
                updated_at = CASE WHEN sources.kind IS excluded.kind AND sources.url IS excluded.url AND sources.settings IS excluded.settings
                    AND sources.enabled IS excluded.enabled AND sources.schedule IS excluded.schedule THEN sources.updated_at ELSE excluded.updated_at END
            """, new { definition.Name, definition.Kind, definition.Url, definition.Settings, definition.Enabled, definition.Schedule, fromConfig, now = Now },
            cancellationToken: ct));
        return (await FindAsync(definition.Name, ct))!;
    }

    /// <summary>Disables the sources seeded from configuration whose names configuration no longer lists.</summary>
    public async Task DisableConfiguredExceptAsync(IReadOnlyList<string> names, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE sources SET enabled = 0, updated_at = @now
            WHERE from_config = 1 AND enabled = 1 AND name NOT IN @names
            """, new { names, now = Now }, cancellationToken: ct));
    }

    /// <summary>Writes the cursor inside the caller's transaction: the one that stored the items it produced.</summary>
    public static void WriteCursor(SqliteConnection connection, SqliteTransaction tx, long sourceId, string? cursor, string? etag, string? lastModified) =>
        connection.Execute("""
            UPDATE sources SET cursor = @cursor, etag = coalesce(@etag, etag), last_modified = coalesce(@lastModified, last_modified)
            WHERE id = @sourceId
            """, new { sourceId, cursor, etag, lastModified }, tx);

    public async Task MarkAttemptAsync(long sourceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sources SET last_attempt_at = @now WHERE id = @sourceId", new { sourceId, now = Now }, cancellationToken: ct));
    }

    public async Task MarkSuccessAsync(long sourceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE sources SET last_success_at = @now, last_error = NULL, consecutive_failures = 0, next_attempt_at = NULL
            WHERE id = @sourceId
            """, new { sourceId, now = Now }, cancellationToken: ct));
    }

    /// <summary>Stores the failure and when to try again; returns the number of failures in a row.</summary>
    public async Task<int> MarkFailureAsync(long sourceId, string error, Func<int, TimeSpan> backoff, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = connection.BeginTransaction();
        var failures = 1 + await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT consecutive_failures FROM sources WHERE id = @sourceId", new { sourceId }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE sources SET last_error = @error, consecutive_failures = @failures, next_attempt_at = @next
            WHERE id = @sourceId
            """, new { sourceId, error, failures, next = ItemDates.Format(time.GetUtcNow() + backoff(failures)) }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return failures;
    }

    /// <summary>A permanent redirect moved the source: later fetches go to the new address.</summary>
    public async Task UpdateUrlAsync(long sourceId, string url, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sources SET url = @url, updated_at = @now WHERE id = @sourceId", new { sourceId, url, now = Now }, cancellationToken: ct));
    }
}

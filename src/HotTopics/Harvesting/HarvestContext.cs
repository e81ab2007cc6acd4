using HotTopics.Harvesting.Sources;
using HotTopics.Items;
using HotTopics.Storage;
using Microsoft.Data.Sqlite;

namespace HotTopics.Harvesting;

/// <summary>One page a harvester produced: its records, and the cursor (and validators) that come after it.</summary>
public sealed class SourcePage
{
    public IReadOnlyList<ItemRecord> Records { get; init; } = [];
    /// <summary>The source's new cursor (kind-specific JSON); stored only if the records are.</summary>
    public string? Cursor { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    /// <summary>
    /// Extra writes in the same transaction, after the items: e.g. links between a post and the papers it names.
    /// Gets each record with the id of its stored item.
    /// </summary>
    public Action<SqliteConnection, SqliteTransaction, IReadOnlyList<(ItemRecord Record, long ItemId)>>? AlsoWrite { get; init; }
}

/// <summary>What a harvester gets for one run: the source, an optional window, and the one way to store a page.</summary>
public sealed class HarvestContext(Source source, HarvestWindow window, string trigger, Database database, TimeProvider time, IProgress<HarvestProgress>? progress)
{
    public Source Source { get; } = source;
    public HarvestWindow Window { get; } = window;
    /// <summary><c>schedule</c>, <c>manual</c> or <c>retry</c> (<see cref="Jobs.RunTrigger"/>).</summary>
    public string Trigger { get; } = trigger;
    /// <summary>The cursor as of now: the source's stored one, then the last committed page's.</summary>
    public string? Cursor { get; private set; } = source.Cursor;
    public string? ETag { get; private set; } = source.ETag;
    public string? LastModified { get; private set; } = source.LastModified;
    public int Pages { get; private set; }
    public UpsertCounts Counts { get; } = new();
    /// <summary>Set by a harvester whose fetch followed a permanent redirect; <see cref="Harvester"/> stores it as the source's URL when the run succeeds.</summary>
    public Uri? MovedTo { get; set; }

    /// <summary>
    /// Stores the page's records and its cursor in one transaction: after a crash the cursor never points past
    /// items that were not stored, nor before items that were (so nothing is lost, nothing is stored twice).
    /// The search index follows in the same transaction (triggers).
    /// </summary>
    public async Task CommitPageAsync(SourcePage page, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        await using var connection = await database.OpenAsync(ct);
        using var tx = connection.BeginTransaction();
        UpsertCounts counts;
        using (var writer = new ItemWriter(connection, tx, time))
        {
            if (page.AlsoWrite is null)
            {
                // The batch path: new items in one statement, so FTS5 flushes one segment per page, not per paper.
                counts = writer.UpsertMany(page.Records);
            }
            else
            {
                counts = new UpsertCounts();
                var stored = new List<(ItemRecord, long)>(page.Records.Count);
                foreach (var record in page.Records)
                {
                    var (outcome, id) = writer.Upsert(record);
                    counts.Add(outcome);
                    stored.Add((record, id));
                }
                page.AlsoWrite(connection, tx, stored);
            }
        }
        SourceStore.WriteCursor(connection, tx, Source.Id, page.Cursor ?? Cursor, page.ETag, page.LastModified);
        tx.Commit();
        Cursor = page.Cursor ?? Cursor;
        ETag = page.ETag ?? ETag;
        LastModified = page.LastModified ?? LastModified;
        Pages++;
        Counts.Added += counts.Added;
        Counts.Updated += counts.Updated;
        Counts.Unchanged += counts.Unchanged;
        Report($"page {Pages}: {page.Records.Count} records");
    }

    /// <summary>Tells the CLI (or whoever watches) what is going on.</summary>
    public void Report(string message) => progress?.Report(new HarvestProgress(Pages, Counts.Added, Counts.Updated, Counts.Unchanged, message));
}

using Dapper;
using HotTopics.Storage;

namespace HotTopics.Items;

/// <summary>Reads items; writes go through <see cref="ItemWriter"/> inside a caller's transaction.</summary>
public sealed class ItemStore(Database database, TimeProvider time)
{
    private const string SelectColumns = """
        id, item_key AS ItemKey, kind, title, summary, authors, categories, comment, journal_ref AS JournalRef,
        doi, license, arxiv_id AS ArxivId, version, url, pdf_url AS PdfUrl, source, published, updated,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    /// <summary>Finds an item by its public id: an arXiv id (a version suffix is ignored) or the item number.</summary>
    public async Task<Item?> FindAsync(string publicId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        if (ArxivId.TryParse(publicId, out var arxiv))
        {
            return await connection.QuerySingleOrDefaultAsync<Item>(new CommandDefinition(
                $"SELECT {SelectColumns} FROM items WHERE item_key = @key", new { key = arxiv.ItemKey }, cancellationToken: ct));
        }
        if (long.TryParse(publicId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return await connection.QuerySingleOrDefaultAsync<Item>(new CommandDefinition(
                $"SELECT {SelectColumns} FROM items WHERE id = @id", new { id }, cancellationToken: ct));
        }
        return null;
    }

    /// <summary>The items with these ids, in the order given (ids that no longer exist are skipped).</summary>
    public async Task<IReadOnlyList<Item>> GetManyAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Item>(new CommandDefinition(
            $"SELECT {SelectColumns} FROM items WHERE id IN @ids", new { ids }, cancellationToken: ct))).ToDictionary(i => i.Id);
        return [.. ids.Where(rows.ContainsKey).Select(i => rows[i])];
    }

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM items", cancellationToken: ct));
    }

    /// <summary>Stores records in one transaction; returns how many were added, updated and left unchanged.</summary>
    public UpsertCounts Upsert(IEnumerable<ItemRecord> records)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        using var writer = new ItemWriter(connection, tx, time);
        var counts = writer.UpsertMany([.. records]);
        tx.Commit();
        return counts;
    }
}

public sealed class UpsertCounts
{
    public int Added { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }

    public void Add(UpsertCounts other)
    {
        Added += other.Added;
        Updated += other.Updated;
        Unchanged += other.Unchanged;
    }

    public void Add(UpsertOutcome outcome)
    {
        switch (outcome)
        {
            case UpsertOutcome.Added: Added++; break;
            case UpsertOutcome.Updated: Updated++; break;
            default: Unchanged++; break;
        }
    }
}

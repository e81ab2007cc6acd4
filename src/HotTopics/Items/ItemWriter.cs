using Microsoft.Data.Sqlite;

namespace HotTopics.Items;

public enum UpsertOutcome
{
    Unchanged,
    Added,
    Updated,
}

/// <summary>
/// Merges records into items inside the caller's transaction, so a harvester can write its cursor in the same
/// transaction as the records it produced. Prepared statements are reused for every record of a batch.
/// </summary>
public sealed class ItemWriter : IDisposable
{
    private readonly SqliteCommand _select;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _insertMany;
    private readonly string _now;
    private long _rev;

    private static readonly string[] Columns =
    [
        "kind", "title", "summary", "authors", "categories", "comment", "journal_ref", "doi", "license",
        "arxiv_id", "version", "url", "pdf_url", "source", "published", "updated",
    ];

    public ItemWriter(SqliteConnection connection, SqliteTransaction transaction, TimeProvider time)
    {
        _now = ItemDates.Format(time.GetUtcNow());
        // Writers hold SQLite's write lock (BEGIN IMMEDIATE), so the revision counter cannot race.
        using (var max = connection.CreateCommand())
        {
            max.Transaction = transaction;
            max.CommandText = "SELECT coalesce(max(rev), 0) FROM items";
            _rev = (long)max.ExecuteScalar()!;
        }
        _select = Prepare(connection, transaction,
            $"SELECT id, {string.Join(", ", Columns)} FROM items WHERE item_key = $item_key", ["item_key"]);
        _insert = Prepare(connection, transaction,
            $"""
            INSERT INTO items (item_key, {string.Join(", ", Columns)}, rev, created_at, updated_at)
            VALUES ($item_key, {string.Join(", ", Columns.Select(c => "$" + c))}, $rev, $now, $now)
            RETURNING id
            """, ["item_key", .. Columns, "rev", "now"]);
        _update = Prepare(connection, transaction,
            $"""
            UPDATE items SET {string.Join(", ", Columns.Select(c => $"{c} = ${c}"))}, rev = $rev, updated_at = $now
            WHERE id = $id
            """, ["id", .. Columns, "rev", "now"]);
        _update.Parameters["$now"].Value = _now;
        _insert.Parameters["$now"].Value = _now;
        _insertMany = Prepare(connection, transaction,
            $"""
            INSERT INTO items (item_key, {string.Join(", ", Columns)}, rev, created_at, updated_at)
            SELECT {string.Join(", ", Enumerable.Range(0, Columns.Length + 2).Select(i => $"value ->> {i}"))}, $now, $now
            FROM json_each($rows) ORDER BY key
            """, ["rows", "now"]);
        _insertMany.Parameters["$now"].Value = _now;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction tx, string sql, string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var p in parameters) command.Parameters.Add(new SqliteParameter("$" + p, null));
        command.Prepare();
        return command;
    }

    /// <summary>Adds the item, or merges the record into the existing one; returns what happened and its id.</summary>
    public (UpsertOutcome Outcome, long Id) Upsert(ItemRecord record)
    {
        var (id, existing) = Find(record.Key);
        var incoming = ToValues(record);
        if (existing is null)
        {
            for (var i = 0; i < Columns.Length; i++) _insert.Parameters[i + 1].Value = incoming[i] ?? DBNull.Value;
            _insert.Parameters["$item_key"].Value = record.Key;
            _insert.Parameters["$rev"].Value = ++_rev;
            id = (long)_insert.ExecuteScalar()!;
            return (UpsertOutcome.Added, id);
        }
        return (MergeInto(id, existing, incoming), id);
    }

    /// <summary>
    /// Merges a batch of records. The new items go in with one statement: FTS5 writes its pending postings to disk
    /// at every statement savepoint, so one INSERT per paper (the trigger indexes it in the same statement) left a
    /// tiny index segment per paper to sort and merge, half the cost of an import. The rows travel as one JSON
    /// parameter: thousands of named parameters would cost more in name lookups than the insert itself.
    /// </summary>
    public UpsertCounts UpsertMany(IReadOnlyList<ItemRecord> records)
    {
        var counts = new UpsertCounts();
        var queued = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var record in records)
        {
            var incoming = ToValues(record);
            if (queued.TryGetValue(record.Key, out var waiting))
            {
                // The same item twice in one batch (two versions of a paper): merge as if the first were stored.
                var merged = Merge(waiting, incoming);
                queued[record.Key] = merged;
                counts.Add(Changed(merged, waiting) ? UpsertOutcome.Updated : UpsertOutcome.Unchanged);
                continue;
            }
            var (id, existing) = Find(record.Key);
            if (existing is null)
            {
                queued[record.Key] = incoming;
                order.Add(record.Key);
                counts.Add(UpsertOutcome.Added);
            }
            else
            {
                counts.Add(MergeInto(id, existing, incoming));
            }
        }
        if (order.Count > 0)
        {
            _insertMany.Parameters["$rows"].Value = RowsJson(order.Select(key => (key, queued[key])));
            _insertMany.ExecuteNonQuery();
        }
        return counts;
    }

    /// <summary>The new rows as one JSON array of arrays (key, the columns, rev) for the batch insert.</summary>
    private string RowsJson(IEnumerable<(string Key, object?[] Values)> rows)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var (key, values) in rows)
            {
                json.WriteStartArray();
                json.WriteStringValue(key);
                foreach (var value in values)
                {
                    switch (value)
                    {
                        case null: json.WriteNullValue(); break;
                        case long l: json.WriteNumberValue(l); break;
                        default: json.WriteStringValue((string)value); break;
                    }
                }
                json.WriteNumberValue(++_rev);
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private (long Id, object?[]? Values) Find(string key)
    {
        _select.Parameters["$item_key"].Value = key;
        using var reader = _select.ExecuteReader();
        if (!reader.Read()) return (0, null);
        var existing = new object?[Columns.Length];
        for (var i = 0; i < Columns.Length; i++) existing[i] = reader.IsDBNull(i + 1) ? null : reader.GetValue(i + 1);
        return (reader.GetInt64(0), existing);
    }

    private UpsertOutcome MergeInto(long id, object?[] existing, object?[] incoming)
    {
        var merged = Merge(existing, incoming);
        if (!Changed(merged, existing)) return UpsertOutcome.Unchanged;
        _update.Parameters["$id"].Value = id;
        _update.Parameters["$rev"].Value = ++_rev;
        for (var i = 0; i < Columns.Length; i++) _update.Parameters[i + 1].Value = merged[i] ?? DBNull.Value;
        _update.ExecuteNonQuery();
        return UpsertOutcome.Updated;
    }

    private static bool Changed(object?[] merged, object?[] existing)
    {
        for (var i = 0; i < Columns.Length; i++)
        {
            if (!Equals(Normalize(merged[i]), Normalize(existing[i]))) return true;
        }
        return false;
    }

    private static object? Normalize(object? value) => value is int i ? (long)i : value;

    private static object?[] ToValues(ItemRecord r) =>
    [
        r.Kind, r.Title, r.Summary, ItemJson.WriteStrings(r.Authors), string.Join(' ', r.Categories),
        r.Comment, r.JournalRef, r.Doi, r.License, r.ArxivId, r.Version is { } v ? (long)v : null,
        r.Url, r.PdfUrl, r.Source, ItemDates.Format(r.Published), r.Updated is { } u ? ItemDates.Format(u) : null,
    ];

    /// <summary>
    /// A newer record replaces what it knows; what it does not know (a null comment, no DOI) keeps the stored value.
    /// Versions only go up, the first-submitted date only goes back, the last-updated date only forward, so
    /// records arriving out of order (RSS before OAI-PMH, a re-import of an old file) never roll an item back.
    /// </summary>
    private static object?[] Merge(object?[] old, object?[] incoming)
    {
        var merged = new object?[Columns.Length];
        for (var i = 0; i < Columns.Length; i++)
        {
            merged[i] = Columns[i] switch
            {
                "version" => MaxLong(old[i], incoming[i]),
                "published" => MinString(old[i], incoming[i]),
                "updated" => MaxString(old[i], incoming[i]),
                "summary" or "categories" => incoming[i] is string s && s.Length > 0 ? s : old[i],
                "authors" => incoming[i] is string a && a != "[]" ? a : old[i],
                _ => incoming[i] ?? old[i],
            };
        }
        return merged;
    }

    private static object? MaxLong(object? a, object? b) =>
        a is null ? b : b is null ? a : Math.Max(Convert.ToInt64(a, System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(b, System.Globalization.CultureInfo.InvariantCulture));

    private static object? MinString(object? a, object? b) =>
        a is null ? b : b is null ? a : string.CompareOrdinal((string)a, (string)b) <= 0 ? a : b;

    private static object? MaxString(object? a, object? b) =>
        a is null ? b : b is null ? a : string.CompareOrdinal((string)a, (string)b) >= 0 ? a : b;

    public void Dispose()
    {
        _select.Dispose();
        _insert.Dispose();
        _insertMany.Dispose();
        _update.Dispose();
    }
}

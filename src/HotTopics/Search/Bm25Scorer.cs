using Dapper;
using Microsoft.Data.Sqlite;

namespace HotTopics.Search;

/// <summary>
/// FTS5's own bm25 (the formula of fts5_aux.c with our column weights), computed for a few chosen rows. Asking
/// FTS5 for the rank of a chosen row makes it recount every match of every phrase for that row alone (the idf),
/// which at a million items costs tens of milliseconds a row; here the counts are taken once per phrase and the
/// per-row parts come from FTS5 itself: phrase hits per column from highlight(), row lengths from the docsize
/// table, the averages from the index's averages record. Tests hold the result equal to FTS5's rank.
/// </summary>
internal static class Bm25Scorer
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    /// <summary>Column weights of items_fts: the 'rank' of migration 0001, bm25(4.0, 1.0, 0.5, 0.0). Categories weigh nothing.</summary>
    private static readonly double[] Weights = [4.0, 1.0, 0.5];

    private const string Open = "\u0002";

    /// <summary>Scores (higher is better, the negated FTS5 rank) of <paramref name="ids"/> for a query made of <paramref name="phrases"/>.</summary>
    public static async Task<Dictionary<long, double>> ScoreAsync(
        SqliteConnection connection, IReadOnlyList<string> phrases, IReadOnlyList<long> ids,
        Func<string, Task<long>> documentCount, CancellationToken ct)
    {
        var scores = ids.Distinct().ToDictionary(id => id, _ => 0.0);
        if (ids.Count == 0) return scores;
        var (rows, tokens) = await AveragesAsync(connection, ct);
        var averageLength = (double)tokens / rows;
        var lengths = await LengthsAsync(connection, ids, ct);
        foreach (var phrase in phrases)
        {
            var hits = await documentCount(phrase);
            var idf = Math.Log((rows - hits + 0.5) / (hits + 0.5));
            if (idf <= 0.0) idf = 1e-6;
            foreach (var (id, frequency) in await FrequenciesAsync(connection, phrase, ids, ct))
            {
                var length = lengths.GetValueOrDefault(id);
                scores[id] += idf * (frequency * (K1 + 1.0) / (frequency + (K1 * (1 - B + (B * length / averageLength)))));
            }
        }
        return scores;
    }

    /// <summary>Weighted hits of one phrase in each row: every instance adds its column's weight, as in bm25.</summary>
    private static async Task<List<(long Id, double Frequency)>> FrequenciesAsync(SqliteConnection connection, string phrase, IReadOnlyList<long> ids, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<(long Id, string Title, string Summary, string Authors)>(new CommandDefinition(
            $"""
            SELECT rowid, highlight(items_fts, 0, '{Open}', ''), highlight(items_fts, 1, '{Open}', ''), highlight(items_fts, 2, '{Open}', '')
            FROM items_fts WHERE items_fts MATCH @phrase AND {SearchIndex.RowsIn(phrase)}
            """, new { phrase, ids, min = ids.Min(), max = ids.Max() }, cancellationToken: ct));
        return [.. rows.Select(r => (r.Id, (Weights[0] * Count(r.Title)) + (Weights[1] * Count(r.Summary)) + (Weights[2] * Count(r.Authors))))];
    }

    private static int Count(string marked) => marked.AsSpan().Count(Open[0]);

    /// <summary>Tokens in each row, all columns together (FTS5's xColumnSize(-1)), from the docsize table.</summary>
    private static async Task<Dictionary<long, long>> LengthsAsync(SqliteConnection connection, IReadOnlyList<long> ids, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<(long Id, byte[] Sizes)>(new CommandDefinition(
            "SELECT id, sz FROM items_fts_docsize WHERE id IN @ids", new { ids }, cancellationToken: ct));
        var lengths = new Dictionary<long, long>();
        foreach (var (id, sizes) in rows)
        {
            long total = 0;
            for (var i = 0; i < sizes.Length;) total += ReadVarint(sizes, ref i);
            lengths[id] = total;
        }
        return lengths;
    }

    /// <summary>The index's averages record (rowid 1 of items_fts_data): the row count, then the tokens of each column.</summary>
    private static async Task<(long Rows, long Tokens)> AveragesAsync(SqliteConnection connection, CancellationToken ct)
    {
        var block = await connection.ExecuteScalarAsync<byte[]>(new CommandDefinition("SELECT block FROM items_fts_data WHERE id = 1", cancellationToken: ct));
        if (block is null || block.Length == 0) return (1, 1);
        var i = 0;
        var rows = ReadVarint(block, ref i);
        long tokens = 0;
        while (i < block.Length) tokens += ReadVarint(block, ref i);
        return (Math.Max(1, rows), tokens);
    }

    /// <summary>SQLite's varint: big-endian groups of 7 bits, the ninth byte whole.</summary>
    private static long ReadVarint(byte[] data, ref int i)
    {
        long value = 0;
        for (var n = 0; n < 9 && i < data.Length; n++)
        {
            var b = data[i++];
            if (n == 8) return (value << 8) | b;
            value = (value << 7) | (long)(b & 0x7f);
            if ((b & 0x80) == 0) break;
        }
        return value;
    }
}

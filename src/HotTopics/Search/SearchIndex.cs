using System.Globalization;
using System.Net;
using Dapper;
using HotTopics.Items;
using HotTopics.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HotTopics.Search;

public enum SearchSort
{
    Relevance,
    Newest,
}

public sealed class SearchHit
{
    public required Item Item { get; init; }
    /// <summary>HTML: the text is encoded, matches are wrapped in &lt;mark&gt;.</summary>
    public required string SnippetHtml { get; init; }
    public required string TitleHtml { get; init; }
    /// <summary>bm25 relevance, higher is better; 0 when sorted by date or when the query has no words.</summary>
    public double Score { get; init; }
}

public sealed class FacetValue
{
    public required string Value { get; init; }
    public int Count { get; init; }
}

public sealed class SearchResult
{
    public int Total { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; }
    public required IReadOnlyList<SearchHit> Hits { get; init; }
    /// <summary>False when the result set was too large to rank whole and the page was ranked from candidates.</summary>
    public bool ExactRanking { get; init; } = true;
    public required IReadOnlyList<FacetValue> CategoryFacet { get; init; }
    public required IReadOnlyList<FacetValue> MonthFacet { get; init; }
    public required IReadOnlyList<FacetValue> KindFacet { get; init; }

    /// <summary>Every item id the search found (after filters), for facets computed outside the index.</summary>
    internal IReadOnlyList<int> Matching { get; init; } = [];
}

/// <summary>
/// The full-text index: SQLite FTS5 over the items table (external content, kept in step by triggers). All of
/// the engine lives in this class, so a later swap (Lucene.Net, say) stays local. Matching and ranking run in
/// FTS5; filters, counts and facets run over <see cref="DocFacts"/>.
/// </summary>
public sealed class SearchIndex(Database database, DocFacts facts, ItemStore items, IOptions<SearchOptions> options, ILogger<SearchIndex> logger)
{
    public const int MaxPageSize = 100;

    /// <summary>Candidates put in exact bm25 order when the whole result set is too large to rank (~40 µs each).</summary>
    private const int CandidatePool = 100;

    private readonly Dictionary<string, long> _documentCounts = new(StringComparer.Ordinal);
    private long _documentCountsVersion = -1;
    private const int CategoryFacetSize = 30;

    // Marks around matches that cannot occur in text we store; replaced by <mark> after HTML-encoding.
    private const string MarkOpen = "\u0002";
    private const string MarkClose = "\u0003";

    public async Task<SearchResult> SearchAsync(ParsedQuery query, SearchSort sort, int page, int pageSize, CancellationToken ct)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var state = facts.Current();
        var (lo, hi) = RowidWindow(state, query);

        await using var connection = await database.OpenAsync(ct);
        var matches = query.Match is null ? AllRowids(state, lo, hi) : await MatchingRowidsAsync(connection, query.Match, lo, hi, ct);
        var filtered = Filter(state, query, matches);
        var result = Facets(state, filtered);

        var offset = (page - 1) * pageSize;
        IReadOnlyList<long> pageIds;
        var scores = new Dictionary<long, double>();
        var exact = true;
        if (offset >= filtered.Count)
        {
            pageIds = [];
        }
        else if (sort == SearchSort.Newest || query.Match is null)
        {
            pageIds = NewestFirst(state, filtered, offset, pageSize);
        }
        else
        {
            (pageIds, exact) = await RankedAsync(connection, state, query, filtered, joinItems: filtered.Count != matches.Count, lo, hi, offset, pageSize, scores, ct);
        }

        var decorations = await DecorateAsync(connection, query.Match, pageIds, ct);
        var loaded = await items.GetManyAsync(pageIds, ct);
        var hits = loaded.Select(item =>
        {
            decorations.TryGetValue(item.Id, out var d);
            return new SearchHit
            {
                Item = item,
                SnippetHtml = d.Snippet ?? WebUtility.HtmlEncode(Excerpt(item.Summary)),
                TitleHtml = d.Title ?? WebUtility.HtmlEncode(item.Title),
                Score = scores.GetValueOrDefault(item.Id),
            };
        }).ToList();

        return new SearchResult
        {
            Total = filtered.Count,
            Page = page,
            PageSize = pageSize,
            Hits = hits,
            ExactRanking = exact,
            CategoryFacet = result.Categories,
            MonthFacet = result.Months,
            KindFacet = result.Kinds,
            Matching = filtered,
        };
    }

    /// <summary>
    /// Rowids are handed out as items arrive, so they run roughly in date order: a date window becomes a rowid
    /// range that FTS5 can skip to, and the exact day check then runs on what remains.
    /// </summary>
    private static (int Lo, int Hi) RowidWindow(DocFacts.State state, ParsedQuery query)
    {
        if (query.From is null && query.Until is null) return (0, int.MaxValue);
        var from = query.From?.DayNumber ?? int.MinValue + 1;
        var until = query.Until?.DayNumber ?? int.MaxValue;
        int lo = int.MaxValue, hi = -1;
        var day = state.Day;
        var max = Math.Min(state.MaxId, day.Length - 1);
        for (var id = 0; id <= max; id++)
        {
            var d = day[id];
            if (d == DocFacts.Missing || d < from || d >= until) continue;
            if (id < lo) lo = id;
            hi = id;
        }
        return hi < 0 ? (1, 0) : (lo, hi);
    }

    private static List<int> AllRowids(DocFacts.State state, int lo, int hi)
    {
        var list = new List<int>(Math.Min(state.Count, 1 << 20));
        var max = Math.Min(Math.Min(state.MaxId, hi), state.Day.Length - 1);
        for (var id = Math.Max(lo, 0); id <= max; id++)
        {
            if (state.Day[id] != DocFacts.Missing) list.Add(id);
        }
        return list;
    }

    /// <summary>
    /// Every matching rowid in one row: group_concat inside SQLite is several times faster than stepping a reader
    /// through hundreds of thousands of rows.
    /// </summary>
    private async Task<List<int>> MatchingRowidsAsync(SqliteConnection connection, string match, int lo, int hi, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT group_concat(rowid) FROM items_fts WHERE items_fts MATCH $m AND rowid BETWEEN $lo AND $hi";
        cmd.Parameters.AddWithValue("$m", match);
        cmd.Parameters.AddWithValue("$lo", lo);
        cmd.Parameters.AddWithValue("$hi", hi);
        var text = await RunFtsAsync(() => cmd.ExecuteScalarAsync(ct), match) as string;
        var list = new List<int>();
        if (string.IsNullOrEmpty(text)) return list;
        var value = 0;
        foreach (var c in text)
        {
            if (c == ',')
            {
                list.Add(value);
                value = 0;
            }
            else
            {
                value = (value * 10) + (c - '0');
            }
        }
        list.Add(value);
        return list;
    }

    private static List<int> Filter(DocFacts.State state, ParsedQuery query, List<int> rowids)
    {
        var from = query.From?.DayNumber ?? int.MinValue + 1;
        var until = query.Until?.DayNumber ?? int.MaxValue;
        var kinds = query.Kinds.Select(DocFacts.KindCode).ToHashSet();
        var filtered = new List<int>(rowids.Count);
        foreach (var id in rowids)
        {
            if (id >= state.Day.Length) continue;
            var day = state.Day[id];
            if (day == DocFacts.Missing || day < from || day >= until) continue;
            if (kinds.Count > 0 && !kinds.Contains(state.Kind[id])) continue;
            if (query.ItemFilter is { } keep && !keep(id)) continue;
            filtered.Add(id);
        }
        return filtered;
    }

    /// <summary>Counts over the whole result set in plain arrays: one pass over the matching rowids (~5 ns each).</summary>
    private (List<FacetValue> Categories, List<FacetValue> Months, List<FacetValue> Kinds) Facets(DocFacts.State state, List<int> rowids)
    {
        var categoryCounts = new int[facts.CategoryCount];
        var monthCounts = new Dictionary<int, int>();
        var kindCounts = new int[4];
        var lastDay = int.MinValue;
        var lastMonth = 0;
        var monthCount = 0;
        foreach (var id in rowids)
        {
            foreach (var c in state.Categories[id] ?? []) categoryCounts[c]++;
            var day = state.Day[id];
            if (day != lastDay)
            {
                var date = DateOnly.FromDayNumber(day);
                var month = (date.Year * 100) + date.Month;
                if (month != lastMonth)
                {
                    if (monthCount > 0) monthCounts[lastMonth] = monthCounts.GetValueOrDefault(lastMonth) + monthCount;
                    (lastMonth, monthCount) = (month, 0);
                }
                lastDay = day;
            }
            monthCount++;
            kindCounts[state.Kind[id]]++;
        }
        if (monthCount > 0) monthCounts[lastMonth] = monthCounts.GetValueOrDefault(lastMonth) + monthCount;
        var categories = Enumerable.Range(0, categoryCounts.Length).Where(c => categoryCounts[c] > 0)
            .OrderByDescending(c => categoryCounts[c]).ThenBy(c => facts.CategoryName((ushort)c), StringComparer.Ordinal)
            .Take(CategoryFacetSize)
            .Select(c => new FacetValue { Value = facts.CategoryName((ushort)c), Count = categoryCounts[c] })
            .ToList();
        var months = monthCounts.OrderByDescending(kv => kv.Key)
            .Select(kv => new FacetValue { Value = string.Create(CultureInfo.InvariantCulture, $"{kv.Key / 100:D4}-{kv.Key % 100:D2}"), Count = kv.Value })
            .ToList();
        var kinds = Enumerable.Range(1, 3).Where(k => kindCounts[k] > 0)
            .Select(k => new FacetValue { Value = DocFacts.KindName((byte)k), Count = kindCounts[k] })
            .OrderByDescending(f => f.Count)
            .ToList();
        return (categories, months, kinds);
    }

    /// <summary>Newest first (day, then the later arrival); a bounded heap keeps only the rows up to the page asked for.</summary>
    private static List<long> NewestFirst(DocFacts.State state, List<int> rowids, int offset, int pageSize)
    {
        var keep = offset + pageSize;
        var heap = new PriorityQueue<int, (int Day, int Id)>(keep + 1);
        foreach (var id in rowids)
        {
            var key = (state.Day[id], id);
            if (heap.Count < keep) heap.Enqueue(id, key);
            else if (heap.TryPeek(out _, out var smallest) && key.CompareTo(smallest) > 0) heap.EnqueueDequeue(id, key);
        }
        var ordered = new List<long>(heap.Count);
        while (heap.Count > 0) ordered.Add(heap.Dequeue());
        ordered.Reverse();
        return [.. ordered.Skip(offset)];
    }

    /// <summary>
    /// FTS5 computes bm25 for every row it ranks (~2 µs each) before it can return the first ten, so a query that
    /// matches hundreds of thousands of items would take seconds. Up to <see cref="SearchOptions.RankBudget"/>
    /// matches are ranked exactly. Above that, the candidates are the matches with a query word in the title (the
    /// title weighs four times the abstract, so these are where bm25 finds its best rows; BENCHMARKS.md measures
    /// how often the top ten agree), the newest budget's worth of them when there are more. FTS5 ranks them by the
    /// query plus its title match, and the best <see cref="CandidatePool"/> are put in exact bm25 order of the query
    /// by <see cref="Bm25Scorer"/>. Without title words (only authors or categories) the newest matches are ranked.
    /// Pages beyond the pool are ranked exactly, whatever it costs.
    /// </summary>
    private async Task<(List<long> Ids, bool Exact)> RankedAsync(
        SqliteConnection connection, DocFacts.State state, ParsedQuery query, List<int> matches, bool joinItems, int lo, int hi,
        int offset, int pageSize, Dictionary<long, double> scores, CancellationToken ct)
    {
        var budget = options.Value.RankBudget;
        if (matches.Count <= budget || offset + pageSize > CandidatePool)
        {
            return (await RankWithFtsAsync(connection, query, query.Match!, joinItems, lo, hi, offset, pageSize, scores, newestFirst: false, ct), true);
        }

        if (query.TitleMatch is { } titleMatch)
        {
            // Rowids run in date order: the newest title matches come first from FTS5, with their rank, in one
            // cursor (a prefix costs a whole expansion per cursor, whatever the rowid range).
            var ranks = new Dictionary<long, double>();
            var inTitle = await RankWithFtsAsync(connection, query, titleMatch, joinItems, lo, hi, 0, budget, ranks, newestFirst: true, ct);
            if (inTitle.Count >= offset + pageSize)
            {
                var candidates = inTitle.OrderBy(id => ranks[id]).ThenByDescending(id => id).Take(CandidatePool).ToList();
                var exact = await Bm25Scorer.ScoreAsync(connection, query.Phrases, candidates, m => DocumentCountAsync(connection, m, ct), ct);
                var page = exact.OrderByDescending(kv => kv.Value).ThenByDescending(kv => kv.Key).Skip(offset).Take(pageSize).ToList();
                foreach (var (id, score) in page) scores[id] = Math.Round(score, 4);
                return ([.. page.Select(kv => kv.Key)], false);
            }
        }
        return (await RankWithFtsAsync(connection, query, query.Match!, joinItems, matches[^budget], hi, offset, pageSize, scores, newestFirst: false, ct), false);
    }

    /// <summary>How many items a phrase matches (bm25's idf), remembered until the database changes.</summary>
    private async Task<long> DocumentCountAsync(SqliteConnection connection, string phrase, CancellationToken ct)
    {
        var version = facts.DataVersion;
        lock (_documentCounts)
        {
            if (_documentCountsVersion != version)
            {
                _documentCounts.Clear();
                _documentCountsVersion = version;
            }
            if (_documentCounts.TryGetValue(phrase, out var known)) return known;
        }
        var count = await RunFtsAsync(() => connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM items_fts WHERE items_fts MATCH @phrase", new { phrase }, cancellationToken: ct)), phrase);
        lock (_documentCounts)
        {
            if (_documentCountsVersion == version && _documentCounts.Count < 10_000) _documentCounts[phrase] = count;
        }
        return count;
    }

    /// <summary>
    /// The best rows by bm25 (or the newest, with <paramref name="newestFirst"/>); <paramref name="scores"/> gets each
    /// row's relevance, rounded for display, or FTS5's raw rank when the rows come newest first.
    /// </summary>
    private async Task<List<long>> RankWithFtsAsync(
        SqliteConnection connection, ParsedQuery query, string match, bool joinItems, int lo, int hi,
        int offset, int limit, Dictionary<long, double> scores, bool newestFirst, CancellationToken ct)
    {
        var order = newestFirst ? "rowid DESC" : "rank, rowid DESC";
        string sql;
        if (!joinItems)
        {
            sql = $"""
                SELECT rowid, rank FROM items_fts WHERE items_fts MATCH $m AND rowid BETWEEN $lo AND $hi
                ORDER BY {order} LIMIT $limit OFFSET $offset
                """;
        }
        else
        {
            // Some matches fall outside the date window or kinds: let SQLite filter on the items table.
            var kinds = query.Kinds.Count == 0 ? "" : $"AND i.kind IN ({string.Join(", ", query.Kinds.Select((_, n) => "$k" + n))})";
            sql = $"""
                SELECT f.rowid, f.rank FROM items_fts f JOIN items i ON i.id = f.rowid
                WHERE items_fts MATCH $m AND f.rowid BETWEEN $lo AND $hi
                  AND i.published >= $from AND i.published < $until {kinds}
                ORDER BY f.{order.Replace(", ", ", f.", StringComparison.Ordinal)} LIMIT $limit OFFSET $offset
                """;
        }
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$m", match);
        cmd.Parameters.AddWithValue("$lo", lo);
        cmd.Parameters.AddWithValue("$hi", hi);
        cmd.Parameters.AddWithValue("$limit", limit);
        cmd.Parameters.AddWithValue("$offset", offset);
        if (joinItems)
        {
            cmd.Parameters.AddWithValue("$from", query.From is { } f ? f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "");
            cmd.Parameters.AddWithValue("$until", query.Until is { } u ? u.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "9999");
            for (var n = 0; n < query.Kinds.Count; n++) cmd.Parameters.AddWithValue("$k" + n.ToString(CultureInfo.InvariantCulture), query.Kinds[n]);
        }
        var ids = new List<long>(limit);
        await RunFtsAsync(async () =>
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetInt64(0));
                scores[reader.GetInt64(0)] = newestFirst ? reader.GetDouble(1) : Math.Round(-reader.GetDouble(1), 4);
            }
            return (object?)null;
        }, match);
        return ids;
    }

    private readonly record struct Decoration(string? Title, string? Snippet);

    /// <summary>
    /// Highlighted title and snippet for the rows of one page. No rank here: bm25 recounts every match of each
    /// phrase for each looked-up row, which at a million items costs more than the whole search.
    /// </summary>
    private async Task<Dictionary<long, Decoration>> DecorateAsync(SqliteConnection connection, string? match, IReadOnlyList<long> ids, CancellationToken ct)
    {
        var result = new Dictionary<long, Decoration>();
        if (match is null || ids.Count == 0) return result;
        var rows = await RunFtsAsync(() => connection.QueryAsync<(long Id, string Title, string Snippet)>(new CommandDefinition(
            $"""
            SELECT rowid, highlight(items_fts, 0, '{MarkOpen}', '{MarkClose}'),
                   snippet(items_fts, 1, '{MarkOpen}', '{MarkClose}', '…', 40)
            FROM items_fts WHERE items_fts MATCH @match AND {RowsIn(match)}
            """, new { match, ids, min = ids.Min(), max = ids.Max() }, cancellationToken: ct)), match);
        foreach (var row in rows)
        {
            result[row.Id] = new Decoration(MarkToHtml(row.Title), MarkToHtml(row.Snippet));
        }
        return result;
    }

    /// <summary>
    /// The SQL that limits a MATCH to a few rowids (@ids, with @min and @max). FTS5 starts a new cursor for every
    /// value of an IN list; that is a cheap seek for words and phrases, but a prefix is expanded again each time
    /// (~50 ms at a million items), so a prefix query walks the rowid range once and tests membership instead
    /// (the unary plus keeps SQLite from handing the IN list to FTS5).
    /// </summary>
    internal static string RowsIn(string match) =>
        match.Contains("\"*", StringComparison.Ordinal) ? "rowid BETWEEN @min AND @max AND +rowid IN @ids" : "rowid IN @ids";

    internal static string MarkToHtml(string marked) =>
        WebUtility.HtmlEncode(marked).Replace(MarkOpen, "<mark>", StringComparison.Ordinal).Replace(MarkClose, "</mark>", StringComparison.Ordinal);

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..text.LastIndexOf(' ', 300)] + " …";

    /// <summary>
    /// The papers that share the most distinctive words with an item: its title and abstract words that are
    /// neither everywhere nor unique, weighted by rarity, as one OR query ranked by bm25.
    /// </summary>
    public async Task<IReadOnlyList<Item>> SimilarAsync(Item item, int count, CancellationToken ct)
    {
        long total = facts.Current().Count;
        if (total < 2) return [];
        await using var connection = await database.OpenAsync(ct);
        var words = QueryParser.Tokenize(item.Title + " " + item.Title + " " + item.Summary)
            .Where(w => w.Length >= 3 && !char.IsAsciiDigit(w[0]) && !StopWords.Contains(w))
            .GroupBy(w => w, StringComparer.Ordinal)
            .Select(g => (Word: g.Key, Tf: g.Count()))
            .ToList();
        var scored = new List<(string Word, double Weight)>();
        await using (var df = connection.CreateCommand())
        {
            // Counting stops where a word is too common to link anything, and the OR of the words stays small
            // enough for bm25 to rank every match: a fifth of a small corpus, 2,000 items, 1 % of a large one.
            var common = Math.Max(total / 100, Math.Min(total / 5, 2_000));
            df.CommandText = "SELECT count(*) FROM (SELECT 1 FROM items_fts WHERE items_fts MATCH $m LIMIT $cap)";
            df.Parameters.AddWithValue("$cap", common + 1);
            var p = df.Parameters.Add("$m", SqliteType.Text);
            foreach (var (word, tf) in words)
            {
                p.Value = "\"" + word + "\"";
                var n = (long)(await df.ExecuteScalarAsync(ct))!;
                // A word in one item only links nothing; a common word says nothing.
                if (n < 2 || n > common) continue;
                scored.Add((word, (1 + Math.Log(tf)) * Math.Log((double)total / n)));
            }
        }
        var terms = scored.OrderByDescending(s => s.Weight).Take(12).Select(s => "\"" + s.Word + "\"").ToList();
        if (terms.Count == 0) return [];
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT rowid FROM items_fts WHERE items_fts MATCH @m AND rowid <> @id ORDER BY rank LIMIT @count",
            new { m = string.Join(" OR ", terms), id = item.Id, count }, cancellationToken: ct))).ToList();
        return await items.GetManyAsync(ids, ct);
    }

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "that", "this", "are", "from", "our", "which", "these", "can", "its", "their",
        "such", "than", "into", "also", "has", "have", "been", "was", "were", "not", "but", "both", "more", "via",
        "using", "use", "used", "based", "show", "new", "while", "however", "each", "other", "over", "when", "how",
    };

    public sealed class Health
    {
        public long Items { get; init; }
        public long Indexed { get; init; }
        public bool InSync => Items == Indexed;
    }

    public async Task<Health> HealthAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var itemCount = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM items", cancellationToken: ct));
        var indexed = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM items_fts_docsize", cancellationToken: ct));
        return new Health { Items = itemCount, Indexed = indexed };
    }

    /// <summary>Rebuilds the index from the items table and merges it into one segment; returns the item count.</summary>
    public long Rebuild()
    {
        using var connection = database.Open();
        using (var tx = connection.BeginTransaction())
        {
            connection.Execute("INSERT INTO items_fts (items_fts) VALUES ('rebuild')", transaction: tx);
            tx.Commit();
        }
        connection.Execute("INSERT INTO items_fts (items_fts) VALUES ('optimize')");
        facts.Reset();
        return connection.ExecuteScalar<long>("SELECT count(*) FROM items");
    }

    /// <summary>Our parser only emits quoted tokens, so FTS5 should never refuse a query; if it does, the user gets a plain message.</summary>
    private async Task<T> RunFtsAsync<T>(Func<Task<T>> run, string match)
    {
        try
        {
            return await run();
        }
        catch (SqliteException ex) when (ex.Message.Contains("fts5", StringComparison.OrdinalIgnoreCase) || ex.SqliteErrorCode == 1)
        {
            SearchLog.FtsRejected(logger, match, ex.Message);
            throw new QuerySyntaxException("The search engine could not run this query. Simplify it (fewer operators or fields) and try again.", ex);
        }
    }
}

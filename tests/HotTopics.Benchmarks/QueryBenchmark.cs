using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using HotTopics;
using HotTopics.Search;
using HotTopics.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

/// <summary>One benchmark query: its class, the text a user types, and the variant (all time, 12 months, newest first).</summary>
internal sealed record BenchQuery(string Class, string Q);

/// <summary>
/// Query classes chosen from the indexed corpus by document frequency, deterministically (the same database gives
/// the same queries): terms from FTS5's own vocabulary in three frequency bands, and word pairs and phrases taken
/// from titles at evenly spaced rowids (what people type after reading a title).
/// </summary>
internal static partial class QuerySet
{
    public const int PerClass = 20;

    private static readonly HashSet<string> Stop = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "that", "this", "these", "those", "from", "into", "onto", "over", "under", "their",
        "there", "them", "they", "than", "then", "when", "where", "which", "while", "what", "whose", "such", "also",
        "both", "each", "more", "most", "other", "some", "only", "very", "well", "have", "has", "been", "being", "were",
        "will", "would", "could", "should", "can", "may", "not", "are", "our", "its", "via", "use", "using", "based",
        "between", "through", "within", "without", "across", "among", "about", "after", "before", "however", "further",
        "thus", "here", "show", "shows", "propos", "present", "studi", "work", "paper", "approach", "method", "result",
        "new", "two", "one", "first", "often", "many", "much", "make", "provid", "import", "includ", "achiev", "wide",
    };

    [GeneratedRegex("^[a-z]{4,}$")]
    private static partial Regex Plain();

    public static async Task<List<BenchQuery>> BuildAsync(SqliteConnection db)
    {
        var total = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM items");
        await db.ExecuteAsync("CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab USING fts5vocab(main, 'items_fts', 'row')");
        var vocab = (await db.QueryAsync<(string Term, long Doc)>("SELECT term, doc FROM temp.bench_vocab WHERE doc >= $min", new { min = Math.Max(2, total / 10_000) }))
            .Where(v => Plain().IsMatch(v.Term) && !Stop.Contains(v.Term))
            .ToList();

        List<string> Band(double lo, double hi) => Spread([.. vocab.Where(v => v.Doc >= lo * total && v.Doc <= hi * total).OrderBy(v => v.Doc).ThenBy(v => v.Term, StringComparer.Ordinal).Select(v => v.Term)]);
        var common = Band(0.10, 0.90);
        var mid = Band(0.01, 0.05);
        var rare = Band(0.0001, 0.0005);

        // Phrases: the adjacent word pairs seen most often in 2,000 titles at evenly spaced rowids.
        var bigrams = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < 2000; k++)
        {
            var id = (long)(total * ((k + 0.5) / 2000));
            var title = await db.ExecuteScalarAsync<string>("SELECT title FROM items WHERE id >= $id ORDER BY id LIMIT 1", new { id });
            var words = QueryParser.Tokenize(title ?? "");
            for (var i = 0; i + 1 < words.Count; i++)
            {
                if (words[i].Length < 3 || words[i + 1].Length < 3 || Stop.Contains(words[i]) || Stop.Contains(words[i + 1])) continue;
                if (!words[i].All(char.IsAsciiLetter) || !words[i + 1].All(char.IsAsciiLetter)) continue;
                var pair = words[i] + " " + words[i + 1];
                bigrams[pair] = bigrams.GetValueOrDefault(pair) + 1;
            }
        }
        var phrases = Spread([.. bigrams.Where(b => b.Value >= 3).OrderBy(b => b.Value).ThenBy(b => b.Key, StringComparer.Ordinal).Select(b => b.Key)]);

        var queries = new List<BenchQuery>();
        queries.AddRange(common.Select(t => new BenchQuery("common term", t)));
        queries.AddRange(mid.Select(t => new BenchQuery("mid-frequency term", t)));
        queries.AddRange(rare.Select(t => new BenchQuery("rare term", t)));
        // AND: a mid-frequency term with one or two common ones (what people type: "graph neural network").
        queries.AddRange(Enumerable.Range(0, Math.Min(PerClass, mid.Count)).Select(i => new BenchQuery("2-3 words AND",
            string.Join(' ', new[] { mid[i], common[(i * 7) % common.Count], common[(i * 3 + 1) % common.Count] }.Distinct().Take(2 + (i % 2))))));
        queries.AddRange(phrases.Select(p => new BenchQuery("phrase", $"\"{p}\"")));
        queries.AddRange(common.Zip(mid).SelectMany(p => new[] { p.First, p.Second }).Where(t => t.Length >= 6).Take(PerClass).Select(t => new BenchQuery("prefix", t[..5] + "*")));
        queries.AddRange(common.Zip(mid).SelectMany(p => new[] { p.First, p.Second }).Take(PerClass).Select(t => new BenchQuery("title field", "title:" + t)));
        return queries;
    }

    /// <summary>Up to <see cref="PerClass"/> terms evenly spaced through a list sorted by frequency.</summary>
    private static List<string> Spread(List<string> sorted) =>
        sorted.Count <= PerClass ? sorted : [.. Enumerable.Range(0, PerClass).Select(i => sorted[i * sorted.Count / PerClass])];
}

internal static class QueryBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var work = Bench.Option(args, "--work");
        if (work is null || !File.Exists(Path.Combine(work, "hottopics.db")))
        {
            Console.Error.WriteLine("query: --work DIR must hold an imported hottopics.db (run the import suite first)");
            return 2;
        }
        var repeat = int.Parse(Bench.Option(args, "--repeat") ?? "3", CultureInfo.InvariantCulture);
        var exact = args.Contains("--exact");
        var warm = !args.Contains("--no-warmup");

        using var host = BuildHost(work);
        var search = host.Services.GetRequiredService<SearchService>();
        var database = host.Services.GetRequiredService<Database>();
        await using var db = await database.OpenAsync(CancellationToken.None);
        var count = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM items");
        var latest = DateOnly.ParseExact((await db.ExecuteScalarAsync<string>("SELECT max(published) FROM items"))![..10], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var windowFrom = latest.AddYears(-1).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        var queries = await QuerySet.BuildAsync(db);
        if (Bench.Option(args, "--class") is { } only) queries = [.. queries.Where(q => q.Class.StartsWith(only, StringComparison.Ordinal))];
        Console.Error.WriteLine($"{queries.Count} queries chosen in {clock.Elapsed.TotalSeconds:F1} s");

        (string Name, string? From, string Sort)[] variants = [("all time", null, "relevance"), ($"12 months (from {windowFrom})", windowFrom, "relevance"), ("all time, newest first", null, "newest")];

        // Warm-up: every query once (JIT, page cache, the in-memory facts).
        foreach (var v in variants.Where(_ => warm))
        {
            foreach (var q in queries) await RunAsync(search, q, v.From, v.Sort);
        }

        Console.WriteLine($"{count:N0} docs, {Bench.Load()}, repeat {repeat}, single thread, top 10 with snippets and facets");
        Console.WriteLine();
        Console.WriteLine(exact
            ? "| class | variant | queries | median total | p50 ms | p95 ms | p99 ms | plain FTS5 p50 / p95 ms | top-10 overlap with exact bm25 (mean / min) |\n|---|---|---|---|---|---|---|---|---|"
            : "| class | variant | queries | median total | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|---|---|");
        foreach (var v in variants)
        {
            foreach (var group in queries.GroupBy(q => q.Class))
            {
                var times = new List<double>();
                var totals = new List<int>();
                var plain = new List<double>();
                var overlaps = new List<double>();
                foreach (var q in group)
                {
                    SearchResponse? response = null;
                    for (var r = 0; r < repeat; r++)
                    {
                        var t = Stopwatch.GetTimestamp();
                        response = await RunAsync(search, q, v.From, v.Sort);
                        times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    }
                    totals.Add(response!.Total);
                    if (exact && v.Sort == "relevance")
                    {
                        var t = Stopwatch.GetTimestamp();
                        var truth = await PlainFtsTop10Async(db, q.Q, v.From);
                        plain.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                        if (truth.Count > 0) overlaps.Add((double)response.Items.Take(10).Count(i => truth.Contains(i.Id)) / truth.Count);
                    }
                }
                var row = string.Create(CultureInfo.InvariantCulture,
                    $"| {group.Key} | {v.Name} | {group.Count()} | {Percentile(totals.Select(x => (double)x).ToList(), 50):N0} | {Percentile(times, 50):F1} | {Percentile(times, 95):F1} | {Percentile(times, 99):F1} |");
                if (exact)
                {
                    row += plain.Count == 0
                        ? " – | – |"
                        : string.Create(CultureInfo.InvariantCulture, $" {Percentile(plain, 50):F0} / {Percentile(plain, 95):F0} | {overlaps.DefaultIfEmpty(1).Average() * 100:F0} % / {overlaps.DefaultIfEmpty(1).Min() * 100:F0} % |");
                }
                Console.WriteLine(row);
            }
        }

        // The item page's "similar items", for 20 items at evenly spaced rowids.
        var index = host.Services.GetRequiredService<SearchIndex>();
        var items = host.Services.GetRequiredService<HotTopics.Items.ItemStore>();
        var similar = new List<double>();
        for (var k = 0; k < 20; k++)
        {
            var item = await items.FindAsync(((long)(count * ((k + 0.5) / 20))).ToString(CultureInfo.InvariantCulture), CancellationToken.None);
            if (item is null) continue;
            var t = Stopwatch.GetTimestamp();
            await index.SimilarAsync(item, 5, CancellationToken.None);
            similar.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"similar items (item page, 5 of them): {similar.Count} items, p50 {Percentile(similar, 50):F1} ms, p95 {Percentile(similar, 95):F1} ms"));
        return 0;
    }

    public static IHost BuildHost(string work)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration["Storage:SeedDemoData"] = "false";
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddHotTopicsCore(["--data-dir", work]);
        return builder.Build();
    }

    private static Task<SearchResponse> RunAsync(SearchService search, BenchQuery q, string? from, string sort) =>
        search.SearchAsync(new SearchRequest { Q = q.Q, From = from, Sort = sort, PageSize = 10 }, CancellationToken.None);

    /// <summary>The reference: a plain FTS5 query ranking every match by bm25, with the date window as a join.</summary>
    private static async Task<HashSet<string>> PlainFtsTop10Async(SqliteConnection db, string q, string? from)
    {
        var parsed = QueryParser.Parse(q, from is null ? null : DateOnly.ParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        var ids = await db.QueryAsync<string>(
            """
            SELECT coalesce(i.arxiv_id, CAST(i.id AS TEXT)) FROM items_fts f JOIN items i ON i.id = f.rowid
            WHERE items_fts MATCH $m AND i.published >= $from
            ORDER BY f.rank, f.rowid DESC LIMIT 10
            """, new { m = parsed.Match, from = from ?? "" });
        return [.. ids];
    }

    public static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}

using System.Diagnostics;
using System.Globalization;
using HotTopics.Items;
using HotTopics.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Benchmark harness: `dotnet run -c Release --project tests/HotTopics.Benchmarks -- SUITE [options]`.
// Results go to stdout as Markdown rows for BENCHMARKS.md. Corpora come from ../shared (say so when missing).
var suite = args.FirstOrDefault() ?? "help";
return suite switch
{
    "import" => await ImportBenchmark.RunAsync(args[1..]),
    "arxiv" => await ArxivHarvestBenchmark.RunAsync(args[1..]),
    "generate" => await CorpusGenerator.RunAsync(args[1..]),
    "query" => await QueryBenchmark.RunAsync(args[1..]),
    "memory" => await MemoryBenchmark.RunAsync(args[1..]),
    "feeds" => FeedsBenchmark.Run(args[1..]),
    "classifier" => ClassifierBenchmark.Run(args[1..]),
    _ => Help(),
};

static int Help()
{
    Console.WriteLine("""
        usage: dotnet run -c Release --project tests/HotTopics.Benchmarks -- SUITE [options]
          import [--corpus FILE] [--work DIR]   import throughput (parse, store, index) and index size
          arxiv [--corpus FILE] [--work DIR] [--page-size N]   OAI-PMH page processing and a backfill through the fake endpoint
          generate [--docs N] [--seed S] [--out FILE]   resampled corpus (.jsonl.gz) for the 1M figures
          query --work DIR [--repeat N] [--exact] [--class PREFIX] [--no-warmup]   latency per query class (top 10, snippets, facets); --exact adds plain FTS5 and top-10 overlap
          memory --work DIR [--queries N] [--no-jobs]   server RSS after N API queries (starts the real server on the DB in DIR)
          feeds [--fixtures DIR] [--seconds N]   feed parsing (items/s, MB/s) and page metadata (pages/s) over the real fixtures
          classifier [--corpus FILE] [--sample N] [--per-label] [--variants] [--oracle] [--c C] [--power P] [--half-life D] [--no-refit] [--no-cross-fit] [--stack C] [--macro W] [--shrink N] [--bags N] [--text-only]
                                                topic classifier quality on the reference split, training time, peak memory, model size, classify speed
        """);
    return 2;
}

internal static class Corpus
{
    public static string SharedPapers => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/data/arxiv-ml/papers-2025-03_2026-04.jsonl.gz"));

    public static string? Find(string? given)
    {
        var path = given ?? SharedPapers;
        if (File.Exists(path)) return path;
        Console.Error.WriteLine($"corpus not found: {path} (the benchmarks read ../shared/data/arxiv-ml; pass --corpus FILE)");
        return null;
    }
}

internal static class ImportBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var corpus = Corpus.Find(Bench.Option(args, "--corpus"));
        if (corpus is null) return 2;
        var work = Bench.Option(args, "--work") ?? Path.Combine(Bench.WorkRoot, "import");
        if (Directory.Exists(work)) Directory.Delete(work, true);
        var options = Options.Create(new StorageOptions { DataDir = work });
        var database = new Database(options);
        new Migrator(database, NullLogger<Migrator>.Instance).Migrate();
        var importer = new ItemImporter(database, TimeProvider.System);
        var clock = Stopwatch.StartNew();
        var result = await importer.ImportAsync(corpus, null, null, CancellationToken.None);
        clock.Stop();
        var docs = result.Counts.Added + result.Counts.Updated + result.Counts.Unchanged;
        var size = new DirectoryInfo(work).EnumerateFiles("hottopics.db*").Sum(f => f.Length);
        // The full-text index alone: the bytes in FTS5's shadow tables (the text itself lives once, in items).
        long index;
        using (var connection = database.Open())
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                SELECT (SELECT sum(length(block)) FROM items_fts_data) + (SELECT sum(length(sz)) + 8 * count(*) FROM items_fts_docsize)
                     + (SELECT sum(length(term)) + 16 * count(*) FROM items_fts_idx)
                """;
            index = cmd.ExecuteScalar() is long n ? n : 0;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| import {Path.GetFileName(corpus)} | {docs:N0} docs | {clock.Elapsed.TotalSeconds:F1} s | {docs / clock.Elapsed.TotalSeconds:N0} docs/s | db {size / 1e6:F0} MB, index {index / 1e6:F0} MB | peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB | {Bench.Load()} |"));
        return 0;
    }
}

internal static class Bench
{
    /// <summary>Corpora and databases live outside the repository (a 1M database is ~3 GB); HOTTOPICS_BENCH moves them.</summary>
    public static string WorkRoot => Environment.GetEnvironmentVariable("HOTTOPICS_BENCH") ?? Path.Combine(Path.GetTempPath(), "hottopics-bench");

    public static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>The --work directory of a suite that needs an imported database, or null after saying so.</summary>
    public static string? ImportedWork(string[] args, string suite)
    {
        var work = Option(args, "--work");
        if (work is not null && File.Exists(Path.Combine(work, "hottopics.db"))) return work;
        Console.Error.WriteLine($"{suite}: --work DIR must hold an imported hottopics.db (run the import suite first)");
        return null;
    }

    public static string Load()
    {
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[..3] : ["?"];
        return "load " + string.Join(' ', load);
    }
}

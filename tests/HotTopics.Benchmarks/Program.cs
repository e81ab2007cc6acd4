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
    "classifier" => ClassifierBenchmark.Run(args[1..]),
    _ => Help(),
};

static int Help()
{
    Console.WriteLine("""
        usage: dotnet run -c Release --project tests/HotTopics.Benchmarks -- SUITE [options]
          import [--corpus FILE] [--work DIR]   import throughput (parse, store, index) and index size
          classifier [--corpus FILE] [--sample N] [--per-label] [--variants] [--oracle] [--c C] [--power P] [--half-life D] [--no-refit] [--stack C] [--macro W] [--shrink N] [--text-only]
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
        var corpus = Corpus.Find(Option(args, "--corpus"));
        if (corpus is null) return 2;
        var work = Option(args, "--work") ?? Path.Combine(Path.GetTempPath(), "hottopics-bench-import");
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
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| import {Path.GetFileName(corpus)} | {docs:N0} docs | {clock.Elapsed.TotalSeconds:F1} s | {docs / clock.Elapsed.TotalSeconds:N0} docs/s | db {size / 1e6:F0} MB |"));
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

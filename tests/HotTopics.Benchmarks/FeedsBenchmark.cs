using System.Diagnostics;
using System.Globalization;
using HotTopics.Harvesting.Feeds;
using HotTopics.Harvesting.Html;

/// <summary>
/// Issue 4: feed parsing over every real feed fixture (items/s, MB/s; target >= 20,000 items/s) and page metadata
/// over the readability and ML-blog pages (pages/s; target >= 200). Reads ../shared/fixtures; each suite runs for
/// a few seconds after a warm-up and reports the best of three rounds.
/// </summary>
internal static class FeedsBenchmark
{
    private static readonly Uri FeedUrl = new("https://blog.example.com/feed.xml");

    public static int Run(string[] args)
    {
        var root = Option(args, "--fixtures") ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/fixtures"));
        if (!Directory.Exists(root))
        {
            Console.Error.WriteLine($"fixtures not found: {root} (the benchmark reads ../shared/fixtures; pass --fixtures DIR)");
            return 2;
        }
        var feeds = Files(root, "ml-blog-feeds", "*.*").Concat(Files(root, "feeds-realworld", "*.xml")).Select(File.ReadAllBytes).ToList();
        var pages = Files(root, "html-readability", "source.html").Concat(Files(root, "ml-blog-html", "*.html")).Concat(Files(root, "arxiv-abs-html", "*.html"))
            .Select(File.ReadAllBytes).ToList();
        var seconds = double.Parse(Option(args, "--seconds") ?? "3", CultureInfo.InvariantCulture);

        var (feedRounds, feedItems, feedBytes, feedTime, feedCpu) = Best(seconds, () =>
        {
            long items = 0, bytes = 0;
            foreach (var feed in feeds)
            {
                // As the harvester parses: with the feed's URL, so relative links in bodies are resolved too.
                items += FeedParser.Parse(feed, null, FeedUrl).Entries.Count;
                bytes += feed.Length;
            }
            return (items, bytes);
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| feed parsing | {feeds.Count} real feeds, {feedItems / feedRounds:N0} items, {feedBytes / feedRounds / 1e6:F1} MB per pass | {feedItems / feedTime:N0} items/s ({feedItems / feedCpu:N0} per CPU-second) | {feedBytes / feedTime / 1e6:F1} MB/s | target >= 20,000 items/s |"));

        var (pageRounds, pageCount, pageBytes, pageTime, pageCpu) = Best(seconds, () =>
        {
            long n = 0, bytes = 0;
            foreach (var page in pages)
            {
                _ = PageMetadataReader.Read(page, null, new Uri("https://example.com/page"));
                n++;
                bytes += page.Length;
            }
            return (n, bytes);
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| page metadata | {pages.Count} real pages, {pageBytes / pageRounds / 1e6:F1} MB per pass | {pageCount / pageTime:N0} pages/s ({pageCount / pageCpu:N0} per CPU-second) | {pageBytes / pageTime / 1e6:F1} MB/s | target >= 200 pages/s |"));
        return 0;
    }

    /// <summary>
    /// Runs passes for about <paramref name="seconds"/> after a warm-up, three times; returns the fastest round
    /// with its wall-clock and CPU time (the machine is shared: CPU time says what the code costs whatever the load).
    /// </summary>
    private static (long Passes, long Units, long Bytes, double Seconds, double CpuSeconds) Best(double seconds, Func<(long Units, long Bytes)> pass)
    {
        // Warm-up long enough for tiered JIT to finish compiling the hot paths.
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < Math.Max(1, seconds / 3)) pass();
        (long, long, long, double, double) best = (0, 0, 0, double.MaxValue, double.MaxValue);
        for (var round = 0; round < 3; round++)
        {
            long passes = 0, units = 0, bytes = 0;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < seconds / 3 || passes == 0)
            {
                var (u, b) = pass();
                units += u;
                bytes += b;
                passes++;
            }
            var elapsed = clock.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            if (best.Item4 == double.MaxValue || units / elapsed > best.Item2 / best.Item4) best = (passes, units, bytes, elapsed, cpuSeconds);
        }
        return best;
    }

    private static IEnumerable<string> Files(string root, string folder, string pattern) =>
        Directory.Exists(Path.Combine(root, folder))
            ? Directory.EnumerateFiles(Path.Combine(root, folder), pattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [];

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

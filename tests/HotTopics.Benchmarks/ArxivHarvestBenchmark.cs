using System.Diagnostics;
using System.Globalization;
using HotTopics;
using HotTopics.Harvesting;
using HotTopics.Harvesting.Arxiv;
using HotTopics.Harvesting.Sources;
using HotTopics.Items;
using HotTopics.Jobs;
using HotTopics.Storage;
using HotTopics.Tests.Harvesting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

/// <summary>
/// arXiv harvesting (issue 3): (1) OAI-PMH page processing — parse, upsert, index, cursor — of arXivRaw pages of
/// 1,000 records built from the corpus, as arXiv serves them; (2) a backfill of the whole corpus through the fake
/// OAI-PMH endpoint on 127.0.0.1 (Kestrel, the tests' FakeArxiv) with the politeness delay set to 0.
/// </summary>
internal static class ArxivHarvestBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var corpus = Corpus.Find(Option(args, "--corpus"));
        if (corpus is null) return 2;
        var work = Option(args, "--work") ?? Path.Combine(Path.GetTempPath(), "hottopics-bench-arxiv");
        var pageSize = int.Parse(Option(args, "--page-size") ?? "1000", CultureInfo.InvariantCulture);
        var papers = new List<ItemRecord>();
        using (var stream = ArxivJsonl.OpenRead(corpus))
            papers.AddRange(ArxivJsonl.Read(stream).Where(l => l.Record is not null).Select(l => l.Record!));
        papers.Sort((a, b) => a.Published.CompareTo(b.Published));
        Console.Error.WriteLine($"{papers.Count:N0} papers from {corpus}");

        await PageProcessingAsync(papers, pageSize, Path.Combine(work, "pages"));
        await BackfillAsync(papers, pageSize, Path.Combine(work, "backfill"));
        return 0;
    }

    private static async Task PageProcessingAsync(List<ItemRecord> papers, int pageSize, string dir)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        using var host = Host(dir, []);
        host.Services.GetRequiredService<Migrator>().Migrate();
        await host.Services.GetRequiredService<SourceSeeder>().SeedAsync(CancellationToken.None);
        var source = (await host.Services.GetRequiredService<SourceStore>().FindAsync("arxiv-oai-cs", CancellationToken.None))!;
        var settings = ArxivSettings.Of(source);
        // Pages are built before the clock starts: what is measured is what a harvester does with a page it received.
        var pages = papers.Chunk(pageSize).Select((chunk, i) => FakeArxiv.ListRecords(chunk, $"token{i + 1}", papers.Count, i * pageSize)).ToList();
        var megabytes = pages.Sum(p => (long)p.Length) / 1e6;
        var context = new HarvestContext(source, HarvestWindow.None, RunTrigger.Manual, host.Services.GetRequiredService<Database>(), TimeProvider.System, null);
        var clock = Stopwatch.StartNew();
        var parsing = new Stopwatch();
        var records = 0;
        foreach (var (bytes, i) in pages.Select((p, i) => (p, i)))
        {
            parsing.Start();
            using var stream = new MemoryStream(bytes, writable: false);
            var page = OaiPmh.Parse(stream, source.Name);
            parsing.Stop();
            records += page.Records.Count;
            await context.CommitPageAsync(new SourcePage
            {
                Records = [.. page.Records.Where(r => r.Paper is not null && settings.Wants(r.Paper.Categories)).Select(r => r.Paper!)],
                Cursor = $"{{\"paging\":{{\"token\":\"token{i + 1}\"}}}}",
            }, CancellationToken.None);
        }
        clock.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| OAI-PMH page processing (parse, upsert, index, cursor), {pageSize:N0} records/page | {records:N0} records, {pages.Count} pages, {megabytes:F0} MB XML | {clock.Elapsed.TotalSeconds:F1} s | {records / clock.Elapsed.TotalSeconds:N0} records/s | {context.Counts.Added:N0} items stored; parsing {parsing.Elapsed.TotalSeconds:F1} s ({records / parsing.Elapsed.TotalSeconds:N0}/s), storing {(clock.Elapsed - parsing.Elapsed).TotalSeconds:F1} s |"));
    }

    private static async Task BackfillAsync(List<ItemRecord> papers, int pageSize, string dir)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        await using var fake = await FakeArxiv.StartAsync();
        fake.Papers = papers;
        fake.PageSize = pageSize;
        using var host = Host(dir, new Dictionary<string, string?>
        {
            ["Arxiv:OaiBaseUrl"] = fake.OaiUrl,
            ["Arxiv:DelaySeconds"] = "0",
            ["Harvesting:AllowPrivateAddresses"] = "true",
        });
        host.Services.GetRequiredService<Migrator>().Migrate();
        await host.Services.GetRequiredService<SourceSeeder>().SeedAsync(CancellationToken.None);
        var harvester = host.Services.GetRequiredService<Harvester>();
        var window = new HarvestWindow(new DateOnly(2000, 1, 1), null);
        var clock = Stopwatch.StartNew();
        int pages = 0, stored = 0, merged = 0;
        foreach (var name in new[] { "arxiv-oai-cs", "arxiv-oai-eess", "arxiv-oai-stat" })
        {
            var result = await harvester.RefreshAsync(name, RunTrigger.Manual, window, null, CancellationToken.None);
            if (!result.Succeeded) throw new InvalidOperationException($"{name}: {result.Error}");
            pages += result.Pages;
            stored += result.ItemsNew;
            merged += result.ItemsUpdated + result.ItemsUnchanged;
        }
        clock.Stop();
        var received = fake.OaiRequests.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| backfill of the corpus through the fake OAI-PMH endpoint (3 sets, delay 0, {pageSize:N0}/page) | {stored:N0} papers stored ({merged:N0} cross-listed records merged), {pages} pages, {received} requests | {clock.Elapsed.TotalSeconds:F1} s | {(stored + merged) / clock.Elapsed.TotalSeconds:N0} records/s | |"));
    }

    private static IHost Host(string dir, Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection([new("Storage:DataDir", dir), .. settings]);
        builder.Logging.ClearProviders();
        builder.AddHotTopicsCore([]);
        return builder.Build();
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

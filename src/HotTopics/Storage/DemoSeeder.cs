using HotTopics.Items;
using Microsoft.Extensions.Options;

namespace HotTopics.Storage;

/// <summary>On first start with an empty database, loads the bundled sample of real arXiv papers so search works at once.</summary>
public sealed class DemoSeeder(ItemStore items, ItemImporter importer, IOptions<StorageOptions> options, ILogger<DemoSeeder> logger)
{
    public static string DemoFile => Path.Combine(AppContext.BaseDirectory, "DemoData", "arxiv-demo.jsonl.gz");

    public async Task SeedIfEmptyAsync(CancellationToken ct)
    {
        if (!options.Value.SeedDemoData) return;
        if (await items.CountAsync(ct) > 0) return;
        if (!File.Exists(DemoFile))
        {
            StorageLog.DemoMissing(logger, DemoFile);
            return;
        }
        StorageLog.SeedingDemo(logger, DemoFile);
        var result = await importer.ImportAsync(DemoFile, progress: null, skipped: null, ct);
        StorageLog.SeededDemo(logger, result.Counts.Added);
    }
}

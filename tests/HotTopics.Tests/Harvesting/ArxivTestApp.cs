using HotTopics.Harvesting;
using HotTopics.Jobs;
using HotTopics.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HotTopics.Tests.Harvesting;

/// <summary>
/// The real app (real SQLite, real Quartz store) with its arXiv base URLs pointing at a <see cref="FakeArxiv"/>;
/// private addresses allowed by configuration because the fake serves on 127.0.0.1.
/// </summary>
public sealed class ArxivTestApp(FakeArxiv fake, IReadOnlyDictionary<string, string>? settings = null, string? dataDir = null, TimeProvider? clock = null) : HotTopicsApp
{
    protected override bool ImportSample => false;

    public string DataPath => dataDir ?? Data.Path;

    public static Dictionary<string, string> Settings(FakeArxiv fake) => new()
    {
        ["Arxiv:OaiBaseUrl"] = fake.OaiUrl,
        ["Arxiv:ApiBaseUrl"] = fake.ApiUrl,
        ["Arxiv:RssBaseUrl"] = fake.RssUrl,
        ["Arxiv:DelaySeconds"] = "0",
        ["Harvesting:AllowPrivateAddresses"] = "true",
        ["Harvesting:RetryBaseDelayMs"] = "20",
        ["Harvesting:MaxAttempts"] = "3",
        ["Harvesting:TimeoutSeconds"] = "5",
        ["Harvesting:ContactEmail"] = "organizers@meetup.example",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (dataDir is not null) builder.UseSetting("Storage:DataDir", dataDir);
        foreach (var (key, value) in Settings(fake)) builder.UseSetting(key, value);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
        if (clock is not null) builder.ConfigureServices(services => services.AddSingleton(clock));
    }

    public static async Task<ArxivTestApp> StartAsync(FakeArxiv fake, IReadOnlyDictionary<string, string>? settings = null, string? dataDir = null, TimeProvider? clock = null)
    {
        var app = new ArxivTestApp(fake, settings, dataDir, clock);
        await app.InitializeAsync();
        return app;
    }

    public Task<HarvestResult> HarvestAsync(string source, HarvestWindow? window = null) =>
        Get<Harvester>().RefreshAsync(source, RunTrigger.Manual, window, null, CancellationToken.None);

    public Task StopAsync() => ((IAsyncLifetime)this).DisposeAsync();
}

/// <summary>The system clock moved by an offset a test sets: "the next day" without waiting for it.</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

using HotTopics.Harvesting;
using HotTopics.Harvesting.Feeds;
using HotTopics.Harvesting.Sources;
using HotTopics.Jobs;
using HotTopics.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace HotTopics.Tests.Feeds;

/// <summary>
/// The real app (real SQLite, real harvester and PoliteHttp) whose arXiv API points at the fake blog server.
/// Private addresses are allowed by configuration (the fakes serve on 127.0.0.1) unless a test says otherwise.
/// </summary>
public sealed class FeedTestApp(FakeFeedServer fake, IReadOnlyDictionary<string, string>? settings = null) : HotTopicsApp
{
    protected override bool ImportSample => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var all = new Dictionary<string, string>
        {
            ["Harvesting:AllowPrivateAddresses"] = "true",
            ["Harvesting:DefaultDelayMs"] = "0",
            ["Harvesting:RetryBaseDelayMs"] = "10",
            ["Harvesting:MaxAttempts"] = "2",
            ["Harvesting:TimeoutSeconds"] = "2",
            ["Arxiv:ApiBaseUrl"] = fake.Url("api/query"),
            ["Arxiv:OaiBaseUrl"] = fake.Url("oai"),
            ["Arxiv:RssBaseUrl"] = fake.Url("rss/"),
            ["Arxiv:DelaySeconds"] = "0",
            // Runs are started by the tests, not by the clock.
            ["Jobs:Enabled"] = "false",
            // The recorded feeds link to the real blogs: completing posts from their pages would reach past
            // 127.0.0.1, so only the test of that feature (whose pages the fake serves) turns it on.
            ["Feeds:MaxPageFetchesPerRun"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) all[key] = value;
        foreach (var (key, value) in all) builder.UseSetting(key, value);
    }

    public static async Task<FeedTestApp> StartAsync(FakeFeedServer fake, IReadOnlyDictionary<string, string>? settings = null)
    {
        var app = new FeedTestApp(fake, settings);
        await app.InitializeAsync();
        return app;
    }

    public async Task<Source> FollowAsync(string name, string url) =>
        await Get<SourceStore>().SaveAsync(new SourceDefinition { Name = name, Kind = SourceKind.Feed, Url = url }, fromConfig: false, CancellationToken.None);

    public Task<HarvestResult> HarvestAsync(string source, string trigger = RunTrigger.Manual) =>
        Get<Harvester>().RefreshAsync(source, trigger, null, null, CancellationToken.None);

    public Task<FeedAdded> AddAsync(string url, string? name = null) => Get<FeedSources>().AddAsync(url, name, CancellationToken.None);

    public Task StopAsync() => ((IAsyncLifetime)this).DisposeAsync();
}

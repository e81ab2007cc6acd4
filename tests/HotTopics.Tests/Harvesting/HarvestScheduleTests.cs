using Dapper;
using HotTopics.Jobs;
using HotTopics.Storage;
using HotTopics.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace HotTopics.Tests.Harvesting;

/// <summary>The schedule lives in Quartz's persistent store in our database: it survives a restart, and a run missed while the service was down fires once.</summary>
public sealed class HarvestScheduleTests : IAsyncLifetime, IDisposable
{
    private FakeArxiv _fake = null!;
    private readonly TempDir _dir = new();

    public async Task InitializeAsync()
    {
        _fake = await FakeArxiv.StartAsync();
        _fake.Rss = ctx => FakeArxiv.ServeFile(ctx, Path.Combine(TestFiles.Dir, "Arxiv", "rss.arxiv.org_cs.AI_2026-04-27_trimmed3.xml"), type: "application/rss+xml");
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private sealed class TriggerRow
    {
        public string TriggerName { get; init; } = "";
        public string TriggerGroup { get; init; } = "";
        public long NextFireTime { get; init; }
        public string CronExpression { get; init; } = "";
        public string TimeZoneId { get; init; } = "";
    }

    private static readonly string[] WithoutStatistics = ["cs.LG", "cs.CL", "cs.CV", "cs.AI", "cs.NE", "cs.IR", "cs.SD", "eess.AS"];

    private IReadOnlyList<TriggerRow> Triggers()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "hottopics.db")};Pooling=false");
        return [.. connection.Query<TriggerRow>("""
            SELECT t.TRIGGER_NAME AS TriggerName, t.TRIGGER_GROUP AS TriggerGroup, t.NEXT_FIRE_TIME AS NextFireTime,
                   c.CRON_EXPRESSION AS CronExpression, c.TIME_ZONE_ID AS TimeZoneId
            FROM QRTZ_TRIGGERS t JOIN QRTZ_CRON_TRIGGERS c USING (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP)
            WHERE t.TRIGGER_GROUP = 'harvest-schedule' ORDER BY t.TRIGGER_NAME
            """)];
    }

    [Fact]
    public async Task The_schedule_survives_a_restart_and_a_missed_run_fires_once()
    {
        var first = await ArxivTestApp.StartAsync(_fake, dataDir: _dir.Path);
        await first.StopAsync();
        var before = Triggers();
        Assert.Equal(["arxiv-oai-cs", "arxiv-oai-eess", "arxiv-oai-stat", "arxiv-rss"], before.Select(t => t.TriggerName));
        Assert.All(before, t => Assert.Equal("Europe/Vienna", t.TimeZoneId));
        Assert.Equal("0 15 7 ? * MON-FRI", before.Single(t => t.TriggerName == "arxiv-rss").CronExpression);
        Assert.All(before, t => Assert.True(new DateTimeOffset(t.NextFireTime, TimeSpan.Zero) > DateTimeOffset.UtcNow));

        // The service is down while the RSS harvest was due: its next fire time passes.
        var missed = DateTimeOffset.UtcNow.AddMinutes(-10);
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "hottopics.db")};Pooling=false"))
            connection.Execute("UPDATE QRTZ_TRIGGERS SET NEXT_FIRE_TIME = @ticks WHERE TRIGGER_NAME = 'arxiv-rss'", new { ticks = missed.UtcTicks });

        var second = await ArxivTestApp.StartAsync(_fake, dataDir: _dir.Path);
        try
        {
            var runs = second.Get<JobRunStore>();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            IReadOnlyList<JobRun> rss = [];
            while (DateTime.UtcNow < deadline && (rss = await runs.RecentAsync("harvest:arxiv-rss", 10, default)).All(r => r.Status == RunStatus.Running))
                await Task.Delay(100);
            await Task.Delay(1_000);
            rss = await runs.RecentAsync("harvest:arxiv-rss", 10, default);
            var run = Assert.Single(rss);
            Assert.Equal((RunTrigger.Schedule, RunStatus.Succeeded, 3), (run.TriggerKind, run.Status, run.ItemsNew));

            var after = Triggers();
            Assert.True(new DateTimeOffset(after.Single(t => t.TriggerName == "arxiv-rss").NextFireTime, TimeSpan.Zero) > DateTimeOffset.UtcNow);
            // The other triggers were not re-created: same next fire times as before the restart.
            Assert.Equal(before.Where(t => t.TriggerName != "arxiv-rss").Select(t => t.NextFireTime),
                after.Where(t => t.TriggerName != "arxiv-rss").Select(t => t.NextFireTime));
            Assert.Empty(await runs.RecentAsync("harvest:arxiv-oai-cs", 10, default));
        }
        finally
        {
            await second.StopAsync();
        }
    }

    [Fact]
    public async Task A_source_configuration_no_longer_defines_is_disabled_and_unscheduled_but_kept()
    {
        var first = await ArxivTestApp.StartAsync(_fake, dataDir: _dir.Path);
        await first.StopAsync();
        // The community stops following stat.ML (the last of the nine default categories).
        var following = WithoutStatistics.Select((c, i) => (Key: $"Arxiv:Categories:{i}", Value: c)).ToDictionary(p => p.Key, p => p.Value);
        var second = await ArxivTestApp.StartAsync(_fake, following, _dir.Path);
        try
        {
            var stat = (await second.Get<HotTopics.Harvesting.Sources.SourceStore>().FindAsync("arxiv-oai-stat", default))!;
            Assert.False(stat.Enabled);
            Assert.True((await second.Get<HotTopics.Harvesting.Sources.SourceStore>().FindAsync("arxiv-oai-cs", default))!.Enabled);
        }
        finally
        {
            await second.StopAsync();
        }
        Assert.DoesNotContain("arxiv-oai-stat", Triggers().Select(t => t.TriggerName));
    }

    [Fact]
    public async Task Stopping_the_service_interrupts_a_running_harvest_which_keeps_its_stored_pages()
    {
        _fake.Papers = FakeArxiv.LoadPapers(TestFiles.Sample, p => p.Categories.Any(c => c.StartsWith("cs.", StringComparison.Ordinal))).Take(15).ToList();
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fake.BeforeOaiPage = async (offset, aborted) =>
        {
            if (offset != 5) return;
            reached.TrySetResult();
            await Task.Delay(Timeout.Infinite, aborted);
        };
        var app = await ArxivTestApp.StartAsync(_fake, new Dictionary<string, string> { ["Arxiv:InitialDays"] = "20000" }, _dir.Path);
        var source = (await app.Get<HotTopics.Harvesting.Sources.SourceStore>().FindAsync("arxiv-oai-cs", default))!;
        await app.Get<HarvestSchedule>().TriggerNowAsync(source, default);
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await app.StopAsync();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(20), $"shutdown took {stopping.Elapsed}");

        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "hottopics.db")};Pooling=false");
        var run = connection.QuerySingle<(string Status, string Error, long ItemsNew)>("SELECT status, error, items_new FROM job_runs WHERE job = 'harvest:arxiv-oai-cs'");
        Assert.Equal(("interrupted", "stopped: the service shut down during the run", 5L), run);
        Assert.Equal(5L, connection.ExecuteScalar<long>("SELECT count(*) FROM items"));
    }
}

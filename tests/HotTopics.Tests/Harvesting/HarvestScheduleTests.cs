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
}

using System.Diagnostics;
using Dapper;
using HotTopics.Items;
using HotTopics.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace HotTopics.Tests.Harvesting;

/// <summary>
/// A real crash: the built HotTopics.dll runs <c>harvest</c> in a child process against the fake arXiv, is killed
/// while it waits for a page, and is started again: it resumes from the last committed page, nothing is lost and
/// nothing is stored twice.
/// </summary>
public sealed class HarvestCrashTests : IAsyncLifetime, IDisposable
{
    private FakeArxiv _fake = null!;
    private readonly TempDir _dir = new();

    public async Task InitializeAsync() => _fake = await FakeArxiv.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private Process StartHarvest()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dir.Path,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "HotTopics.dll"), "--data-dir", _dir.Path, "harvest", "arxiv-oai-cs", "--from", "2000-01-01" })
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in ArxivTestApp.Settings(_fake)) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        return Process.Start(start)!;
    }

    private long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "hottopics.db")};Pooling=false");
        return connection.ExecuteScalar<long>(sql);
    }

    [Fact]
    public async Task A_harvest_killed_between_pages_resumes_from_the_last_stored_page_with_nothing_lost_or_doubled()
    {
        var papers = FakeArxiv.LoadPapers(TestFiles.Sample, p => p.Categories.Any(c => c.StartsWith("cs.", StringComparison.Ordinal))).Take(40).ToList();
        _fake.Papers = papers;
        _fake.PageSize = 5;
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fake.BeforeOaiPage = async (offset, aborted) =>
        {
            if (offset != 20 || reached.Task.IsCompleted) return;
            reached.SetResult();
            await Task.Delay(Timeout.Infinite, aborted); // page 5 never comes: the process is killed waiting for it
        };

        using (var first = StartHarvest())
        {
            var finished = first.WaitForExitAsync();
            if (await Task.WhenAny(reached.Task, finished, Task.Delay(TimeSpan.FromSeconds(90))) != reached.Task)
                Assert.Fail("the harvest did not reach page 5: " + await first.StandardError.ReadToEndAsync());
            Assert.Equal(20, Count("SELECT count(*) FROM items"));
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        Assert.Equal(20, Count("SELECT count(*) FROM items"));
        Assert.Equal(1, Count("SELECT count(*) FROM job_runs WHERE status = 'running'"));

        _fake.Requests.Clear();
        using var second = StartHarvest();
        var stdout = second.StandardOutput.ReadToEndAsync();
        var stderr = second.StandardError.ReadToEndAsync();
        Assert.True(second.WaitForExit(TimeSpan.FromSeconds(90)), "the second harvest did not finish");
        Assert.True(second.ExitCode == 0, await stderr);
        Assert.Contains("arxiv-oai-cs: 4 pages, 20 new, 0 updated, 0 unchanged.", await stdout, StringComparison.Ordinal);

        // It asked for page 5 first, not for the list from the start.
        Assert.Equal("cs|2000-01-01||20", System.Web.HttpUtility.ParseQueryString(_fake.OaiRequests[0].Query)["resumptionToken"]);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "hottopics.db")};Pooling=false");
        var stored = connection.Query<string>("SELECT item_key FROM items").ToList();
        Assert.Equal(papers.Count, stored.Count);
        Assert.Equal(papers.Select(p => p.Key).ToHashSet(), stored.ToHashSet());
        Assert.Equal(["interrupted", "succeeded"], connection.Query<string>("SELECT status FROM job_runs ORDER BY id"));
        Assert.Equal(20, connection.ExecuteScalar<long>("SELECT items_new FROM job_runs WHERE status = 'succeeded'"));
    }
}

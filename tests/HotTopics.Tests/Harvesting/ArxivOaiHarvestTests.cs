using Dapper;
using HotTopics.Harvesting;
using HotTopics.Harvesting.Sources;
using HotTopics.Items;
using HotTopics.Jobs;
using HotTopics.Storage;
using HotTopics.Tests.Infrastructure;

namespace HotTopics.Tests.Harvesting;

/// <summary>
/// OAI-PMH harvests against the fake arXiv serving real papers page by page: what is stored, pacing, resumption,
/// and every scripted fault the issue names (each failure stored, the cursor left at the last good page).
/// </summary>
public sealed class ArxivOaiHarvestTests : IAsyncLifetime
{
    private static readonly HarvestWindow All = new(new DateOnly(2000, 1, 1), null);
    private FakeArxiv _fake = null!;
    private List<ItemRecord> _papers = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeArxiv.StartAsync();
        // 23 real papers in the cs archive, oldest first: five pages of five (the last one of three).
        _papers = FakeArxiv.LoadPapers(TestFiles.Sample, p => p.Categories.Any(c => c.StartsWith("cs.", StringComparison.Ordinal))).Take(23).ToList();
        _fake.Papers = _papers;
        _fake.PageSize = 5;
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static async Task<List<Item>> ItemsAsync(ArxivTestApp app)
    {
        using var connection = app.Get<Database>().Open();
        return [.. await connection.QueryAsync<Item>("""
            SELECT id, item_key AS ItemKey, kind, title, summary, authors, categories, comment, journal_ref AS JournalRef, doi, license,
                   arxiv_id AS ArxivId, version, url, pdf_url AS PdfUrl, source, published, updated, created_at AS CreatedAt, updated_at AS UpdatedAt
            FROM items ORDER BY arxiv_id
            """)];
    }

    private static string? TokenOf(LoopbackServer.Request r) =>
        System.Web.HttpUtility.ParseQueryString(r.Query)["resumptionToken"];

    [Fact]
    public async Task A_multi_page_harvest_stores_every_paper_once_with_ids_versions_categories_authors_and_dates()
    {
        var app = await ArxivTestApp.StartAsync(_fake);
        try
        {
            var result = await app.HarvestAsync("arxiv-oai-cs", All);
            Assert.True(result.Succeeded, result.Error);
            Assert.Equal(5, result.Pages);
            Assert.Equal(_papers.Count, result.ItemsNew);

            var stored = await ItemsAsync(app);
            Assert.Equal(_papers.Select(p => p.ArxivId).Order(StringComparer.Ordinal), stored.Select(i => i.ArxivId));
            foreach (var paper in _papers)
            {
                var item = stored.Single(i => i.ArxivId == paper.ArxivId);
                Assert.Equal(paper.Title, item.Title);
                Assert.Equal(paper.Authors, item.AuthorList);
                Assert.Equal(paper.Categories, item.CategoryList);
                Assert.Equal(1, item.Version);
                Assert.Equal(paper.Published, item.PublishedAt);
                Assert.Equal("http://creativecommons.org/licenses/by/4.0/", item.License);
                Assert.Equal("arxiv-oai-cs", item.Source);
            }
            // Searchable as soon as stored: the index follows in the same transaction.
            var search = await app.CreateClient().GetStringAsync("/api/search?q=" + Uri.EscapeDataString("\"" + _papers[7].Title.Split(' ').Take(4).Aggregate((a, b) => a + " " + b) + "\""));
            Assert.Contains(_papers[7].ArxivId!, search, StringComparison.Ordinal);

            var run = Assert.Single(await app.Get<JobRunStore>().RecentAsync("harvest:arxiv-oai-cs", 10, default));
            Assert.Equal((RunStatus.Succeeded, RunTrigger.Manual, _papers.Count, 0), (run.Status, run.TriggerKind, run.ItemsNew, run.ItemsUpdated));
            var source = (await app.Get<SourceStore>().FindAsync("arxiv-oai-cs", default))!;
            Assert.NotNull(source.LastSuccessAt);
            Assert.Equal(0, source.ConsecutiveFailures);
            Assert.DoesNotContain("paging", source.Cursor!, StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Harvesting_again_changes_nothing_and_a_new_version_updates_the_one_item()
    {
        var app = await ArxivTestApp.StartAsync(_fake);
        try
        {
            Assert.True((await app.HarvestAsync("arxiv-oai-cs", All)).Succeeded);
            var again = await app.HarvestAsync("arxiv-oai-cs", All);
            Assert.True(again.Succeeded, again.Error);
            Assert.Equal((0, 0, _papers.Count), (again.ItemsNew, again.ItemsUpdated, again.ItemsUnchanged));

            // arXiv announces v2 of one paper: same item, version 2, first-submitted date kept, last-updated moved.
            var revised = _papers[3];
            _fake.Papers = [.. _papers.Select(p => p == revised ? new ItemRecord
            {
                Key = p.Key, Kind = p.Kind, ArxivId = p.ArxivId, Version = 2, Title = p.Title, Summary = p.Summary,
                Authors = p.Authors, Categories = p.Categories, Comment = "v2: typos fixed", Source = p.Source, Published = p.Published,
            } : p)];
            var third = await app.HarvestAsync("arxiv-oai-cs", All);
            Assert.Equal((0, 1), (third.ItemsNew, third.ItemsUpdated));
            var items = await ItemsAsync(app);
            Assert.Equal(_papers.Count, items.Count);
            var item = items.Single(i => i.ArxivId == revised.ArxivId);
            Assert.Equal(2, item.Version);
            Assert.Equal(revised.Published, item.PublishedAt);
            Assert.Equal(ItemDates.Format(revised.Published.AddDays(1)), item.Updated);
            Assert.Equal("v2: typos fixed", item.Comment);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Requests_to_arXiv_are_paced_by_the_configured_delay_and_name_a_contact()
    {
        var app = await ArxivTestApp.StartAsync(_fake, new Dictionary<string, string> { ["Arxiv:DelaySeconds"] = "0.3" });
        try
        {
            Assert.True((await app.HarvestAsync("arxiv-oai-cs", All)).Succeeded);
            var requests = _fake.OaiRequests;
            Assert.Equal(5, requests.Count);
            for (var i = 1; i < requests.Count; i++)
                Assert.True(requests[i].At - requests[i - 1].At >= TimeSpan.FromMilliseconds(300), $"gap {i}: {(requests[i].At - requests[i - 1].At).TotalMilliseconds} ms");
            Assert.Equal("HotTopics/1.0 (+mailto:organizers@meetup.example)", requests[0].Headers["User-Agent"]);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task The_next_harvest_starts_from_the_last_datestamp_and_noRecordsMatch_is_a_success()
    {
        var app = await ArxivTestApp.StartAsync(_fake);
        try
        {
            Assert.True((await app.HarvestAsync("arxiv-oai-cs", new HarvestWindow(new DateOnly(2000, 1, 1), null))).Succeeded);
            // The window run leaves the incremental cursor alone; an incremental run from the newest datestamp:
            var latest = _papers.Max(p => p.Published).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            _fake.Requests.Clear();
            using (var connection = app.Get<Database>().Open())
                connection.Execute("UPDATE sources SET cursor = '{\"from\":\"2000-01-01\"}' WHERE name = 'arxiv-oai-cs'");
            var incremental = await app.HarvestAsync("arxiv-oai-cs");
            Assert.True(incremental.Succeeded, incremental.Error);
            Assert.Contains("from=2000-01-01", _fake.OaiRequests[0].Query, StringComparison.Ordinal);
            var source = (await app.Get<SourceStore>().FindAsync("arxiv-oai-cs", default))!;
            Assert.Contains($"\"from\":\"{latest}\"", source.Cursor!, StringComparison.Ordinal);

            _fake.Requests.Clear();
            _fake.Papers = [];
            var nothing = await app.HarvestAsync("arxiv-oai-cs");
            Assert.True(nothing.Succeeded, nothing.Error);
            Assert.Equal((0, 0, 0), (nothing.ItemsNew, nothing.ItemsUpdated, nothing.Pages));
            Assert.Contains($"from={latest}", _fake.OaiRequests[0].Query, StringComparison.Ordinal);
            Assert.Equal(RunStatus.Succeeded, (await app.Get<JobRunStore>().GetAsync(nothing.RunId, default))!.Status);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task A_refused_resumption_token_restarts_the_list_from_its_datestamp()
    {
        _fake.ExpiredTokens["cs|2000-01-01||10"] = true;
        var app = await ArxivTestApp.StartAsync(_fake);
        try
        {
            var result = await app.HarvestAsync("arxiv-oai-cs", All);
            Assert.True(result.Succeeded, result.Error);
            Assert.Equal(_papers.Count, (await ItemsAsync(app)).Count);
            var tokens = _fake.OaiRequests.Select(TokenOf).ToList();
            Assert.Equal([null, "cs|2000-01-01||5", "cs|2000-01-01||10", null, "cs|2000-01-01||5", "cs|2000-01-01||10", "cs|2000-01-01||15", "cs|2000-01-01||20"], tokens);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task A_503_with_Retry_After_is_waited_out_and_a_reset_connection_retried()
    {
        _fake.Faults.Enqueue(new Fault(FaultKind.Unavailable, RetryAfterSeconds: 1, AtOffset: 5));
        _fake.Faults.Enqueue(new Fault(FaultKind.Reset, AtOffset: 10));
        var app = await ArxivTestApp.StartAsync(_fake);
        try
        {
            var result = await app.HarvestAsync("arxiv-oai-cs", All);
            Assert.True(result.Succeeded, result.Error);
            Assert.Equal(_papers.Count, result.ItemsNew);
            var page2 = _fake.OaiRequests.Where(r => TokenOf(r) == "cs|2000-01-01||5").ToList();
            Assert.Equal(2, page2.Count);
            Assert.True(page2[1].At - page2[0].At >= TimeSpan.FromSeconds(1), "Retry-After: 1 was not honoured");
            Assert.Equal(2, _fake.OaiRequests.Count(r => TokenOf(r) == "cs|2000-01-01||10"));
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task A_truncated_page_fails_the_run_with_a_clear_error_and_the_next_run_resumes_at_that_page()
    {
        for (var i = 0; i < 3; i++) _fake.Faults.Enqueue(new Fault(FaultKind.Truncated, AtOffset: 10));
        var app = await ArxivTestApp.StartAsync(_fake);
        try
        {
            var failed = await app.HarvestAsync("arxiv-oai-cs", All);
            Assert.Equal(RunStatus.Failed, failed.Status);
            Assert.Contains("gave up after 3 attempts", failed.Error, StringComparison.Ordinal);
            Assert.Equal(10, (await ItemsAsync(app)).Count);
            var source = (await app.Get<SourceStore>().FindAsync("arxiv-oai-cs", default))!;
            Assert.Equal(1, source.ConsecutiveFailures);
            Assert.Equal(failed.Error, source.LastError);
            Assert.True(ItemDates.Parse(source.NextAttemptAt!) > DateTimeOffset.UtcNow.AddMinutes(14));
            var run = (await app.Get<JobRunStore>().GetAsync(failed.RunId, default))!;
            Assert.Equal((RunStatus.Failed, failed.Error, 10), (run.Status, run.Error, run.ItemsNew));

            // While it backs off, the schedule's ticks leave arXiv alone (the retry trigger runs it when due).
            _fake.Requests.Clear();
            var tick = await app.Get<Harvester>().RefreshAsync("arxiv-oai-cs", RunTrigger.Schedule, null, null, default);
            Assert.Equal(RunStatus.Skipped, tick.Status);
            Assert.Empty(_fake.Requests);

            var resumed = await app.HarvestAsync("arxiv-oai-cs", All);
            Assert.True(resumed.Succeeded, resumed.Error);
            Assert.Equal("cs|2000-01-01||10", TokenOf(_fake.OaiRequests[0]));
            Assert.Equal(_papers.Count - 10, resumed.ItemsNew);
            Assert.Equal(_papers.Count, (await ItemsAsync(app)).Count);
            source = (await app.Get<SourceStore>().FindAsync("arxiv-oai-cs", default))!;
            Assert.Equal((0, null, null), (source.ConsecutiveFailures, source.LastError, source.NextAttemptAt));
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task A_body_slower_than_the_timeout_fails_the_run_and_keeps_the_pages_before_it()
    {
        _fake.Faults.Enqueue(new Fault(FaultKind.SlowBody, PauseMs: 4_000, AtOffset: 5));
        var app = await ArxivTestApp.StartAsync(_fake, new Dictionary<string, string> { ["Harvesting:TimeoutSeconds"] = "1", ["Harvesting:MaxAttempts"] = "1" });
        try
        {
            var failed = await app.HarvestAsync("arxiv-oai-cs", All);
            Assert.Equal(RunStatus.Failed, failed.Status);
            Assert.Contains("no complete answer within 1 s", failed.Error, StringComparison.Ordinal);
            Assert.Equal(5, (await ItemsAsync(app)).Count);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Malformed_XML_fails_only_that_source_and_other_sources_still_harvest()
    {
        _fake.Faults.Enqueue(new Fault(FaultKind.Malformed, AtOffset: 5));
        _fake.Rss = ctx => FakeArxiv.ServeFile(ctx, Path.Combine(TestFiles.Dir, "Arxiv", "rss.arxiv.org_cs.LG_2026-04-27_trimmed3.xml"), type: "application/rss+xml");
        var app = await ArxivTestApp.StartAsync(_fake);
        try
        {
            var failed = await app.HarvestAsync("arxiv-oai-cs", All);
            Assert.Equal(RunStatus.Failed, failed.Status);
            Assert.Matches(@"the OAI-PMH page is not well-formed XML \(line \d+, position \d+\)", failed.Error);
            Assert.Equal(5, (await ItemsAsync(app)).Count);
            var cursor = (await app.Get<SourceStore>().FindAsync("arxiv-oai-cs", default))!.Cursor!;
            Assert.Contains("\"token\":\"cs|2000-01-01||5\"", cursor, StringComparison.Ordinal);

            var rss = await app.HarvestAsync("arxiv-rss");
            Assert.True(rss.Succeeded, rss.Error);
            Assert.Equal(3, rss.ItemsNew);
            var others = (await app.Get<SourceStore>().ListAsync(default)).Where(s => s.Name != "arxiv-oai-cs");
            Assert.All(others, s => Assert.Equal(0, s.ConsecutiveFailures));
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Records_outside_the_configured_categories_are_not_stored()
    {
        // The recorded page (six math and physics papers) through a source that follows math.AG only.
        var recorded = Path.Combine(TestFiles.Dir, "Arxiv", "ListRecordsResponse.xml");
        _fake.Oai = async ctx =>
        {
            if (ctx.Request.Query.ContainsKey("resumptionToken"))
            {
                ctx.Response.ContentType = "text/xml";
                await ctx.Response.Body.WriteAsync(FakeArxiv.ListRecords([], "", 6, 6));
                return;
            }
            await FakeArxiv.ServeFile(ctx, recorded, type: "text/xml");
        };
        var app = await ArxivTestApp.StartAsync(_fake, new Dictionary<string, string> { ["Arxiv:Categories:0"] = "math.AG" });
        try
        {
            var result = await app.HarvestAsync("arxiv-oai-math", All);
            Assert.True(result.Succeeded, result.Error);
            Assert.Equal(2, result.Pages);
            var item = Assert.Single(await ItemsAsync(app));
            Assert.Equal(("0704.0874", 3, "Gavril Farkas"), (item.ArxivId, item.Version, item.AuthorList[0]));
            Assert.Equal("J. London Math. Soc. 78(2008) 418-440", item.JournalRef);
            Assert.Contains("set=math", _fake.OaiRequests[0].Query, StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task A_source_already_being_harvested_is_refused_rather_than_run_twice()
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fake.BeforeOaiPage = async (offset, _) =>
        {
            if (offset != 5) return;
            reached.TrySetResult();
            await release.Task;
        };
        var app = await ArxivTestApp.StartAsync(_fake);
        try
        {
            var first = app.HarvestAsync("arxiv-oai-cs", All);
            await reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var ex = await Assert.ThrowsAsync<SourceBusyException>(() => app.HarvestAsync("arxiv-oai-cs", All));
            Assert.Equal("source 'arxiv-oai-cs' is being harvested by another run right now; try again when it has finished", ex.Message);
            release.SetResult();
            Assert.True((await first).Succeeded);
            Assert.Single(await app.Get<JobRunStore>().RecentAsync("harvest:arxiv-oai-cs", 10, default));
        }
        finally
        {
            release.TrySetResult();
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task An_interrupted_incremental_harvest_resumes_its_list_even_on_a_later_day()
    {
        for (var i = 0; i < 3; i++) _fake.Faults.Enqueue(new Fault(FaultKind.Reset, AtOffset: 15));
        var clock = new ShiftedClock();
        // The first incremental harvest of a source starts InitialDays back from today.
        var app = await ArxivTestApp.StartAsync(_fake, new Dictionary<string, string> { ["Arxiv:InitialDays"] = "20000" }, clock: clock);
        try
        {
            var failed = await app.HarvestAsync("arxiv-oai-cs");
            Assert.Equal(RunStatus.Failed, failed.Status);
            Assert.Equal(15, (await ItemsAsync(app)).Count);
            var from = System.Web.HttpUtility.ParseQueryString(_fake.OaiRequests[0].Query)["from"];

            // The next day "today minus InitialDays" is another day, but the interrupted list continues where it stopped.
            clock.Offset = TimeSpan.FromDays(1);
            _fake.Requests.Clear();
            var resumed = await app.HarvestAsync("arxiv-oai-cs");
            Assert.True(resumed.Succeeded, resumed.Error);
            Assert.Equal($"cs|{from}||15", TokenOf(_fake.OaiRequests[0]));
            Assert.Equal(_papers.Count, (await ItemsAsync(app)).Count);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}

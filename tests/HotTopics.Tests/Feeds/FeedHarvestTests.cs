using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HotTopics.Harvesting.Feeds;
using HotTopics.Harvesting.Sources;
using HotTopics.Items;
using HotTopics.Jobs;
using HotTopics.Search;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace HotTopics.Tests.Feeds;

/// <summary>Feeds harvested from blogs on 127.0.0.1 through the real harvester, HTTP client and database.</summary>
public sealed class FeedHarvestTests : IAsyncLifetime
{
    private FakeFeedServer _fake = null!;
    private FeedTestApp _app = null!;

    private static string Data(string relative) => Path.Combine(AppContext.BaseDirectory, "TestData", relative);

    public async Task InitializeAsync()
    {
        _fake = await FakeFeedServer.StartAsync();
        _app = await FeedTestApp.StartAsync(_fake);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _fake.DisposeAsync();
    }

    private Task<Item?> ItemAsync(string publicIdOrKey) => _app.Get<ItemStore>().FindAsync(publicIdOrKey, CancellationToken.None);

    private async Task<long> CountAsync(string sql, object? args = null)
    {
        await using var connection = await _app.Get<HotTopics.Storage.Database>().OpenAsync(CancellationToken.None);
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql, args);
    }

    [Fact]
    public async Task A_second_harvest_asks_conditionally_and_a_304_is_a_success_with_nothing_new()
    {
        _fake.Routes["/agent.xml"] = async context =>
        {
            if (context.Request.Headers.IfNoneMatch == "\"v1\"")
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            context.Response.Headers.ETag = "\"v1\"";
            context.Response.Headers.LastModified = "Sat, 04 Jul 2026 00:00:00 GMT";
            await FakeFeedServer.File(Data("Feeds/ml-blog-feeds/lilianweng_tag_agent.xml"), "application/rss+xml")(context);
        };
        await _app.FollowAsync("lilianweng-agent", _fake.Url("agent.xml"));

        var first = await _app.HarvestAsync("lilianweng-agent");
        var second = await _app.HarvestAsync("lilianweng-agent");

        Assert.True(first.Succeeded, first.Error);
        Assert.Equal(2, first.ItemsNew);
        Assert.True(second.Succeeded, second.Error);
        Assert.Equal(0, second.ItemsNew + second.ItemsUpdated);
        var asked = _fake.RequestsTo("/agent.xml").Last();
        Assert.Equal("\"v1\"", asked.Headers["If-None-Match"]);
        Assert.Equal("Sat, 04 Jul 2026 00:00:00 GMT", asked.Headers["If-Modified-Since"]);
        var post = await ItemAsync((await _app.Get<ItemStore>().GetManyAsync([1, 2], CancellationToken.None))[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ItemKind.Post, post!.Kind);
        Assert.Equal("https://lilianweng.github.io/posts/2026-07-04-harness/", post.Url);
    }

    [Fact]
    public async Task A_permanent_redirect_moves_the_source_and_a_temporary_one_does_not()
    {
        _fake.Routes["/new.xml"] = FakeFeedServer.File(Data("Feeds/ml-blog-feeds/openai_blog_2026-04_trimmed3.xml"), "application/rss+xml");
        _fake.Routes["/old.xml"] = FakeFeedServer.Redirect("/new.xml", 301);
        _fake.Routes["/for-now.xml"] = FakeFeedServer.Redirect("/new.xml", 302);
        await _app.FollowAsync("moved", _fake.Url("old.xml"));
        await _app.FollowAsync("detour", _fake.Url("for-now.xml"));

        var moved = await _app.HarvestAsync("moved");
        var detour = await _app.HarvestAsync("detour");

        Assert.True(moved.Succeeded, moved.Error);
        Assert.Equal(_fake.Url("new.xml"), moved.Source.Url);
        Assert.True(detour.Succeeded, detour.Error);
        Assert.Equal(_fake.Url("for-now.xml"), detour.Source.Url);
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM items WHERE url LIKE 'https://openai.com/%'"));
    }

    [Fact]
    public async Task A_gzipped_feed_is_read()
    {
        var bytes = await File.ReadAllBytesAsync(Data("Feeds/ml-blog-feeds/deepmind_blog_2026-04_trimmed3.xml"));
        _fake.Routes["/gz.xml"] = async context =>
        {
            Assert.Contains("gzip", context.Request.Headers.AcceptEncoding.ToString(), StringComparison.Ordinal);
            context.Response.ContentType = "application/rss+xml";
            context.Response.Headers.ContentEncoding = "gzip";
            using var buffer = new MemoryStream();
            await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) await gzip.WriteAsync(bytes);
            await context.Response.Body.WriteAsync(buffer.ToArray());
        };
        await _app.FollowAsync("deepmind", _fake.Url("gz.xml"));

        var result = await _app.HarvestAsync("deepmind");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(3, result.ItemsNew);
        Assert.NotNull(await _app.Get<ItemStore>().FindAsync("1", CancellationToken.None));
    }

    [Fact]
    public async Task A_charset_header_that_lies_does_not_garble_the_titles()
    {
        // KOI8-R bytes (declared KOI8-R in the document) served as UTF-8.
        _fake.Routes["/koi8.xml"] = FakeFeedServer.File(Data("Feeds/miniflux-testdata/xml/koi8r.xml"), "application/rss+xml; charset=utf-8");
        // windows-1252 bytes declared in the document, served as text/xml without a charset.
        _fake.Routes["/1252.xml"] = FakeFeedServer.Text("""
            <?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>x</title>
            <item><title>Caf&#233; society</title><link>http://example.com/cafe</link></item></channel></rss>
            """, "text/xml");
        await _app.FollowAsync("koi8", _fake.Url("koi8.xml"));

        var result = await _app.HarvestAsync("koi8");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2, result.ItemsNew);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM items WHERE title = 'Первая новость'"));
    }

    [Fact]
    public async Task A_50_megabyte_body_is_refused_and_other_sources_go_on()
    {
        _fake.Routes["/huge.xml"] = async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync("<rss version=\"2.0\"><channel><title>huge</title>", context.RequestAborted);
            var chunk = System.Text.Encoding.ASCII.GetBytes(new string('x', 1 << 20));
            try
            {
                for (var i = 0; i < 50; i++) await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // the client stopped reading at its limit
            }
        };
        _fake.Routes["/small.xml"] = FakeFeedServer.File(Data("Feeds/ml-blog-feeds/huggingface_blog_2026-04_trimmed3.xml"), "application/rss+xml");
        await _app.FollowAsync("huge", _fake.Url("huge.xml"));
        await _app.FollowAsync("small", _fake.Url("small.xml"));

        var huge = await _app.HarvestAsync("huge");
        var small = await _app.HarvestAsync("small");

        Assert.False(huge.Succeeded);
        Assert.Contains("larger than", huge.Error, StringComparison.Ordinal);
        Assert.Equal(1, huge.Source.ConsecutiveFailures);
        Assert.Equal(huge.Error, huge.Source.LastError);
        Assert.True(small.Succeeded, small.Error);
        Assert.Equal(3, small.ItemsNew);
    }

    [Fact]
    public async Task A_body_slower_than_the_timeout_fails_the_run_with_a_clear_error()
    {
        var bytes = await File.ReadAllBytesAsync(Data("Feeds/ml-blog-feeds/openai_blog_2026-04_trimmed3.xml"));
        _fake.Routes["/slow.xml"] = async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await context.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
                await context.Response.Body.WriteAsync(bytes.AsMemory(bytes.Length / 2));
            }
            catch (OperationCanceledException)
            {
                // the client gave up, as it should
            }
        };
        await _app.FollowAsync("slow", _fake.Url("slow.xml"));

        var result = await _app.HarvestAsync("slow");

        Assert.False(result.Succeeded);
        Assert.Contains("no complete answer within 2 s", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM items"));
    }

    [Fact]
    public async Task A_feed_that_keeps_failing_is_marked_failing_and_stays_listed()
    {
        _fake.Routes["/broken.xml"] = FakeFeedServer.Text("<html><body>Moved to a new blog platform</body></html>", "text/html");
        await _app.FollowAsync("broken", _fake.Url("broken.xml"));
        var failingAfter = _app.Get<IOptions<FeedOptions>>().Value.FailingAfterFailures;

        for (var i = 0; i < failingAfter; i++)
        {
            var result = await _app.HarvestAsync("broken");
            Assert.False(result.Succeeded);
            Assert.Contains("not a feed", result.Error, StringComparison.Ordinal);
        }

        var listed = Assert.Single(await _app.Get<FeedSources>().ListAsync(CancellationToken.None), s => s.Name == "broken");
        Assert.True(_app.Get<IOptions<FeedOptions>>().Value.IsFailing(listed));
        using var stdout = new StringWriter();
        Assert.Equal(Cli.Ok, await Cli.RunAsync(["--data-dir", _app.Data.Path, "source", "list"], stdout, new StringWriter()));
        Assert.Contains("broken\tFAILING", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("not a feed", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ranger_post_is_linked_to_radam_and_lookahead_and_the_missing_paper_is_fetched_from_arxiv()
    {
        // RAdam is already stored (as an arXiv harvest would have left it); LookAhead is not.
        _app.Get<ItemStore>().Upsert([new ItemRecord
        {
            Key = "arxiv:1908.03265", Kind = ItemKind.Paper, ArxivId = "1908.03265", Version = 1,
            Title = "On the Variance of the Adaptive Learning Rate and Beyond",
            Authors = ["Liyuan Liu", "Haoming Jiang", "Pengcheng He", "Weizhu Chen", "Xiaodong Liu", "Jianfeng Gao", "Jiawei Han"],
            Categories = ["cs.LG", "cs.CL", "stat.ML"], Source = "arxiv-oai", Published = new DateTimeOffset(2019, 8, 8, 17, 59, 8, TimeSpan.Zero),
            Url = "https://arxiv.org/abs/1908.03265",
        }]);
        _fake.Routes["/api/query"] = FakeFeedServer.File(Data("Feeds/ranger/arxiv-api-lookahead.xml"), "application/atom+xml");
        _fake.Routes["/feed/@lessw"] = FakeFeedServer.File(Data("Feeds/ranger/medium-lessw.xml"), "text/xml; charset=UTF-8");
        _fake.Routes["/tds/feed"] = FakeFeedServer.File(Data("Feeds/ranger/towardsdatascience.xml"), "application/atom+xml");
        await _app.FollowAsync("medium-lessw", _fake.Url("feed/@lessw"));
        await _app.FollowAsync("towards-data-science", _fake.Url("tds/feed"));

        var medium = await _app.HarvestAsync("medium-lessw");
        var tds = await _app.HarvestAsync("towards-data-science");

        Assert.True(medium.Succeeded, medium.Error);
        Assert.True(tds.Succeeded, tds.Error);
        Assert.Equal("?id_list=1907.08610&start=0&max_results=1", Assert.Single(_fake.RequestsTo("/api/query")).Query);
        const string postUrl = "https://medium.com/@lessw/new-deep-learning-optimizer-ranger-synergistic-combination-of-radam-lookahead-for-the-best-of-2dc83f79a48d";
        // One item for the post, though it came from two feeds with different tracking parameters.
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM items WHERE item_key = @postUrl", new { postUrl }));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM items WHERE kind = 'post'"));
        var lookahead = await ItemAsync("1907.08610");
        Assert.Equal("Lookahead Optimizer: k steps forward, 1 step back", lookahead!.Title);
        Assert.Equal(["Michael R. Zhang", "James Lucas", "Geoffrey Hinton", "Jimmy Ba"], lookahead.AuthorList);

        var links = _app.Get<ItemLinkStore>();
        var postId = await CountAsync("SELECT id FROM items WHERE item_key = @postUrl", new { postUrl });
        var post = (await ItemAsync(postId.ToString(System.Globalization.CultureInfo.InvariantCulture)))!;
        var (discusses, notStored) = await links.DiscussesAsync(post, CancellationToken.None);
        Assert.Equal(["1907.08610", "1908.03265"], discusses.Select(p => p.ArxivId).Order(StringComparer.Ordinal));
        Assert.Empty(notStored);
        Assert.Equal(postId, Assert.Single(await links.DiscussedInAsync((await ItemAsync("1908.03265"))!, CancellationToken.None)).Id);

        // The pages and the search results show it.
        var client = _app.CreateClient();
        var paperPage = await client.GetStringAsync("/items/1907.08610");
        Assert.Contains("Discussed in", paperPage, StringComparison.Ordinal);
        Assert.Contains("Ranger", paperPage, StringComparison.Ordinal);
        var postPage = await client.GetStringAsync($"/items/{postId}");
        Assert.Contains("Discusses", postPage, StringComparison.Ordinal);
        Assert.Contains("On the Variance of the Adaptive Learning Rate and Beyond", postPage, StringComparison.Ordinal);
        Assert.Contains("Same story elsewhere", postPage, StringComparison.Ordinal);
        Assert.DoesNotContain("medium.track()", postPage, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror", postPage, StringComparison.Ordinal);
        // A relative link in the body resolves against the feed's address, as feedparser does.
        Assert.Contains($"href=\"{_fake.Url("@lessw/ranger")}\"", postPage, StringComparison.Ordinal);
        using var search = JsonDocument.Parse(await client.GetStringAsync("/api/search?q=ranger+lookahead&kind=post"));
        var hit = search.RootElement.GetProperty("items").EnumerateArray().First(i => i.GetProperty("id").GetString() == postId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, hit.GetProperty("discussion").GetInt32());
        using var papers = JsonDocument.Parse(await client.GetStringAsync("/api/search?q=lookahead+optimizer&kind=paper"));
        Assert.Equal(1, papers.RootElement.GetProperty("items")[0].GetProperty("discussion").GetInt32());
        // The search page says so beside each result.
        Assert.Contains("discusses 2 papers", await client.GetStringAsync("/?q=ranger+lookahead&kind=post"), StringComparison.Ordinal);
        Assert.Contains("discussed in 1 post", await client.GetStringAsync("/?q=lookahead+optimizer&kind=paper"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Near_identical_titles_from_different_sites_on_the_same_day_are_one_story()
    {
        _fake.Routes["/api/query"] = FakeFeedServer.File(Data("Feeds/ranger/arxiv-api-lookahead.xml"), "application/atom+xml");
        _fake.Routes["/feed/@lessw"] = FakeFeedServer.File(Data("Feeds/ranger/medium-lessw.xml"), "application/rss+xml");
        _fake.Routes["/tds/feed"] = FakeFeedServer.File(Data("Feeds/ranger/towardsdatascience.xml"), "application/atom+xml");
        await _app.FollowAsync("medium-lessw", _fake.Url("feed/@lessw"));
        await _app.FollowAsync("towards-data-science", _fake.Url("tds/feed"));
        await _app.HarvestAsync("medium-lessw");
        await _app.HarvestAsync("towards-data-science");

        var tdsPost = (await ItemAsync((await CountAsync("SELECT id FROM items WHERE url LIKE 'https://towardsdatascience.com/%'")).ToString(System.Globalization.CultureInfo.InvariantCulture)))!;
        var same = Assert.Single(await _app.Get<ItemLinkStore>().SameStoryAsync(tdsPost, CancellationToken.None));
        Assert.StartsWith("https://medium.com/@lessw/", same.Url, StringComparison.Ordinal);
        Assert.False(StoryTitles.AreSame("Ranger: a new optimizer", "Lookahead: a new optimizer"));
    }

    [Fact]
    public async Task Papers_are_fetched_by_id_from_a_recorded_arxiv_answer_and_a_paper_arxiv_does_not_know_stays_a_link()
    {
        _fake.Routes["/api/query"] = FakeFeedServer.File(Data("Feeds/ranger/arxiv-api-id_0808.05394_1707.08567.xml"), "application/atom+xml");
        _fake.Routes["/notes.json"] = FakeFeedServer.Text("""
            {"version": "https://jsonfeed.org/version/1.1", "title": "Reading notes", "home_page_url": "https://notes.example.org/",
             "items": [{"id": "1", "url": "https://notes.example.org/aew10", "title": "Workshop notes",
                        "content_html": "<p>Proceedings: arXiv:1707.08567; compare 0808.05394 (arXiv:0808.05394).</p>",
                        "date_published": "2026-07-01T10:00:00+02:00", "authors": [{"name": "A. Reader"}]}]}
            """, "application/feed+json");
        await _app.FollowAsync("notes", _fake.Url("notes.json"));

        var result = await _app.HarvestAsync("notes");

        Assert.True(result.Succeeded, result.Error);
        var paper = await ItemAsync("1707.08567");
        Assert.Equal("Proceedings of Workshop AEW10: Concepts in Information Theory and Communications", paper!.Title);
        var post = (await ItemAsync((await CountAsync("SELECT id FROM items WHERE kind = 'post'")).ToString(System.Globalization.CultureInfo.InvariantCulture)))!;
        Assert.Equal("2026-07-01T08:00:00Z", post.Published);
        var (stored, notStored) = await _app.Get<ItemLinkStore>().DiscussesAsync(post, CancellationToken.None);
        Assert.Equal("1707.08567", Assert.Single(stored).ArxivId);
        Assert.Equal("arxiv:0808.05394", Assert.Single(notStored));
    }

    [Fact]
    public async Task A_site_is_followed_through_the_feed_its_page_announces_or_at_a_usual_path()
    {
        _fake.Routes["/blog/smollm"] = FakeFeedServer.File(Data("Html/ml-blog-html/huggingface_blog_smollm.html"), "text/html; charset=utf-8");
        _fake.Routes["/blog/feed.xml"] = FakeFeedServer.File(Data("Feeds/ml-blog-feeds/huggingface_blog_2026-04_trimmed3.xml"), "application/xml");
        _fake.Routes["/posts/2017-08-20-gan/"] = FakeFeedServer.File(Data("Html/ml-blog-html/lilianweng_post_2017-08-20-gan.html"), "text/html; charset=utf-8");
        _fake.Routes["/index.xml"] = FakeFeedServer.File(Data("Feeds/ml-blog-feeds/lilianweng_index.xml"), "application/rss+xml");

        var hf = await _app.AddAsync(_fake.Url("blog/smollm"));
        var lilian = await _app.AddAsync(_fake.Url("posts/2017-08-20-gan/"));
        var again = await _app.AddAsync(_fake.Url("index.xml"));

        Assert.Equal(_fake.Url("blog/feed.xml"), hf.Source.Url);
        Assert.Equal("announced by the page", hf.How);
        Assert.Equal("hugging-face-blog", hf.Source.Name);
        Assert.Equal(SourceKind.Feed, hf.Source.Kind);
        Assert.Equal(_fake.Url("index.xml"), lilian.Source.Url);
        Assert.Equal("found at a usual path", lilian.How);
        Assert.True(again.AlreadyFollowed);
        var harvest = await _app.HarvestAsync(lilian.Source.Name);
        Assert.Equal(53, harvest.ItemsNew);
    }

    [Fact]
    public async Task The_cli_refuses_a_private_address_and_exports_and_imports_opml()
    {
        _fake.Routes["/feed.xml"] = FakeFeedServer.File(Data("Feeds/ml-blog-feeds/bair_blog_2026-04_trimmed3.xml"), "application/rss+xml");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        // The CLI runs with the shipped configuration: private addresses are not fetched.
        Assert.Equal(Cli.Usage, await Cli.RunAsync(["--data-dir", _app.Data.Path, "source", "add", _fake.Url("feed.xml")], stdout, stderr));
        Assert.Contains("loopback, private or link-local", stderr.ToString(), StringComparison.Ordinal);
        Assert.Empty(_fake.Requests);

        await _app.FollowAsync("bair", _fake.Url("feed.xml"));
        var opmlFile = Path.Combine(_app.Data.Path, "sources.opml");
        Assert.Equal(Cli.Ok, await Cli.RunAsync(["--data-dir", _app.Data.Path, "source", "export", opmlFile], stdout, stderr));
        var exported = Opml.Read(await File.ReadAllTextAsync(opmlFile), out var error);
        Assert.Null(error);
        Assert.Contains(exported, f => f.XmlUrl == _fake.Url("feed.xml") && f.Title == "bair" && f.Category == SourceKind.Feed);

        var list = Path.Combine(_app.Data.Path, "more.opml");
        await File.WriteAllTextAsync(list, Opml.Write(
            [new(_fake.Url("feed.xml"), "BAIR again", null, null), new("http://93.184.216.34/feed.xml", "Other", null, "Blogs"), new("ftp://example.com/x", "Bad", null, null)],
            "mine", DateTimeOffset.UnixEpoch));
        using var importOut = new StringWriter();
        Assert.Equal(Cli.Partial, await Cli.RunAsync(["--data-dir", _app.Data.Path, "source", "import", list], importOut, stderr));
        Assert.Contains("1 feeds added, 1 already followed, 1 refused.", importOut.ToString(), StringComparison.Ordinal);
        Assert.Contains("'ftp://example.com/x' is not an http(s) URL", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal("http://93.184.216.34/feed.xml", (await _app.Get<SourceStore>().FindAsync("other", CancellationToken.None))?.Url);
    }

    [Fact]
    public async Task A_post_without_a_summary_gets_one_from_its_page_metadata()
    {
        _fake.Routes["/links.xml"] = async context => await FakeFeedServer.Text($"""
            <rss version="2.0"><channel><title>Link blog</title>
            <item><title>From GAN to WGAN</title><link>{_fake.Url("posts/2017-08-20-gan/")}</link></item>
            <item><title>Gone</title><link>{_fake.Url("posts/gone/")}</link></item>
            </channel></rss>
            """, "application/rss+xml")(context);
        _fake.Routes["/posts/2017-08-20-gan/"] = FakeFeedServer.File(Data("Html/ml-blog-html/lilianweng_post_2017-08-20-gan.html"), "text/html; charset=utf-8");
        await _app.StopAsync();
        _app = await FeedTestApp.StartAsync(_fake, new Dictionary<string, string> { ["Feeds:MaxPageFetchesPerRun"] = "10" });
        await _app.FollowAsync("links", _fake.Url("links.xml"));

        var result = await _app.HarvestAsync("links");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2, result.ItemsNew);
        var gan = (await ItemAsync((await CountAsync("SELECT id FROM items WHERE title = 'From GAN to WGAN'")).ToString(System.Globalization.CultureInfo.InvariantCulture)))!;
        Assert.Equal(["Lilian Weng"], gan.AuthorList);
        Assert.Equal("2017-08-20T00:00:00Z", gan.Published);
        Assert.True(gan.Summary.Length > 40, gan.Summary);
        var gone = (await ItemAsync((await CountAsync("SELECT id FROM items WHERE title = 'Gone'")).ToString(System.Globalization.CultureInfo.InvariantCulture)))!;
        Assert.Equal("", gone.Summary);
        // Pages are read once, when the post is new.
        await _app.HarvestAsync("links");
        Assert.Single(_fake.RequestsTo("/posts/2017-08-20-gan/"));
    }

    [Fact]
    public async Task A_scheduled_run_before_the_adaptive_due_time_does_not_fetch()
    {
        _fake.Routes["/lilian.xml"] = FakeFeedServer.File(Data("Feeds/ml-blog-feeds/lilianweng_index.xml"), "application/rss+xml");
        await _app.FollowAsync("lilian", _fake.Url("lilian.xml"));

        var first = await _app.HarvestAsync("lilian", RunTrigger.Schedule);
        var second = await _app.HarvestAsync("lilian", RunTrigger.Schedule);
        var manual = await _app.HarvestAsync("lilian", RunTrigger.Manual);

        Assert.True(first.Succeeded && manual.Succeeded);
        Assert.Equal(RunStatus.Skipped, second.Status);
        Assert.Equal(2, _fake.RequestsTo("/lilian.xml").Count());
        // The skipped tick leaves no trace in the run history: organizers see two runs, both real.
        var runs = await _app.Get<JobRunStore>().RecentAsync(first.Source.JobName, 10, CancellationToken.None);
        Assert.Equal([RunTrigger.Manual, RunTrigger.Schedule], runs.Select(r => r.TriggerKind));
        var cursor = FeedCursor.Read(second.Source.Cursor);
        var options = _app.Get<IOptions<FeedOptions>>().Value;
        Assert.InRange(cursor.IntervalMinutes, options.MinIntervalMinutes, options.MaxIntervalMinutes);
    }
}

/// <summary>User-given URLs when private addresses are not allowed (production's configuration).</summary>
public sealed class FeedUrlGuardTests : IAsyncLifetime
{
    private FakeFeedServer _fake = null!;
    private FeedTestApp _app = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeFeedServer.StartAsync();
        _app = await FeedTestApp.StartAsync(_fake, new Dictionary<string, string> { ["Harvesting:AllowPrivateAddresses"] = "false" });
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _fake.DisposeAsync();
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/feed.xml", "loopback, private or link-local")]
    [InlineData("http://localhost:{port}/feed.xml", "loopback, private or link-local")]
    [InlineData("http://[::1]:{port}/feed.xml", "loopback, private or link-local")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "loopback, private or link-local")]
    [InlineData("http://10.0.0.7/feed", "loopback, private or link-local")]
    [InlineData("file:///etc/passwd", "not an http(s) URL")]
    [InlineData("javascript:alert(1)", "not an http(s) URL")]
    public async Task Private_and_non_http_urls_are_refused_before_anything_is_fetched(string url, string reason)
    {
        _fake.Routes["/feed.xml"] = FakeFeedServer.Text("<rss version=\"2.0\"><channel><title>t</title></channel></rss>", "application/rss+xml");
        var given = url.Replace("{port}", _fake.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var ex = await Assert.ThrowsAsync<FeedSourceException>(() => _app.AddAsync(given));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Requests);
        Assert.Empty(await _app.Get<FeedSources>().ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_stored_feed_on_a_private_address_is_refused_at_connect_time()
    {
        _fake.Routes["/feed.xml"] = FakeFeedServer.Text("<rss version=\"2.0\"><channel><title>t</title></channel></rss>", "application/rss+xml");
        await _app.FollowAsync("sneaky", _fake.Url("feed.xml"));

        var result = await _app.HarvestAsync("sneaky");

        Assert.False(result.Succeeded);
        Assert.Contains("loopback, private or link-local", result.Error, StringComparison.Ordinal);
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task Anonymous_callers_cannot_add_feeds_through_the_api()
    {
        var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.PostAsJsonAsync("/api/feeds", new { url = "https://example.com/feed" });
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect or HttpStatusCode.Forbidden, response.StatusCode.ToString());
        Assert.Empty(await _app.Get<FeedSources>().ListAsync(CancellationToken.None));
    }
}

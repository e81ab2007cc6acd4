using System.Text.RegularExpressions;
using Dapper;
using HotTopics.Harvesting;
using HotTopics.Harvesting.Arxiv;
using HotTopics.Items;
using HotTopics.Storage;
using HotTopics.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace HotTopics.Tests.Harvesting;

/// <summary>The Atom API client (id lookups, search paging) and the RSS announcements, against recorded responses.</summary>
public sealed partial class ArxivApiAndRssTests : IAsyncLifetime
{
    private FakeArxiv _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeArxiv.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static ArxivId Id(string text)
    {
        Assert.True(ArxivId.TryParse(text, out var id));
        return id;
    }

    private static string File(string name) => Path.Combine(TestFiles.Dir, "Arxiv", name);

    /// <summary>Answers id_list lookups with the recorded bodies, and unknown ids with the recorded empty feed.</summary>
    private Task ApiByIdAsync(HttpContext ctx) => ctx.Request.Query["id_list"].ToString() switch
    {
        "1707.08567" => FakeArxiv.ServeFile(ctx, File("id_1707.08567_s0_m100_6a1afebfc6a3.xml")),
        "1111.2011v2" => FakeArxiv.ServeFile(ctx, File("id_list-1111.2011v2.xml")),
        "abc" => FakeArxiv.ServeFile(ctx, File("id_abc_s0_m100_b79c8dcf6bc3.xml"), status: 400),
        _ => FakeArxiv.ServeFile(ctx, File("id_0000.0000_s0_m100_8b51d9633a68.xml")),
    };

    [Fact]
    public async Task An_id_lookup_returns_the_paper_with_authors_in_order_and_its_primary_category_first()
    {
        _fake.Api = ApiByIdAsync;
        var app = await ArxivTestApp.StartAsync(_fake);
        try
        {
            var client = app.Get<ArxivApiClient>();
            var paper = Assert.Single(await client.GetByIdsAsync([Id("1707.08567")], default));
            Assert.Equal(("arxiv:1707.08567", 1), (paper.Key, paper.Version));
            Assert.Equal("Proceedings of Workshop AEW10: Concepts in Information Theory and Communications", paper.Title);
            Assert.Equal(34, paper.Authors.Count);
            Assert.Equal(("Kees A. Schouhamer Immink", "Stan Baggen", "Hirosuke Yamamoto"), (paper.Authors[0], paper.Authors[1], paper.Authors[^1]));
            Assert.Equal(["cs.IT"], paper.Categories);
            Assert.Equal("44 pages, editors for the proceedings: Yanling Chen and A. J. Han Vinck", paper.Comment);
            Assert.Equal(new DateTimeOffset(2017, 7, 27, 8, 18, 33, TimeSpan.Zero), paper.Published);

            var older = Assert.Single(await client.GetByIdsAsync([Id("1111.2011v2")], default));
            Assert.Equal(2, older.Version);
            Assert.Equal(["cond-mat.str-el", "cond-mat.stat-mech"], older.Categories);
            Assert.Equal(("10.1103/PhysRevB.85.115117", "Phys. Rev. B 85, 115117 (2012)"), (older.Doi, older.JournalRef));
            Assert.Equal(new DateTimeOffset(2012, 4, 2, 12, 38, 54, TimeSpan.Zero), older.Updated);

            Assert.Empty(await client.GetByIdsAsync([Id("0000.0000")], default));
            Assert.Contains("id_list=1707.08567", _fake.Requests.First().Query, StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task The_APIs_error_feed_becomes_a_clear_error()
    {
        _fake.Api = ApiByIdAsync;
        var app = await ArxivTestApp.StartAsync(_fake);
        try
        {
            var client = app.Get<ArxivApiClient>();
            var ex = await Assert.ThrowsAsync<ArxivApiException>(() => client.GetByIdsAsync([new ArxivId("abc", null)], default));
            Assert.EndsWith("incorrect id format for abc", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [GeneratedRegex("""<category term="([^"]+)" """)]
    private static partial Regex CategoryTerm();

    [GeneratedRegex(@"<id>http://arxiv.org/abs/([^<]+?)(v\d+)?</id>")]
    private static partial Regex EntryId();

    [Fact]
    public async Task A_backfill_pages_through_search_results_by_startIndex_until_totalResults()
    {
        // The recorded "testing" search, six pages of ten; after them the recorded empty answer ends the list.
        var pages = new Dictionary<string, string>
        {
            ["0"] = "q_testing_s0_m10_bc5a6c384fe9.xml", ["10"] = "q_testing_s10_m10_34e56e15aaac.xml", ["20"] = "q_testing_s20_m10_348a237fecab.xml",
            ["30"] = "q_testing_s30_m10_f2e39f0143dc.xml", ["40"] = "q_testing_s40_m10_96dd32eb854c.xml", ["50"] = "q_testing_s50_m10_7f488ab8598c.xml",
        };
        _fake.Api = ctx => FakeArxiv.ServeFile(ctx, File(pages.GetValueOrDefault(ctx.Request.Query["start"].ToString(), "id_0000.0000_s0_m100_8b51d9633a68.xml")));
        var app = await ArxivTestApp.StartAsync(_fake, new Dictionary<string, string> { ["Arxiv:ApiPageSize"] = "10" });
        try
        {
            var result = await app.HarvestAsync("arxiv-api", new HarvestWindow(new DateOnly(2026, 1, 1), new DateOnly(2026, 4, 12)));
            Assert.True(result.Succeeded, result.Error);
            Assert.Equal(7, result.Pages);
            Assert.Equal(["0", "10", "20", "30", "40", "50", "60"], _fake.Requests.Select(r => System.Web.HttpUtility.ParseQueryString(r.Query)["start"]));
            var query = System.Web.HttpUtility.ParseQueryString(_fake.Requests.First().Query)["search_query"];
            Assert.Equal("(cat:cs.LG OR cat:cs.CL OR cat:cs.CV OR cat:cs.AI OR cat:cs.NE OR cat:cs.IR OR cat:cs.SD OR cat:eess.AS OR cat:stat.ML) AND submittedDate:[202601010000 TO 202604122359]", query);

            // Oracle read from the recorded XML: the entries in a followed category.
            string[] followed = ["cs.LG", "cs.CL", "cs.CV", "cs.AI", "cs.NE", "cs.IR", "cs.SD", "eess.AS", "stat.ML"];
            var expected = pages.Values.SelectMany(f => System.IO.File.ReadAllText(File(f)).Split("<entry>").Skip(1))
                .Where(e => CategoryTerm().Matches(e).Any(m => followed.Contains(m.Groups[1].Value)))
                .Select(e => EntryId().Match(e).Groups[1].Value).ToHashSet();
            using var connection = app.Get<Database>().Open();
            var stored = connection.Query<string>("SELECT arxiv_id FROM items").ToHashSet();
            Assert.Equal(22, expected.Count);
            Assert.Equal(expected, stored);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static byte[] Replaced(string file)
    {
        // The recorded cs.LG announcement of 2604.21956v1, as arXiv announces its second version the next day.
        var xml = System.IO.File.ReadAllText(File(file))
            .Replace("oai:arXiv.org:2604.21956v1", "oai:arXiv.org:2604.21956v2", StringComparison.Ordinal)
            .Replace("arXiv:2604.21956v1 Announce Type: new", "arXiv:2604.21956v2 Announce Type: replace", StringComparison.Ordinal);
        var at = xml.IndexOf("2604.21956v2</guid>", StringComparison.Ordinal);
        var type = xml.IndexOf("<arxiv:announce_type>new", at, StringComparison.Ordinal);
        xml = string.Concat(xml.AsSpan(0, type), "<arxiv:announce_type>replace", xml.AsSpan(type + "<arxiv:announce_type>new".Length));
        return System.Text.Encoding.UTF8.GetBytes(xml.Replace("Mon, 27 Apr 2026 00:00:00 -0400", "Tue, 28 Apr 2026 00:00:00 -0400", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RSS_announcements_are_stored_a_304_is_nothing_new_and_a_replace_bumps_the_version()
    {
        var feed = "rss.arxiv.org_cs.LG_2026-04-27_trimmed3.xml";
        byte[] body = await System.IO.File.ReadAllBytesAsync(File(feed));
        var etag = "\"day1\"";
        _fake.Rss = async ctx =>
        {
            if (ctx.Request.Headers.IfNoneMatch == etag)
            {
                ctx.Response.StatusCode = 304;
                return;
            }
            ctx.Response.Headers.ETag = etag;
            ctx.Response.ContentType = "application/rss+xml; charset=utf-8";
            await ctx.Response.Body.WriteAsync(body);
        };
        var app = await ArxivTestApp.StartAsync(_fake);
        try
        {
            var first = await app.HarvestAsync("arxiv-rss");
            Assert.True(first.Succeeded, first.Error);
            Assert.Equal(3, first.ItemsNew);
            Assert.EndsWith("/rss/cs.LG+cs.CL+cs.CV+cs.AI+cs.NE+cs.IR+cs.SD+eess.AS+stat.ML", _fake.Requests.Last().Path, StringComparison.Ordinal);
            var paper = (await app.Get<ItemStore>().FindAsync("2604.21952", default))!;
            Assert.Equal(["Muhammad Shafique", "Abdul Basit", "Muhammad Abdullah Hanif", "Alberto Marchisio", "Rachmad Vidya Wicaksana Putra", "Minghao Shao"], paper.AuthorList);
            Assert.Equal(["cs.LG", "cs.AI", "cs.AR", "cs.NE", "cs.RO"], paper.CategoryList);
            Assert.Equal(1, paper.Version);
            Assert.StartsWith("This work presents a multi-layered methodology", paper.Summary, StringComparison.Ordinal);
            Assert.Equal("2026-04-27T04:00:00Z", paper.Published);
            Assert.Equal("http://creativecommons.org/licenses/by/4.0/", (await app.Get<ItemStore>().FindAsync("2604.21956", default))!.License);

            var unchanged = await app.HarvestAsync("arxiv-rss");
            Assert.True(unchanged.Succeeded, unchanged.Error);
            Assert.Equal((0, 0, 0), (unchanged.ItemsNew, unchanged.ItemsUpdated, unchanged.Pages));
            Assert.Equal(etag, _fake.Requests.Last().Headers["If-None-Match"]);

            body = Replaced(feed);
            etag = "\"day2\"";
            var replaced = await app.HarvestAsync("arxiv-rss");
            Assert.True(replaced.Succeeded, replaced.Error);
            Assert.Equal((0, 1), (replaced.ItemsNew, replaced.ItemsUpdated));
            var v2 = (await app.Get<ItemStore>().FindAsync("2604.21956", default))!;
            Assert.Equal(2, v2.Version);
            Assert.Equal("2026-04-27T04:00:00Z", v2.Published);
            Assert.Equal("2026-04-28T04:00:00Z", v2.Updated);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}

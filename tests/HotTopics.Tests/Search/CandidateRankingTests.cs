using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using HotTopics.Search;
using HotTopics.Storage;
using HotTopics.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace HotTopics.Tests.Search;

/// <summary>The app with a rank budget of 100, so queries on the 403 sample papers take the candidate path a million items take.</summary>
public sealed class SmallRankBudgetApp : HotTopicsApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Search:RankBudget", "100");
    }
}

/// <summary>
/// A query matching more items than the rank budget is ranked from candidates (matches with a query word in the
/// title), put in exact bm25 order. These tests hold it to FTS5's own bm25 over every match, on the real sample.
/// </summary>
public sealed class CandidateRankingTests(SmallRankBudgetApp app) : IClassFixture<SmallRankBudgetApp>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = app.CreateClient();

    // Queries matching more than 100 of the 403 sample papers: words, a prefix, a phrase, an exclusion.
    public static TheoryData<string> BroadQueries => ["model", "learning", "data", "language", "image", "learn*", "\"language models\"", "model -survey"];

    // Those whose exact top ten all have a query word in the title (for data and image some of the ten do not).
    public static TheoryData<string> TitleAnsweredQueries => ["model", "learning", "language", "learn*", "\"language models\"", "model -survey"];

    private async Task<SearchResponse> SearchAsync(string q, string extra = "", int pageSize = 10)
    {
        var response = await _http.GetAsync($"/api/search?q={Uri.EscapeDataString(q)}&pageSize={pageSize}{extra}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SearchResponse>(Json))!;
    }

    /// <summary>What plain FTS5 says: every match ranked by bm25 (rank), with its score.</summary>
    private async Task<List<(string Id, double Score)>> ExactAsync(string q, int limit)
    {
        var parsed = QueryParser.Parse(q);
        await using var db = await app.Get<Database>().OpenAsync(CancellationToken.None);
        var rows = await db.QueryAsync<(string Id, double Rank)>(
            "SELECT i.arxiv_id, f.rank FROM items_fts f JOIN items i ON i.id = f.rowid WHERE items_fts MATCH $m ORDER BY f.rank, f.rowid DESC LIMIT $limit",
            new { m = parsed.Match, limit });
        return [.. rows.Select(r => (r.Id, -r.Rank))];
    }

    [Theory]
    [MemberData(nameof(BroadQueries))]
    public async Task A_broad_query_says_its_ranking_came_from_candidates_and_scores_are_FTS5_bm25(string q)
    {
        var result = await SearchAsync(q);
        Assert.True(result.Total > 100, $"{q} matches {result.Total}: not above the budget");
        Assert.False(result.ExactRanking);

        // Each score is exactly the bm25 FTS5 gives that paper, and the page is in that order.
        var exact = (await ExactAsync(q, result.Total)).ToDictionary(r => r.Id, r => r.Score);
        foreach (var item in result.Items) Assert.Equal(Math.Round(exact[item.Id], 4), item.Score, 6);
        Assert.Equal(result.Items.Select(i => i.Score).OrderDescending(), result.Items.Select(i => i.Score));
    }

    [Theory]
    [MemberData(nameof(TitleAnsweredQueries))]
    public async Task When_the_best_papers_have_the_words_in_their_titles_the_top_ten_is_exactly_bm25s(string q)
    {
        var exactTop = await ExactAsync(q, 10);
        var words = QueryParser.Tokenize(q.Replace("*", "", StringComparison.Ordinal).Replace("-survey", "", StringComparison.Ordinal));
        var titles = SampleCorpus.Papers.ToDictionary(p => p.Id, p => QueryParser.Tokenize(p.Title));
        // The claim holds where candidates can see the answer: every paper of the exact top ten has a query word
        // (or, for a prefix, a word starting with it) in its title.
        Assert.All(exactTop, r => Assert.Contains(titles[r.Id], t => words.Any(w => t.StartsWith(w[..Math.Min(w.Length, 5)], StringComparison.Ordinal))));

        var result = await SearchAsync(q);
        Assert.Equal(exactTop.Select(r => r.Id), result.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task Narrow_queries_and_date_sorted_queries_stay_exact()
    {
        var narrow = await SearchAsync("quantum");
        Assert.True(narrow.Total <= 100);
        Assert.True(narrow.ExactRanking);
        Assert.Equal((await ExactAsync("quantum", 10)).Select(r => r.Id), narrow.Items.Select(i => i.Id));

        var newest = await SearchAsync("model", "&sort=newest");
        Assert.True(newest.ExactRanking);
        Assert.Equal(newest.Items.Select(i => i.Published).OrderDescending(StringComparer.Ordinal), newest.Items.Select(i => i.Published));
    }

    [Fact]
    public async Task Pages_of_a_candidate_ranking_do_not_repeat_or_skip()
    {
        var first = await SearchAsync("model", "&page=1");
        var second = await SearchAsync("model", "&page=2");
        var both = await SearchAsync("model", "", pageSize: 20);
        Assert.Equal(both.Items.Select(i => i.Id), first.Items.Concat(second.Items).Select(i => i.Id).Take(20));
        Assert.Equal(first.Total, both.Total);
    }
}

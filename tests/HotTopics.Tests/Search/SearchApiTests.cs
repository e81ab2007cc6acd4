using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using HotTopics.Search;
using HotTopics.Storage;
using HotTopics.Tests.Infrastructure;
using static HotTopics.Tests.Infrastructure.SampleCorpus;

namespace HotTopics.Tests.Search;

public sealed class SearchApiTests(HotTopicsApp app) : IClassFixture<HotTopicsApp>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = app.CreateClient();

    private async Task<SearchResponse> SearchAsync(string query)
    {
        var response = await _http.GetAsync("/api/search?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SearchResponse>(Json))!;
    }

    /// <summary>Every id a query finds, following the pages.</summary>
    private async Task<HashSet<string>> AllIdsAsync(string q, string extra = "")
    {
        var ids = new HashSet<string>();
        for (var page = 1; ; page++)
        {
            var r = await SearchAsync($"q={Uri.EscapeDataString(q)}&pageSize=100&page={page}{extra}");
            foreach (var item in r.Items) Assert.True(ids.Add(item.Id), $"{item.Id} appears on two pages");
            if (page * 100 >= r.Total) break;
        }
        return ids;
    }

    [Fact]
    public async Task A_word_finds_exactly_the_papers_that_contain_it()
    {
        var expected = Ids(p => Has(p.Text, @"\bquantum\b"));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, await AllIdsAsync("quantum"));
    }

    [Fact]
    public async Task A_phrase_needs_the_words_next_to_each_other()
    {
        var expected = Ids(p => Has(p.Text, @"\blarge\W+language\W+model"));
        var found = await AllIdsAsync("\"large language models\"");
        Assert.Equal(expected, found);
        // The same words anywhere find more.
        Assert.True((await AllIdsAsync("large language models")).Count > found.Count);
    }

    [Fact]
    public async Task A_prefix_matches_every_word_starting_with_it()
    {
        Assert.Equal(Ids(p => Has(p.Text, @"\bsegment\w*")), await AllIdsAsync("segment*"));
    }

    [Fact]
    public async Task OR_unites_and_minus_excludes()
    {
        Assert.Equal(Ids(p => Has(p.Text, @"\bquantum\b") || Has(p.Text, @"\blidar\b")), await AllIdsAsync("quantum OR lidar"));
        var withoutSurveys = Ids(p => Has(p.Text, @"\blarge\W+language\W+model") && !Has(p.Text, @"\bsurvey(s|ed|ing)?\b"));
        Assert.Equal(withoutSurveys, await AllIdsAsync("\"large language model\" -survey"));
        Assert.Equal(withoutSurveys, await AllIdsAsync("\"large language model\" NOT survey"));
        Assert.Equal(
            Ids(p => (Has(p.Text, @"\bquantum\b") || Has(p.Text, @"\blidar\b") || Has(p.Text, @"\bgraphs?\b")) && !Has(p.Text, @"\bsurvey(s|ed|ing)?\b")),
            await AllIdsAsync("(quantum OR lidar OR graph) -survey"));
    }

    [Fact]
    public async Task Field_filters_look_in_one_field_only()
    {
        var inTitle = Ids(p => Has(p.Title, @"\bgraphs?\b"));
        Assert.Equal(inTitle, await AllIdsAsync("title:graph"));
        Assert.True((await AllIdsAsync("graph")).Count > inTitle.Count);

        var author = Papers.SelectMany(p => p.Authors).First(a => a.Split(' ')[^1] == "Zhang");
        Assert.Equal(Ids(p => p.Authors.Any(a => Has(a, @"\bZhang\b"))), await AllIdsAsync("author:zhang"));
        Assert.Contains(Papers.First(p => p.Authors.Contains(author)).Id, await AllIdsAsync($"author:\"{author}\""));

        Assert.Equal(Ids(p => p.Categories.Contains("cs.RO")), await AllIdsAsync("category:cs.RO"));
        Assert.Equal(Ids(p => p.Categories.Contains("cs.RO")), await AllIdsAsync("", "&category=cs.RO"));
        Assert.Equal(Ids(p => Has(p.Summary, @"\bgraphs?\b")), await AllIdsAsync("abstract:graph"));
    }

    [Fact]
    public async Task Date_filters_keep_the_window_in_the_query_and_the_parameters()
    {
        var expected = Ids(p => Has(p.Text, @"\blarge\W+language\W+model") && string.CompareOrdinal(p.ListingDate, "2026-01-01") >= 0 && string.CompareOrdinal(p.ListingDate, "2026-03-01") < 0);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, await AllIdsAsync("\"large language model\" after:2026-01-01 before:2026-03-01"));
        Assert.Equal(expected, await AllIdsAsync("\"large language model\"", "&from=2026-01-01&to=2026-02-28"));
        Assert.Equal(expected, await AllIdsAsync("\"large language model\" after:2026-01 before:2026-03"));
        var all2025 = Ids(p => p.ListingDate.StartsWith("2025", StringComparison.Ordinal));
        Assert.Equal(all2025, await AllIdsAsync("after:2025 before:2026"));
    }

    [Fact]
    public async Task Relevance_puts_title_matches_first_and_newest_sorts_by_date()
    {
        var r = await SearchAsync("q=graph&pageSize=5");
        var first = Papers.Single(p => p.Id == r.Items[0].Id);
        Assert.Matches(@"(?i)\bgraphs?\b", first.Title);
        Assert.True(r.Items.Zip(r.Items.Skip(1)).All(pair => pair.First.Score >= pair.Second.Score));

        var newest = await SearchAsync("q=graph&sort=newest&pageSize=100");
        var dates = newest.Items.Select(i => i.Published).ToList();
        Assert.Equal(dates.OrderByDescending(d => d, StringComparer.Ordinal), dates);
    }

    [Fact]
    public async Task Snippets_highlight_the_matches()
    {
        var r = await SearchAsync("q=segmentation&pageSize=10");
        Assert.NotEmpty(r.Items);
        Assert.All(r.Items, i => Assert.Contains("<mark>", i.Snippet + i.TitleHtml, StringComparison.Ordinal));
        Assert.Contains(r.Items, i => i.Snippet.Contains("<mark>segmentation</mark>", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Facet_counts_equal_counts_in_SQL_over_the_whole_result_set()
    {
        var r = await SearchAsync("q=model&pageSize=5");
        Assert.True(r.Total > 100);
        using var db = app.Get<Database>().Open();
        const string matching = "SELECT rowid FROM items_fts WHERE items_fts MATCH '\"model\"'";
        Assert.Equal(db.ExecuteScalar<int>($"SELECT count(*) FROM ({matching})"), r.Total);
        foreach (var facet in r.Facets.Category)
        {
            var sql = db.ExecuteScalar<int>($"SELECT count(*) FROM items WHERE id IN ({matching}) AND (' ' || categories || ' ') LIKE '% ' || @c || ' %'", new { c = facet.Value });
            Assert.Equal(sql, facet.Count);
        }
        foreach (var facet in r.Facets.Month)
        {
            var sql = db.ExecuteScalar<int>($"SELECT count(*) FROM items WHERE id IN ({matching}) AND substr(published, 1, 7) = @m", new { m = facet.Value });
            Assert.Equal(sql, facet.Count);
        }
        Assert.Equal(r.Total, r.Facets.Month.Sum(f => f.Count));
        Assert.Equal(r.Total, Assert.Single(r.Facets.Kind).Count);
    }

    [Fact]
    public async Task Paging_is_stable_and_covers_every_result_once()
    {
        foreach (var sort in new[] { "relevance", "newest" })
        {
            var first = await SearchAsync($"q=model&sort={sort}&pageSize=7&page=3");
            var again = await SearchAsync($"q=model&sort={sort}&pageSize=7&page=3");
            Assert.Equal(first.Items.Select(i => i.Id), again.Items.Select(i => i.Id));
            var big = await SearchAsync($"q=model&sort={sort}&pageSize=21&page=1");
            Assert.Equal(big.Items.Skip(14).Select(i => i.Id), first.Items.Select(i => i.Id));
        }
        var total = (await SearchAsync("q=model")).Total;
        Assert.Equal(total, (await AllIdsAsync("model")).Count);
        var past = await SearchAsync("q=model&page=500");
        Assert.Empty(past.Items);
        Assert.Equal(total, past.Total);
    }

    [Theory]
    [InlineData("\"unclosed phrase", "never closed")]
    [InlineData("(diffusion OR flow", "never closed")]
    [InlineData("diffusion)", "no matching '('")]
    [InlineData("OR diffusion", "word on each side")]
    [InlineData("diffusion OR", "word on each side")]
    [InlineData("diffusion AND", "word on each side")]
    [InlineData("NOT", "needs a word after it")]
    [InlineData("-survey", "only excludes")]
    [InlineData("venue:neurips", "not a field")]
    [InlineData("NEAR(diffusion model)", "NEAR")]
    [InlineData("{title}: diffusion", "not part of the query syntax")]
    [InlineData("^diffusion", "not part of the query syntax")]
    [InlineData("after:yesterday", "expects a date")]
    [InlineData("after:2026-02-30", "expects a date")]
    [InlineData("after:2026-03-01 before:2026-01-01", "window is empty")]
    [InlineData("title:", "nothing after it")]
    [InlineData("a* b", "too short")]
    [InlineData("kind:tweet", "not a kind")]
    [InlineData("diffusion\u0001model", "control character")]
    public async Task Bad_queries_get_a_400_problem_with_a_message_a_person_can_act_on(string q, string message)
    {
        var response = await _http.GetAsync("/api/search?q=" + Uri.EscapeDataString(q));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(message, detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sqlite", detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fts5", detail, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("from=2026-13-01", "from must be a date")]
    [InlineData("to=tomorrow", "to must be a date")]
    [InlineData("sort=popular", "sort must be")]
    [InlineData("pageSize=1000", "pageSize must be")]
    [InlineData("page=0", "page starts at 1")]
    [InlineData("kind=tweet", "not a kind")]
    public async Task Bad_parameters_get_a_400_too(string query, string message)
    {
        var response = await _http.GetAsync("/api/search?q=model&" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(message, problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ten_kilobytes_of_text_is_refused_with_a_message()
    {
        var response = await _http.GetAsync("/api/search?q=" + new string('a', 10_240));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("the limit is 1,000", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raw_FTS5_operators_typed_as_words_are_searched_as_words()
    {
        // Lower-case "near", a stray '*' after a word, quotes inside words: all reach FTS5 quoted.
        foreach (var q in new[] { "near duplicate", "state-of-the-art", "o'neil", "c++ compiler", "AND-OR graphs" })
        {
            var response = await _http.GetAsync("/api/search?q=" + Uri.EscapeDataString(q));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task An_item_is_found_by_arxiv_id_with_or_without_version()
    {
        var paper = Papers[10];
        var item = await _http.GetFromJsonAsync<JsonElement>($"/api/items/{paper.Id}");
        Assert.Equal(paper.Title.Split().First(), item.GetProperty("title").GetString()!.Split().First());
        Assert.Equal(paper.Authors, item.GetProperty("authors").EnumerateArray().Select(a => a.GetString()!));
        Assert.Equal(paper.Categories, item.GetProperty("categories").EnumerateArray().Select(a => a.GetString()!));
        var versioned = await _http.GetFromJsonAsync<JsonElement>($"/api/items/{paper.Id}v2");
        Assert.Equal(paper.Id, versioned.GetProperty("id").GetString());
        var missing = await _http.GetAsync("/api/items/9999.99999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_reports_the_database_the_count_and_the_index()
    {
        var health = await _http.GetFromJsonAsync<JsonElement>("/healthz");
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal(Papers.Count, health.GetProperty("items").GetInt32());
        Assert.True(health.GetProperty("indexInSync").GetBoolean());
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_endpoints()
    {
        var doc = await _http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/search", paths);
        Assert.Contains(paths, p => p.StartsWith("/api/items/", StringComparison.Ordinal));
        Assert.Contains("/healthz", paths);
        var parameters = doc.GetProperty("paths").GetProperty("/api/search").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("q", parameters, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("pageSize", parameters, StringComparer.OrdinalIgnoreCase);
    }
}

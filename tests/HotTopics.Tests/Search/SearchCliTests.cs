using System.Net;
using System.Text.Json;
using HotTopics.Tests.Infrastructure;

namespace HotTopics.Tests.Search;

/// <summary>The search and reindex verbs agree with the API: same results, same messages, exit code 2 for bad queries.</summary>
public sealed class SearchCliTests(HotTopicsApp app) : IClassFixture<HotTopicsApp>
{
    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Cli.RunAsync(["--data-dir", app.Data.Path, .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Json_output_is_exactly_the_API_response()
    {
        var (code, output, _) = await RunAsync("search", "segmentation -survey", "--json", "--limit", "5", "--category", "cs.CV");
        Assert.Equal(Cli.Ok, code);
        var api = await app.CreateClient().GetStringAsync("/api/search?q=segmentation%20-survey&pageSize=5&category=cs.CV");
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(api).RootElement, JsonDocument.Parse(output).RootElement), $"CLI: {output}\nAPI: {api}");
    }

    [Fact]
    public async Task Plain_output_lists_ranked_results_with_id_title_score_and_snippet()
    {
        var (code, output, _) = await RunAsync("search", "segmentation", "--limit", "3");
        Assert.Equal(Cli.Ok, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^\d+ results", lines[0]);
        Assert.Matches(@"^\s+1\. \d{4}\.\d{4,5}  .+  \(score \d+\.\d\d, \d{4}-\d\d-\d\d\)", lines[1]);
        Assert.Contains("[segmentation]", output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("\"open phrase")]
    [InlineData("NEAR(a b)")]
    [InlineData("foo:bar")]
    [InlineData("after:2026-99-01")]
    public async Task A_bad_query_exits_2_with_the_same_message_as_the_API(string query)
    {
        var (code, _, errors) = await RunAsync("search", query);
        Assert.Equal(Cli.Usage, code);
        var response = await app.CreateClient().GetAsync("/api/search?q=" + Uri.EscapeDataString(query));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Equal("error: " + detail, errors.Trim());
    }

    [Fact]
    public async Task Help_describes_every_verb()
    {
        var (code, output, _) = await RunAsync("--help");
        Assert.Equal(Cli.Ok, code);
        foreach (var verb in new[] { "import", "search", "reindex", "migrate" }) Assert.Contains("  " + verb, output, StringComparison.Ordinal);
        var (code2, searchHelp, _) = await RunAsync("search", "--help");
        Assert.Equal(Cli.Ok, code2);
        Assert.Contains("--json", searchHelp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reindex_rebuilds_an_index_that_answers_the_same()
    {
        var before = await RunAsync("search", "graph OR lidar", "--json", "--limit", "50");
        var (code, output, _) = await RunAsync("reindex");
        Assert.Equal(Cli.Ok, code);
        Assert.Contains($"reindexed {SampleCorpus.Papers.Count} items", output, StringComparison.Ordinal);
        var after = await RunAsync("search", "graph OR lidar", "--json", "--limit", "50");
        Assert.Equal(before.Out, after.Out);
    }
}

using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotTopics.Accounts;
using HotTopics.Classification;
using HotTopics.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HotTopics.Tests.Classification;

/// <summary>The sample papers with a topic model trained once through the service, as the retraining job does.</summary>
public sealed class TopicsApp : HotTopicsApp
{
    private Task<RetrainOutcome>? _trained;
    private readonly Lock _gate = new();

    public Task<RetrainOutcome> TrainedAsync()
    {
        lock (_gate) return _trained ??= Get<TopicService>().RetrainAsync("test", CancellationToken.None);
    }
}

/// <summary>Topics in the service: tagging, the item page with explanations, organizers' corrections, search, review queue, history.</summary>
public sealed partial class TopicServiceTests(TopicsApp app) : IClassFixture<TopicsApp>
{
    private const string Password = "correct horse battery staple";

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private async Task<HttpClient> OrganizerAsync(string email)
    {
        await app.Get<AccountStore>().SaveAsync(email, "Organizer", Roles.Organizer, Password, default);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenPattern().Match(await client.GetStringAsync("/login")).Groups[1].Value;
        var signIn = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = email, ["Password"] = Password, ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    private static SampleCorpus.Paper VisionPaper(int skip = 0) =>
        SampleCorpus.Papers.Where(p => p.Categories.SequenceEqual(["cs.CV"])).Skip(skip).First();

    private async Task<JsonElement> SearchAsync(string query, string? day = null)
    {
        var json = await app.CreateClient().GetStringAsync("/api/search?pageSize=100&q=" + Uri.EscapeDataString(query) + (day is null ? "" : $"&from={day}&to={day}"));
        return JsonDocument.Parse(json).RootElement;
    }

    /// <summary>Is the paper among the results of the query on its own day (one page holds them all)?</summary>
    private async Task<bool> FindsAsync(string query, SampleCorpus.Paper paper) =>
        (await SearchAsync(query, paper.ListingDate)).GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetString() == paper.Id);

    [Fact]
    public async Task Retraining_promotes_a_first_model_tags_every_item_and_keeps_the_history()
    {
        var first = await app.TrainedAsync();
        Assert.True(first.Promoted, first.Message);
        var store = app.Get<TopicStore>();
        var inService = await store.PromotedAsync(default);
        Assert.NotNull(inService);
        Assert.Empty(await store.UntaggedAsync(inService.Id, 10, default));
        Assert.True(File.Exists(Path.Combine(app.Get<TopicService>().ModelDir, inService.File)));

        // The same items give the same model: not worse, so it is promoted, measured beside the one it replaces.
        var second = await app.Get<TopicService>().RetrainAsync("test again", default);
        Assert.True(second.Promoted, second.Message);
        Assert.Equal(inService.MicroF1, second.Record!.PreviousMicroF1!.Value, 9);
        Assert.Equal(inService.MacroF1, second.Record.PreviousMacroF1!.Value, 9);
        var history = await store.HistoryAsync(10, default);
        Assert.Contains(history, h => h.Id == inService.Id && h.Status == "retired");
        Assert.Equal("promoted", history[0].Status);
        Assert.Equal(SampleCorpus.Papers.Count / 10, history[0].EvaluatedOn);
    }

    [Fact]
    public async Task The_item_page_shows_topics_with_confidence_and_the_terms_that_pushed_them()
    {
        await app.TrainedAsync();
        var paper = VisionPaper();
        var html = await app.CreateClient().GetStringAsync("/items/" + paper.Id);
        var topic = Regex.Match(html, "<li class=\"topic\">\\s*<a href=\"/\\?q=topic:vision\">Vision</a>\\s*<span class=\"confidence\">(\\d+)%</span>.*?<span class=\"terms\">because of: ([^<]+)</span>", RegexOptions.Singleline);
        Assert.True(topic.Success, "the vision paper shows the Vision topic with its confidence and terms");
        var terms = System.Net.WebUtility.HtmlDecode(topic.Groups[2].Value).Split(", ");
        var words = " " + string.Join(' ', TextNormalizer.Tokenize(paper.Title + ". " + paper.Summary)) + " ";
        Assert.Contains(terms, t => words.Contains(" " + t + " ", StringComparison.Ordinal));
        Assert.DoesNotContain("No model yet", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Add a topic", html, StringComparison.Ordinal); // visitors do not get the organizer's form
    }

    [Fact]
    public async Task An_organizer_adds_and_removes_topics_and_the_page_and_search_follow()
    {
        await app.TrainedAsync();
        var paper = VisionPaper(skip: 3);
        Assert.True(await FindsAsync("topic:vision", paper));
        var client = await OrganizerAsync("topics-org@example.org");
        var page = await client.GetStringAsync("/items/" + paper.Id);
        Assert.Contains("Add a topic", page, StringComparison.Ordinal);
        var token = TokenPattern().Match(page).Groups[1].Value;

        async Task<HttpResponseMessage> LabelAsync(string topic, bool present) => await client.PostAsync("/admin/topics?handler=Label", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["item"] = paper.Id, ["topic"] = topic, ["present"] = present ? "true" : "false", ["returnUrl"] = "/items/" + paper.Id, ["__RequestVerificationToken"] = token,
        }));

        var added = await LabelAsync("robotics", true);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal("/items/" + paper.Id, added.Headers.Location!.OriginalString);
        var removed = await LabelAsync("vision", false);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);

        page = await client.GetStringAsync("/items/" + paper.Id);
        Assert.Matches("(?s)q=topic:robotics\">Robotics</a>.*?confirmed by an organizer", page);
        Assert.Contains("Vision removed by an organizer.", page, StringComparison.Ordinal);
        Assert.True(await FindsAsync("topic:robotics", paper));
        Assert.False(await FindsAsync("topic:vision", paper));

        // No token, no change; an unknown topic is refused.
        var forged = await client.PostAsync("/admin/topics?handler=Label", new FormUrlEncodedContent(new Dictionary<string, string> { ["item"] = paper.Id, ["topic"] = "vision", ["present"] = "true" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await LabelAsync("astrology", true)).StatusCode);
        Assert.Contains("Vision removed by an organizer.", await client.GetStringAsync("/items/" + paper.Id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Visitors_cannot_label_items()
    {
        await app.TrainedAsync();
        var visitor = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await visitor.PostAsync("/admin/topics?handler=Label", new FormUrlEncodedContent(new Dictionary<string, string> { ["item"] = VisionPaper().Id, ["topic"] = "robotics", ["present"] = "true" }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_filters_by_topic_and_counts_topics_in_a_facet()
    {
        await app.TrainedAsync();
        var all = await SearchAsync("");
        var facet = all.GetProperty("facets").GetProperty("topic").EnumerateArray().ToDictionary(f => f.GetProperty("value").GetString()!, f => f.GetProperty("count").GetInt32());
        Assert.True(facet.GetValueOrDefault("vision") > 100, "most sample papers are vision papers");
        Assert.True(facet.GetValueOrDefault("llm-nlp") > 50);
        var vision = await SearchAsync("topic:vision");
        Assert.Equal(facet["vision"], vision.GetProperty("total").GetInt32());
        Assert.Equal(vision.GetProperty("total").GetInt32(), vision.GetProperty("facets").GetProperty("topic").EnumerateArray().First(f => f.GetProperty("value").GetString() == "vision").GetProperty("count").GetInt32());
        var both = await SearchAsync("topic:vision topic:llm-nlp");
        Assert.True(both.GetProperty("total").GetInt32() < Math.Min(facet["vision"], facet["llm-nlp"]));

        var bad = await app.CreateClient().GetAsync("/api/search?q=" + Uri.EscapeDataString("topic:astrology"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'astrology' is not a topic. Known topics: llm-nlp, vision", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_review_queue_puts_the_least_certain_first_and_forgets_what_an_organizer_decided()
    {
        await app.TrainedAsync();
        var store = app.Get<TopicStore>();
        var queue = await store.ReviewQueueAsync(20, default);
        Assert.Equal(20, queue.Count);
        Assert.Equal(queue.Select(c => Math.Abs(c.Margin)).Order(), queue.Select(c => Math.Abs(c.Margin)));
        await app.Get<TopicService>().LabelAsync(queue[0].ItemId, queue[0].Topic, true, "test", default);
        Assert.DoesNotContain(await store.ReviewQueueAsync(20, default), c => c.ItemId == queue[0].ItemId && c.Topic == queue[0].Topic);

        var client = await OrganizerAsync("queue-org@example.org");
        var html = await client.GetStringAsync("/admin/topics");
        Assert.Contains("Review queue", html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(queue[1].Title), html, StringComparison.Ordinal);
        Assert.Contains("promoted", html, StringComparison.Ordinal);
    }
}

/// <summary>An empty database, no model: the service runs and says so where topics would be.</summary>
public sealed class NoTopicModelTests(HotTopicsApp app) : IClassFixture<HotTopicsApp>
{
    [Fact]
    public async Task Without_a_model_the_item_page_says_so_and_search_still_works()
    {
        var paper = SampleCorpus.Papers[0];
        var html = await app.CreateClient().GetStringAsync("/items/" + paper.Id);
        Assert.Contains("No model yet", html, StringComparison.Ordinal);
        var search = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/search?q=topic:vision")).RootElement;
        Assert.Equal(0, search.GetProperty("total").GetInt32());
        Assert.Equal(0, await app.Get<TopicService>().TagAsync(default));
    }
}

/// <summary>The sample papers, with models learning from the newest 200 only.</summary>
public sealed class CappedTrainingApp : HotTopicsApp
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Topics:MaxTrainingItems", "200");
    }
}

public sealed class CappedTrainingTests(CappedTrainingApp app) : IClassFixture<CappedTrainingApp>
{
    [Fact]
    public async Task Retraining_on_a_large_database_learns_from_the_newest_items_only()
    {
        var outcome = await app.Get<TopicService>().RetrainAsync("test", default);
        Assert.NotNull(outcome.Record);
        Assert.Equal(20, outcome.Record.EvaluatedOn);
        Assert.Equal(180, outcome.Record.TrainingSize);

        // The 200 are the newest papers: none left out is newer than the oldest taken.
        var taken = await app.Get<TopicStore>().NewestSourcesAsync(200, default);
        var oldestTaken = taken[0].Published[..10];
        Assert.Equal(200, taken.Count);
        Assert.Equal(SampleCorpus.Papers.Select(p => p.ListingDate).OrderDescending(StringComparer.Ordinal).ElementAt(199), oldestTaken);
    }
}

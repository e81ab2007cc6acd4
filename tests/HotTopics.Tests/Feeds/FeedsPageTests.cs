using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using HotTopics.Accounts;
using HotTopics.Harvesting.Feeds;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HotTopics.Tests.Feeds;

/// <summary>Organizers follow feeds on /admin/feeds and through /api/feeds; OPML comes back out.</summary>
public sealed partial class FeedsPageTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private FakeFeedServer _fake = null!;
    private FeedTestApp _app = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeFeedServer.StartAsync();
        _fake.Routes["/feed.xml"] = FakeFeedServer.File(Path.Combine(AppContext.BaseDirectory, "TestData", "Feeds", "ml-blog-feeds", "gradient_blog_2026-04_trimmed3.xml"), "application/rss+xml");
        _fake.Routes["/atom.xml"] = FakeFeedServer.File(Path.Combine(AppContext.BaseDirectory, "TestData", "Feeds", "miniflux-testdata", "parser", "small_atom.xml"), "application/atom+xml");
        _app = await FeedTestApp.StartAsync(_fake);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _fake.DisposeAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private async Task<HttpClient> OrganizerAsync()
    {
        await _app.Get<AccountStore>().SaveAsync("organizer@meetup.example", "Organizer", Roles.Organizer, Password, default);
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenPattern().Match(await client.GetStringAsync("/login")).Groups[1].Value;
        var signIn = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "organizer@meetup.example", ["Password"] = Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    [Fact]
    public async Task An_organizer_follows_a_feed_on_the_page_and_through_the_api_and_exports_opml()
    {
        var client = await OrganizerAsync();
        var token = TokenPattern().Match(await client.GetStringAsync("/admin/feeds")).Groups[1].Value;

        var page = await client.PostAsync("/admin/feeds?handler=Add", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["url"] = _fake.Url("feed.xml"), ["__RequestVerificationToken"] = token,
        }));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Following the-gradient", html, StringComparison.Ordinal);

        var bad = await client.PostAsync("/admin/feeds?handler=Add", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["url"] = "javascript:alert(1)", ["__RequestVerificationToken"] = token,
        }));
        Assert.Contains("is not an http(s) URL", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var api = await client.PostAsJsonAsync("/api/feeds", new { url = _fake.Url("atom.xml"), name = "miniflux-commits" });
        Assert.Equal(HttpStatusCode.Created, api.StatusCode);
        var added = await api.Content.ReadFromJsonAsync<FeedsApi.AddFeedResponse>();
        Assert.Equal("miniflux-commits", added!.Name);
        var refused = await client.PostAsJsonAsync("/api/feeds", new { url = "ftp://example.com/feed" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("not an http(s) URL", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var listed = await client.GetFromJsonAsync<FeedsApi.FeedSourceDto[]>("/api/feeds");
        Assert.Equal(["miniflux-commits", "the-gradient"], listed!.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(listed!, f => Assert.False(f.Failing));
        var opml = await client.GetStringAsync("/admin/feeds?handler=Opml");
        Assert.Contains($"xmlUrl=\"{_fake.Url("feed.xml")}\"", opml, StringComparison.Ordinal);
        Assert.Equal(opml, await client.GetStringAsync("/api/feeds/opml"));
    }

    [Fact]
    public async Task Members_cannot_reach_the_feeds_page_or_api()
    {
        await _app.Get<AccountStore>().SaveAsync("member@meetup.example", "Member", Roles.Member, Password, default);
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenPattern().Match(await client.GetStringAsync("/login")).Groups[1].Value;
        await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "member@meetup.example", ["Password"] = Password, ["__RequestVerificationToken"] = token,
        }));

        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/admin/feeds")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/api/feeds/opml")).StatusCode);
    }
}

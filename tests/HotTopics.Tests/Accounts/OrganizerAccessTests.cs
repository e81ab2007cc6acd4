using System.Net;
using System.Text.RegularExpressions;
using HotTopics.Accounts;
using HotTopics.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HotTopics.Tests.Accounts;

/// <summary>Organizer-only pages and forms: anonymous users are sent to sign in, members are refused, forms need their token.</summary>
public sealed partial class OrganizerAccessTests(HotTopicsApp app) : IClassFixture<HotTopicsApp>
{
    private const string Password = "correct horse battery staple";

    private HttpClient Browser() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return TokenPattern().Match(html).Groups[1].Value;
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password)
    {
        var token = await TokenAsync(client, "/login");
        return await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        var response = await Browser().GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_does_not_sign_in()
    {
        await app.Get<AccountStore>().SaveAsync("org1@example.org", "Org One", Roles.Organizer, Password, default);
        var client = Browser();
        var response = await SignInAsync(client, "org1@example.org", "wrong password, surely");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("do not match", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task An_organizer_signs_in_and_rebuilds_the_index_with_the_form()
    {
        await app.Get<AccountStore>().SaveAsync("org2@example.org", "Org Two", Roles.Organizer, Password, default);
        var client = Browser();
        var signIn = await SignInAsync(client, "org2@example.org", Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var page = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var token = await TokenAsync(client, "/admin");
        var rebuilt = await client.PostAsync("/admin?handler=Reindex", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        Assert.Contains($"rebuilt from {SampleCorpus.Papers.Count} items", await rebuilt.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_post_without_its_antiforgery_token_is_refused()
    {
        await app.Get<AccountStore>().SaveAsync("org3@example.org", "Org Three", Roles.Organizer, Password, default);
        var client = Browser();
        await SignInAsync(client, "org3@example.org", Password);
        var response = await client.PostAsync("/admin?handler=Reindex", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_member_is_refused_organizer_pages()
    {
        await app.Get<AccountStore>().SaveAsync("member@example.org", "Member", Roles.Member, Password, default);
        var client = Browser();
        await SignInAsync(client, "member@example.org", Password);
        var response = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Short_passwords_and_unknown_roles_are_refused()
    {
        var store = app.Get<AccountStore>();
        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync("a@example.org", "", Roles.Organizer, "short", default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync("a@example.org", "", "admin", Password, default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync("not an email", "", Roles.Member, Password, default));
    }

    [Fact]
    public async Task Sign_in_only_returns_to_local_pages()
    {
        await app.Get<AccountStore>().SaveAsync("org4@example.org", "Org Four", Roles.Organizer, Password, default);
        var client = Browser();
        var token = await TokenAsync(client, "/login");
        var response = await client.PostAsync("/login?ReturnUrl=https%3A%2F%2Fevil.example%2F", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "org4@example.org", ["Password"] = Password, ["__RequestVerificationToken"] = token, ["ReturnUrl"] = "https://evil.example/",
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }
}

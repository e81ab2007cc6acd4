using System.Net;
using System.Text.RegularExpressions;
using HotTopics.Accounts;
using HotTopics.Jobs;
using HotTopics.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HotTopics.Tests.Harvesting;

/// <summary>The organizers' sources page (state, last runs, "refresh now" with its antiforgery token), the API and the CLI verbs.</summary>
public sealed partial class SourcesPageAndCliTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private FakeArxiv _fake = null!;
    private ArxivTestApp _app = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeArxiv.StartAsync();
        _fake.Rss = ctx => FakeArxiv.ServeFile(ctx, Path.Combine(TestFiles.Dir, "Arxiv", "rss.arxiv.org_cs.CL_2026-04-27_trimmed3.xml"), type: "application/rss+xml");
        _app = await ArxivTestApp.StartAsync(_fake);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _fake.DisposeAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var email = $"{role}@meetup.example";
        await _app.Get<AccountStore>().SaveAsync(email, role, role, Password, default);
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenPattern().Match(await client.GetStringAsync("/login")).Groups[1].Value;
        var signIn = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    private async Task<JobRun> WaitForRunAsync(string job)
    {
        var runs = _app.Get<JobRunStore>();
        for (var i = 0; i < 300; i++)
        {
            var recent = await runs.RecentAsync(job, 1, default);
            if (recent.Count > 0 && recent[0].Status != RunStatus.Running) return recent[0];
            await Task.Delay(100);
        }
        throw new TimeoutException($"no finished run of {job}");
    }

    [Fact]
    public async Task An_organizer_sees_the_sources_and_refreshes_one_with_the_button()
    {
        var anonymous = await _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync("/admin/sources");
        Assert.StartsWith("/login", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var member = await (await SignedInAsync(Roles.Member)).GetAsync("/admin/sources");
        Assert.StartsWith("/denied", member.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var client = await SignedInAsync(Roles.Organizer);
        var page = await client.GetStringAsync("/admin/sources");
        foreach (var name in new[] { "arxiv-oai-cs", "arxiv-oai-eess", "arxiv-oai-stat", "arxiv-rss", "arxiv-api" })
            Assert.Contains(name, page, StringComparison.Ordinal);
        Assert.Contains("0 15 7 ? * MON-FRI", page, StringComparison.Ordinal);

        var rss = (await _app.Get<HotTopics.Harvesting.Sources.SourceStore>().FindAsync("arxiv-rss", default))!;
        var token = TokenPattern().Match(page).Groups[1].Value;
        var refreshed = await client.PostAsync("/admin/sources?handler=Refresh", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = rss.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Contains("arxiv-rss is being refreshed", await refreshed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var run = await WaitForRunAsync("harvest:arxiv-rss");
        Assert.Equal((RunTrigger.Manual, RunStatus.Succeeded, 3), (run.TriggerKind, run.Status, run.ItemsNew));
        Assert.Contains("harvest:arxiv-rss", await client.GetStringAsync("/admin/sources"), StringComparison.Ordinal);

        var withoutToken = await client.PostAsync("/admin/sources?handler=Refresh", new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = "1" }));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
    }

    [Fact]
    public async Task The_API_refreshes_for_organizers_only_and_reports_failures_as_data()
    {
        var member = await SignedInAsync(Roles.Member);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsync("/api/sources/arxiv-oai-stat/refresh", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.CreateClient().GetAsync("/api/sources")).StatusCode);

        var organizer = await SignedInAsync(Roles.Organizer);
        Assert.Equal(HttpStatusCode.NotFound, (await organizer.PostAsync("/api/sources/nope/refresh", null)).StatusCode);
        // The fake answers the stat set with a 500 every time: the run fails and the failure is stored.
        _fake.Oai = ctx =>
        {
            ctx.Response.StatusCode = 500;
            return Task.CompletedTask;
        };
        var accepted = await organizer.PostAsync("/api/sources/arxiv-oai-stat/refresh", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var run = await WaitForRunAsync("harvest:arxiv-oai-stat");
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("HTTP 500", run.Error, StringComparison.Ordinal);
        var sources = await organizer.GetStringAsync("/api/sources");
        Assert.Matches("\"name\":\"arxiv-oai-stat\"[^}]*\"lastError\":\"[^\"]*HTTP 500[^}]*\"consecutiveFailures\":1", sources);
        // The job asks Quartz for a retry when the back-off has passed.
        var stat = (await _app.Get<HotTopics.Harvesting.Sources.SourceStore>().FindAsync("arxiv-oai-stat", default))!;
        var scheduler = await _app.Get<Quartz.ISchedulerFactory>().GetScheduler();
        Quartz.ITrigger? retry = null;
        for (var i = 0; i < 50 && retry is null; i++)
        {
            retry = await scheduler.GetTrigger(new Quartz.TriggerKey("arxiv-oai-stat", "harvest-retry"));
            if (retry is null) await Task.Delay(100);
        }
        Assert.NotNull(retry);
        Assert.InRange(retry.StartTimeUtc, HotTopics.Items.ItemDates.Parse(stat.NextAttemptAt!).AddSeconds(-2), HotTopics.Items.ItemDates.Parse(stat.NextAttemptAt!).AddSeconds(2));
    }

    private async Task<(int Code, string Out, string Err)> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Cli.RunAsync(["--data-dir", _app.Data.Path, .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task The_sources_verb_lists_state_and_harvest_refuses_bad_usage()
    {
        var (code, output, _) = await CliAsync("sources");
        Assert.Equal(Cli.Ok, code);
        Assert.Matches(@"arxiv-oai-cs\tarxiv-oai\tenabled\tschedule 0 30 6 \* \* \?", output);
        Assert.Contains("last success never; failures in a row 0", output, StringComparison.Ordinal);

        var (unknown, _, error) = await CliAsync("harvest", "nope");
        Assert.Equal(Cli.Usage, unknown);
        Assert.Contains("there is no source 'nope'", error, StringComparison.Ordinal);
        var (badDate, _, dateError) = await CliAsync("harvest", "arxiv-oai-cs", "--from", "2026-13-01");
        Assert.Equal(Cli.Usage, badDate);
        Assert.Contains("--from must be a day as YYYY-MM-DD", dateError, StringComparison.Ordinal);
    }
}

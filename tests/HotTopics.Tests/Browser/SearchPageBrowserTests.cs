using HotTopics.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace HotTopics.Tests.Browser;

/// <summary>The app on a real Kestrel port, loaded with the sample papers.</summary>
public sealed class KestrelApp : HotTopicsApp
{
    public KestrelApp() => UseKestrel(0);

    public string BaseUrl => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
}

/// <summary>
/// The search page in a real browser (Debian's Chromium, driven by Playwright; tests/run.sh installs it):
/// what a person does, on a phone-sized screen, without JavaScript of ours.
/// </summary>
public sealed class SearchPageBrowserTests(KestrelApp app) : IClassFixture<KestrelApp>, IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            // No network beyond loopback here: background services would only fail their look-ups.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    private async Task<IPage> PhoneAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, JavaScriptEnabled = false });
        return await context.NewPageAsync();
    }

    [Fact]
    public async Task A_person_searches_refines_by_a_facet_and_opens_a_paper_on_a_phone()
    {
        var page = await PhoneAsync();
        await page.GotoAsync(app.BaseUrl + "/");
        await page.FillAsync("form.search input[name=q]", "segmentation -survey");
        await page.ClickAsync("form.search button[type=submit]");

        var count = await page.TextContentAsync("p.count");
        Assert.Matches(@"^\d+ results$", count!.Trim());
        Assert.True(await page.Locator("article.hit mark").CountAsync() > 0, "matches are highlighted");
        // Readable on a phone: nothing wider than the screen.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));

        await page.ClickAsync("aside.facets a[href*='category=cs.CV']");
        Assert.Contains("category=cs.CV", page.Url, StringComparison.Ordinal);
        Assert.Contains("category: cs.CV", await page.TextContentAsync(".filters"), StringComparison.Ordinal);
        var refined = int.Parse((await page.TextContentAsync("p.count"))!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(refined > 0 && refined <= int.Parse(count.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));

        var title = (await page.TextContentAsync("article.hit h2 a"))!.Trim();
        await page.ClickAsync("article.hit h2 a");
        Assert.Equal(title, (await page.TextContentAsync("article.item h1"))!.Trim());
        Assert.True(await page.Locator("section.similar li").CountAsync() > 0, "the item page lists similar items");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(app.Data.Path, "..", "hottopics-item-phone.png"), FullPage = true });
    }

    [Fact]
    public async Task A_mistyped_query_shows_what_to_fix()
    {
        var page = await PhoneAsync();
        var response = await page.GotoAsync(app.BaseUrl + "/?q=" + Uri.EscapeDataString("\"diffusion models"));
        Assert.Equal(400, response!.Status);
        Assert.Contains("never closed", await page.TextContentAsync("p.error"), StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

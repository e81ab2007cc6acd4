using System.IO.Compression;
using System.Net;
using HotTopics.Harvesting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotTopics.Tests.Harvesting;

/// <summary>The shared HTTP client's guards: private addresses, body size, redirects, compression, no retry on 4xx.</summary>
public sealed class PoliteHttpTests : IAsyncLifetime
{
    private FakeArxiv _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeArxiv.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static PoliteHttp Client(HarvestingOptions options) =>
        new(new HttpClient(PoliteHttp.CreateHandler(options)) { Timeout = Timeout.InfiniteTimeSpan }, new HostPacer(TimeProvider.System),
            Options.Create(options), TimeProvider.System, NullLogger<PoliteHttp>.Instance);

    private static HarvestingOptions Allowing() => new() { AllowPrivateAddresses = true, DefaultDelayMs = 0, RetryBaseDelayMs = 10, MaxAttempts = 3 };

    [Fact]
    public async Task Loopback_and_private_addresses_are_refused_unless_configuration_allows_them()
    {
        var http = Client(new HarvestingOptions { DefaultDelayMs = 0 });
        var ex = await Assert.ThrowsAsync<FetchException>(() => http.GetAsync(new FetchRequest { Url = new Uri(_fake.RssUrl + "x") }, default));
        Assert.Contains("resolves to a loopback, private or link-local address (127.0.0.1)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Attempts);
        Assert.Empty(_fake.Requests);
        Assert.True(PoliteHttp.IsPrivate(IPAddress.Parse("10.1.2.3")) && PoliteHttp.IsPrivate(IPAddress.Parse("169.254.169.254"))
            && PoliteHttp.IsPrivate(IPAddress.Parse("::ffff:192.168.0.1")) && PoliteHttp.IsPrivate(IPAddress.Parse("fd00::1")));
        Assert.False(PoliteHttp.IsPrivate(IPAddress.Parse("151.101.1.69")));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_a_clear_error()
    {
        _fake.Rss = ctx => ctx.Response.Body.WriteAsync(new byte[200_000]).AsTask();
        var options = Allowing();
        options.MaxResponseBytes = 10_000;
        var ex = await Assert.ThrowsAsync<FetchException>(() => Client(options).GetAsync(new FetchRequest { Url = new Uri(_fake.RssUrl + "big") }, default));
        Assert.EndsWith("the answer is larger than 10,000 bytes (Harvesting:MaxResponseBytes)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Attempts);
    }

    [Fact]
    public async Task Redirects_are_followed_and_reported_and_gzip_is_decoded_with_its_charset()
    {
        _fake.Rss = async ctx =>
        {
            switch (ctx.Request.Path.Value)
            {
                case "/rss/moved":
                    ctx.Response.StatusCode = 301;
                    ctx.Response.Headers.Location = "/rss/final";
                    return;
                case "/rss/temporary":
                    ctx.Response.StatusCode = 302;
                    ctx.Response.Headers.Location = _fake.RssUrl + "final";
                    return;
                default:
                    ctx.Response.ContentType = "application/rss+xml; charset=ISO-8859-1";
                    ctx.Response.Headers.ContentEncoding = "gzip";
                    using (var gzip = new GZipStream(ctx.Response.Body, CompressionLevel.Fastest, leaveOpen: true))
                        await gzip.WriteAsync("<rss/>"u8.ToArray());
                    return;
            }
        };
        var http = Client(Allowing());
        var moved = await http.GetAsync(new FetchRequest { Url = new Uri(_fake.RssUrl + "moved") }, default);
        Assert.Equal((true, true, _fake.RssUrl + "final"), (moved.Redirected, moved.PermanentRedirect, moved.FinalUrl.ToString()));
        Assert.Equal("<rss/>", System.Text.Encoding.ASCII.GetString(moved.Body));
        Assert.Equal(("application/rss+xml", "ISO-8859-1"), (moved.MediaType, moved.Charset));
        var temporary = await http.GetAsync(new FetchRequest { Url = new Uri(_fake.RssUrl + "temporary") }, default);
        Assert.Equal((true, false), (temporary.Redirected, temporary.PermanentRedirect));
    }

    [Fact]
    public async Task A_client_error_is_not_retried_and_a_server_error_is()
    {
        var calls = 0;
        _fake.Rss = ctx =>
        {
            ctx.Response.StatusCode = ctx.Request.Path.Value == "/rss/gone" ? 404 : (++calls < 3 ? 502 : 200);
            return Task.CompletedTask;
        };
        var http = Client(Allowing());
        var gone = await Assert.ThrowsAsync<FetchException>(() => http.GetAsync(new FetchRequest { Url = new Uri(_fake.RssUrl + "gone") }, default));
        Assert.Equal((HttpStatusCode.NotFound, 1), (gone.Status, gone.Attempts));
        var flaky = await http.GetAsync(new FetchRequest { Url = new Uri(_fake.RssUrl + "flaky") }, default);
        Assert.Equal(3, flaky.Attempts);
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotTopics.Tests.Feeds;

/// <summary>
/// Blogs on 127.0.0.1 (Kestrel, random port): each path answers as a test scripts it (real feed files, redirects,
/// 304s, gzip, lying charsets, huge or slow bodies). Every request is logged with its headers.
/// </summary>
public sealed class FakeFeedServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    public sealed record Request(string Path, string Query, IReadOnlyDictionary<string, string> Headers);

    public ConcurrentQueue<Request> Requests { get; } = new();
    public ConcurrentDictionary<string, Func<HttpContext, Task>> Routes { get; } = new(StringComparer.Ordinal);

    private FakeFeedServer(WebApplication app) => _app = app;

    public static async Task<FakeFeedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeFeedServer(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        return fake;
    }

    public Uri BaseUrl => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    public string Url(string path) => new Uri(BaseUrl, path).AbsoluteUri;

    public IEnumerable<Request> RequestsTo(string path) => Requests.Where(r => r.Path == path);

    private async Task HandleAsync(HttpContext context)
    {
        Requests.Enqueue(new Request(context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        if (Routes.TryGetValue(context.Request.Path.Value ?? "", out var handler)) await handler(context);
        else context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    /// <summary>Serves a file's bytes as they are, with a content type (and whatever the test adds).</summary>
    public static Func<HttpContext, Task> File(string path, string contentType, Action<HttpContext>? headers = null) => async context =>
    {
        context.Response.ContentType = contentType;
        headers?.Invoke(context);
        await context.Response.Body.WriteAsync(await System.IO.File.ReadAllBytesAsync(path));
    };

    public static Func<HttpContext, Task> Text(string body, string contentType) => async context =>
    {
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
    };

    public static Func<HttpContext, Task> Redirect(string location, int status) => context =>
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Collections.Concurrent;
using HotTopics.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace HotTopics.Tests.Feeds;

/// <summary>
/// Blogs on 127.0.0.1 (Kestrel, random port): each path answers as a test scripts it (real feed files, redirects,
/// 304s, gzip, lying charsets, huge or slow bodies). Every request is logged with its headers.
/// </summary>
public sealed class FakeFeedServer : IAsyncDisposable
{
    private LoopbackServer _server = null!;

    public ConcurrentQueue<LoopbackServer.Request> Requests => _server.Requests;
    public ConcurrentDictionary<string, Func<HttpContext, Task>> Routes { get; } = new(StringComparer.Ordinal);

    public static async Task<FakeFeedServer> StartAsync()
    {
        var fake = new FakeFeedServer();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    public Uri BaseUrl => _server.BaseUrl;

    public string Url(string path) => new Uri(BaseUrl, path).AbsoluteUri;

    public IEnumerable<LoopbackServer.Request> RequestsTo(string path) => Requests.Where(r => r.Path == path);

    private async Task HandleAsync(HttpContext context)
    {
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

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

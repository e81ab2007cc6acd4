using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Xml;
using HotTopics.Items;
using HotTopics.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace HotTopics.Tests.Harvesting;

/// <summary>What the fake does to the next request instead of answering it normally.</summary>
public enum FaultKind
{
    /// <summary>503 with Retry-After.</summary>
    Unavailable,
    /// <summary>The connection is dropped before any answer.</summary>
    Reset,
    /// <summary>Content-Length promises the whole body, half arrives, the connection drops.</summary>
    Truncated,
    /// <summary>Half the body, a pause, the rest.</summary>
    SlowBody,
    /// <summary>200 with the first half of the body only: an XML document that breaks off.</summary>
    Malformed,
}

/// <param name="AtOffset">only for the OAI-PMH page starting at this record (null: the next request, whatever it is)</param>
public sealed record Fault(FaultKind Kind, int RetryAfterSeconds = 1, int PauseMs = 0, int? AtOffset = null);

/// <summary>
/// A fake arXiv on 127.0.0.1 (Kestrel, random port): OAI-PMH ListRecords paged from real papers (arXivRaw, set,
/// from/until, resumption tokens), plus whatever recorded responses a test puts on /api/query and /rss/. It logs
/// every request with its arrival time and plays scripted faults.
/// </summary>
public sealed class FakeArxiv : IAsyncDisposable
{
    private LoopbackServer _server = null!;

    public ConcurrentQueue<LoopbackServer.Request> Requests => _server.Requests;
    /// <summary>Played in order, one per request (any path).</summary>
    public ConcurrentQueue<Fault> Faults { get; } = new();
    /// <summary>The papers the OAI-PMH endpoint serves, oldest first.</summary>
    public IReadOnlyList<ItemRecord> Papers { get; set; } = [];
    public int PageSize { get; set; } = 5;
    /// <summary>Tokens the endpoint refuses once with badResumptionToken (as if they had expired).</summary>
    public ConcurrentDictionary<string, bool> ExpiredTokens { get; } = new();
    /// <summary>Runs before a page with this offset is answered (the crash test holds page N here).</summary>
    public Func<int, CancellationToken, Task>? BeforeOaiPage { get; set; }
    /// <summary>Answers /oai instead of the paged papers.</summary>
    public Func<HttpContext, Task>? Oai { get; set; }
    /// <summary>Answers /api/query.</summary>
    public Func<HttpContext, Task>? Api { get; set; }
    /// <summary>Answers /rss/{categories}.</summary>
    public Func<HttpContext, Task>? Rss { get; set; }

    public static async Task<FakeArxiv> StartAsync()
    {
        var fake = new FakeArxiv();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    public Uri BaseUrl => _server.BaseUrl;
    public string OaiUrl => BaseUrl + "oai";
    public string ApiUrl => BaseUrl + "api/query";
    public string RssUrl => BaseUrl + "rss/";

    public IReadOnlyList<LoopbackServer.Request> OaiRequests => [.. Requests.Where(r => r.Path == "/oai")];

    /// <summary>Loads papers from the JSON Lines sample (real arXiv records), oldest listing first.</summary>
    public static List<ItemRecord> LoadPapers(string path, Func<ItemRecord, bool>? where = null)
    {
        using var stream = ArxivJsonl.OpenRead(path);
        return [.. ArxivJsonl.Read(stream).Select(l => l.Record!)
            .Where(r => where?.Invoke(r) ?? true).OrderBy(r => r.Published).ThenBy(r => r.ArxivId, StringComparer.Ordinal)];
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        Func<Task<(int Status, string ContentType, byte[] Body)>> answer = path switch
        {
            "/oai" when Oai is not null => () => Capture(context, Oai),
            "/oai" => () => OaiAsync(context),
            "/api/query" when Api is not null => () => Capture(context, Api),
            _ when path.StartsWith("/rss/", StringComparison.Ordinal) && Rss is not null => () => Capture(context, Rss),
            _ => () => Task.FromResult((404, "text/plain", Encoding.UTF8.GetBytes("not found"))),
        };
        if (Faults.TryPeek(out var next) && (next.AtOffset is null || next.AtOffset == OffsetOf(context.Request))
            && Faults.TryDequeue(out var fault) && await PlayAsync(context, fault, answer))
        {
            return;
        }
        var (status, type, body) = await answer();
        context.Response.StatusCode = status;
        context.Response.ContentType = type;
        if (body.Length > 0) await context.Response.Body.WriteAsync(body);
    }

    /// <summary>The first record of the OAI-PMH page a request asks for (0 without a resumption token).</summary>
    public static int? OffsetOf(HttpRequest request)
    {
        if (request.Path != "/oai") return null;
        var token = request.Query["resumptionToken"].ToString();
        return token.Length == 0 ? 0 : int.TryParse(token.Split("|")[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>Runs a handler against a buffer, so faults can cut its body.</summary>
    private static async Task<(int, string, byte[])> Capture(HttpContext context, Func<HttpContext, Task> handler)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await handler(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        return (context.Response.StatusCode, context.Response.ContentType ?? "application/xml", buffer.ToArray());
    }

    /// <returns>true when the fault answered the request</returns>
    private static async Task<bool> PlayAsync(HttpContext context, Fault fault, Func<Task<(int Status, string ContentType, byte[] Body)>> answer)
    {
        switch (fault.Kind)
        {
            case FaultKind.Unavailable:
                context.Response.StatusCode = 503;
                context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await context.Response.WriteAsync("Retry after the given time");
                return true;
            case FaultKind.Reset:
                context.Abort();
                return true;
        }
        var (status, type, body) = await answer();
        context.Response.StatusCode = status;
        context.Response.ContentType = type;
        var half = body.Length / 2;
        switch (fault.Kind)
        {
            case FaultKind.Truncated:
                context.Response.ContentLength = body.Length;
                await context.Response.Body.WriteAsync(body.AsMemory(0, half));
                await context.Response.Body.FlushAsync();
                context.Abort();
                return true;
            case FaultKind.SlowBody:
                context.Response.ContentLength = body.Length;
                await context.Response.Body.WriteAsync(body.AsMemory(0, half));
                await context.Response.Body.FlushAsync();
                try
                {
                    await Task.Delay(fault.PauseMs, context.RequestAborted);
                    await context.Response.Body.WriteAsync(body.AsMemory(half));
                }
                catch (OperationCanceledException)
                {
                }
                return true;
            case FaultKind.Malformed:
                await context.Response.Body.WriteAsync(body.AsMemory(0, half));
                return true;
            default:
                return false;
        }
    }

    private async Task<(int, string, byte[])> OaiAsync(HttpContext context)
    {
        var q = context.Request.Query;
        string set, from, until;
        int offset;
        if (q["resumptionToken"].ToString() is { Length: > 0 } token)
        {
            if (ExpiredTokens.TryRemove(token, out _)) return Error("badResumptionToken", "The resumptionToken supplied is illegal for this repository");
            var parts = token.Split('|');
            (set, from, until, offset) = (parts[0], parts[1], parts[2], int.Parse(parts[3], CultureInfo.InvariantCulture));
        }
        else
        {
            if (q["verb"] != "ListRecords" || q["metadataPrefix"] != "arXivRaw") return Error("badArgument", "Verb 'ListRecords' needs metadataPrefix=arXivRaw here");
            (set, from, until, offset) = (q["set"].ToString(), q["from"].ToString(), q["until"].ToString(), 0);
        }
        var matching = Papers.Where(p => (set.Length == 0 || p.Categories.Any(c => c.StartsWith(set + ".", StringComparison.Ordinal) || c == set))
            && (from.Length == 0 || string.CompareOrdinal(Day(p), from) >= 0)
            && (until.Length == 0 || string.CompareOrdinal(Day(p), until) <= 0)).ToList();
        if (matching.Count == 0) return Error("noRecordsMatch", "The combination of the values of the from, until, set and metadataPrefix arguments results in an empty list.");
        if (BeforeOaiPage is { } hook) await hook(offset, context.RequestAborted);
        var page = matching.Skip(offset).Take(PageSize).ToList();
        var next = offset + PageSize < matching.Count ? $"{set}|{from}|{until}|{offset + PageSize}" : "";
        return (200, "text/xml; charset=utf-8", ListRecords(page, next, matching.Count, offset));
    }

    private static string Day(ItemRecord p) => p.Published.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static (int, string, byte[]) Error(string code, string message)
    {
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
            <responseDate>2026-04-27T10:00:00Z</responseDate>
            <request>http://export.arxiv.org/oai2</request>
            <error code="{code}">{message}</error>
            </OAI-PMH>
            """;
        return (200, "text/xml; charset=utf-8", Encoding.UTF8.GetBytes(xml));
    }

    /// <summary>A ListRecords page in arXiv's arXivRaw format (as ListRecordsResponse.xml shows it).</summary>
    public static byte[] ListRecords(IReadOnlyList<ItemRecord> papers, string nextToken, int completeListSize, int cursor)
    {
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            const string oai = "http://www.openarchives.org/OAI/2.0/";
            const string raw = "http://arxiv.org/OAI/arXivRaw/";
            w.WriteStartElement("OAI-PMH", oai);
            w.WriteElementString("responseDate", oai, "2026-04-27T10:00:00Z");
            w.WriteElementString("request", oai, "http://export.arxiv.org/oai2");
            w.WriteStartElement("ListRecords", oai);
            foreach (var p in papers)
            {
                w.WriteStartElement("record", oai);
                w.WriteStartElement("header", oai);
                w.WriteElementString("identifier", oai, "oai:arXiv.org:" + p.ArxivId);
                w.WriteElementString("datestamp", oai, Day(p));
                foreach (var archive in p.Categories.Select(c => c.Split('.')[0]).Distinct()) w.WriteElementString("setSpec", oai, archive);
                w.WriteEndElement();
                w.WriteStartElement("metadata", oai);
                w.WriteStartElement("arXivRaw", raw);
                w.WriteElementString("id", raw, p.ArxivId);
                w.WriteElementString("submitter", raw, p.Authors.Count > 0 ? p.Authors[0] : "");
                var versions = p.Version ?? 1;
                for (var v = 1; v <= versions; v++)
                {
                    w.WriteStartElement("version", raw);
                    w.WriteAttributeString("version", "v" + v.ToString(CultureInfo.InvariantCulture));
                    w.WriteElementString("date", raw, p.Published.AddDays(v - 1).ToString("ddd, d MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture));
                    w.WriteElementString("size", raw, "100kb");
                    w.WriteEndElement();
                }
                w.WriteElementString("title", raw, p.Title);
                w.WriteElementString("authors", raw, string.Join(", ", p.Authors));
                w.WriteElementString("categories", raw, string.Join(' ', p.Categories));
                if (p.Comment is not null) w.WriteElementString("comments", raw, p.Comment);
                w.WriteElementString("license", raw, "http://creativecommons.org/licenses/by/4.0/");
                w.WriteElementString("abstract", raw, p.Summary);
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteStartElement("resumptionToken", oai);
            w.WriteAttributeString("cursor", cursor.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("completeListSize", completeListSize.ToString(CultureInfo.InvariantCulture));
            w.WriteString(nextToken);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }
        return buffer.ToArray();
    }

    /// <summary>Answers with a recorded file.</summary>
    public static async Task ServeFile(HttpContext context, string path, int status = 200, string type = "application/atom+xml; charset=utf-8")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = type;
        await context.Response.Body.WriteAsync(await File.ReadAllBytesAsync(path));
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

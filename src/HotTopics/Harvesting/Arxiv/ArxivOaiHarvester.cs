using System.Globalization;
using System.Text.Json;
using HotTopics.Harvesting.Sources;
using Microsoft.Extensions.Options;

namespace HotTopics.Harvesting.Arxiv;

/// <summary>
/// The OAI-PMH source's cursor: <see cref="From"/> is the datestamp the next incremental harvest starts at; while a
/// list is being paged, <see cref="Paging"/> holds the request and the resumption token of the next page.
/// </summary>
public sealed class OaiCursor
{
    public string? From { get; set; }
    public OaiPaging? Paging { get; set; }
}

public sealed class OaiPaging
{
    public required string From { get; init; }
    public string? Until { get; init; }
    public required string Token { get; init; }
    /// <summary>The newest datestamp seen so far in this list.</summary>
    public string? Highest { get; init; }
}

/// <summary>
/// Harvests one OAI-PMH set (an archive) with ListRecords: from the last harvested datestamp, page by page with
/// resumption tokens, each page stored with the cursor that follows it. noRecordsMatch is a success with nothing
/// new; badResumptionToken restarts the list from its datestamp (once per run); 503 + Retry-After is PoliteHttp's.
/// </summary>
public sealed class ArxivOaiHarvester(PoliteHttp http, IOptions<ArxivOptions> options, IOptions<HarvestingOptions> harvesting, TimeProvider time) : ISourceHarvester
{
    public string Kind => SourceKind.ArxivOai;

    public async Task HarvestAsync(HarvestContext context, CancellationToken ct)
    {
        var settings = ArxivSettings.Of(context.Source);
        var prefix = settings.MetadataPrefix ?? options.Value.MetadataPrefix;
        var cursor = Read(context.Cursor);
        var incremental = context.Window.IsEmpty;
        string from;
        string? until;
        OaiPaging? paging;
        if (incremental && cursor.Paging is { Until: null } interrupted)
        {
            // An incremental list a crash or a failure interrupted: same request, next page.
            (from, until, paging) = (interrupted.From, null, interrupted);
        }
        else
        {
            from = context.Window.From is { } f ? Day(f)
                : cursor.From ?? Day(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-options.Value.InitialDays));
            until = context.Window.Until is { } u ? Day(u) : null;
            // The same window asked again resumes its interrupted list.
            paging = cursor.Paging is { } p && p.From == from && p.Until == until ? p : null;
        }
        var restarted = false;
        while (true)
        {
            var query = paging is not null
                ? $"verb=ListRecords&resumptionToken={Uri.EscapeDataString(paging.Token)}"
                : $"verb=ListRecords&metadataPrefix={prefix}{(settings.Set is { } set ? "&set=" + Uri.EscapeDataString(set) : "")}&from={from}{(until is null ? "" : "&until=" + until)}";
            var url = new Uri(context.Source.Url + (context.Source.Url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query);
            context.Report(paging is null ? $"listing records from {from}" : $"next page ({paging.Token})");
            var page = await FetchAsync(url, context.Source.Name, ct);
            if (page.ErrorCode == OaiPmh.NoRecordsMatch && paging is null)
            {
                context.Report($"no records since {from}");
                return;
            }
            if (page.ErrorCode == OaiPmh.BadResumptionToken && !restarted)
            {
                // The token expired (arXiv keeps them for a while): start the list again from its datestamp.
                // Records already stored are merged again, which changes nothing.
                context.Report($"resumption token refused ({page.ErrorMessage}); restarting from {from}");
                restarted = true;
                paging = null;
                continue;
            }
            if (page.ErrorCode is { } code)
                throw new HarvestException($"{url}: OAI-PMH error {code}: {page.ErrorMessage}");

            var highest = Max(paging?.Highest, page.Records.Select(r => r.Datestamp).Where(d => d.Length > 0).DefaultIfEmpty().Max(StringComparer.Ordinal));
            var records = page.Records.Where(r => r.Paper is not null && settings.Wants(r.Paper.Categories)).Select(r => r.Paper!).ToList();
            var next = page.ResumptionToken;
            var nextCursor = next is not null
                ? new OaiCursor { From = cursor.From, Paging = new OaiPaging { From = from, Until = until, Token = next, Highest = highest } }
                : new OaiCursor { From = incremental ? Max(from, highest) : cursor.From };
            await context.CommitPageAsync(new SourcePage { Records = records, Cursor = JsonSerializer.Serialize(nextCursor, SourceJson.Options) }, ct);
            var unusable = page.Records.Count(r => r.Problem is not null);
            if (unusable > 0) context.Report($"{unusable} records without usable metadata skipped ({page.Records.First(r => r.Problem is not null).Problem})");
            if (next is null) return;
            cursor = nextCursor;
            paging = nextCursor.Paging;
        }
    }

    private async Task<OaiPage> FetchAsync(Uri url, string source, CancellationToken ct)
    {
        try
        {
            var response = await http.GetAsync(new FetchRequest { Url = url, Accept = "text/xml, application/xml", MinInterval = options.Value.Delay }, ct);
            using var body = response.OpenBody();
            return OaiPmh.Parse(body, source, harvesting.Value.MaxXmlCharacters);
        }
        catch (FetchException ex) when (ex.Body is { Length: > 0 } body)
        {
            // Some OAI-PMH errors come with a 4xx status; the body says which.
            var page = TryParseError(body, source);
            if (page is null) throw;
            return page;
        }
    }

    private OaiPage? TryParseError(byte[] body, string source)
    {
        try
        {
            var page = OaiPmh.Parse(new MemoryStream(body), source, harvesting.Value.MaxXmlCharacters);
            return page.ErrorCode is null ? null : page;
        }
        catch (MalformedXmlException)
        {
            return null;
        }
    }

    internal static OaiCursor Read(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new OaiCursor() : JsonSerializer.Deserialize<OaiCursor>(json, SourceJson.Options) ?? new OaiCursor();

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Max(string? a, string? b) => a is null ? b : b is null ? a : string.CompareOrdinal(a, b) >= 0 ? a : b;
}

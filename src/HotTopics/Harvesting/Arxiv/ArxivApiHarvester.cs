using System.Globalization;
using System.Text.Json;
using HotTopics.Harvesting.Sources;
using Microsoft.Extensions.Options;

namespace HotTopics.Harvesting.Arxiv;

/// <summary>The API source's cursor: the search being paged and the offset of the next page.</summary>
public sealed class ApiCursor
{
    public string? Query { get; set; }
    public long Start { get; set; }
    /// <summary>The last day a finished backfill covered: the next one without a window starts after it.</summary>
    public string? Through { get; set; }
}

/// <summary>
/// Backfills the configured categories over a date range through the Atom API's search_query, page by page
/// (totalResults / startIndex / itemsPerPage), each page stored with the offset that follows it.
/// </summary>
public sealed class ArxivApiHarvester(ArxivApiClient client, IOptions<ArxivOptions> options, TimeProvider time) : ISourceHarvester
{
    public string Kind => SourceKind.ArxivApi;

    public async Task HarvestAsync(HarvestContext context, CancellationToken ct)
    {
        var settings = ArxivSettings.Of(context.Source);
        var cursor = string.IsNullOrWhiteSpace(context.Cursor) ? new ApiCursor() : JsonSerializer.Deserialize<ApiCursor>(context.Cursor, SourceJson.Options) ?? new ApiCursor();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var from = context.Window.From
            ?? (cursor.Through is { } t ? DateOnly.ParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(1) : today.AddDays(-options.Value.InitialDays));
        var until = context.Window.Until ?? today;
        IReadOnlyList<string> categories = settings.Categories.Length > 0 ? settings.Categories : options.Value.Followed;
        var query = string.Create(CultureInfo.InvariantCulture,
            $"({string.Join(" OR ", categories.Select(c => "cat:" + c))}) AND submittedDate:[{from:yyyyMMdd}0000 TO {until:yyyyMMdd}2359]");
        var start = cursor.Query == query ? cursor.Start : 0;
        var pageSize = options.Value.ApiPageSize;
        while (true)
        {
            context.Report(string.Create(CultureInfo.InvariantCulture, $"search from {start}"));
            var feed = await client.SearchAsync(query, start, pageSize, ct);
            var done = feed.Papers.Count == 0 || start + feed.Papers.Count >= feed.TotalResults;
            if (feed.Papers.Count == 0 && start < feed.TotalResults)
            {
                // The API now and then answers a page with no entries; the offset stays, so the next run resumes here.
                throw new HarvestException(string.Create(CultureInfo.InvariantCulture,
                    $"the arXiv API returned an empty page at {start} of {feed.TotalResults} results; the next run continues from there"));
            }
            var next = start + feed.Papers.Count;
            var nextCursor = done
                ? new ApiCursor { Through = Later(cursor.Through, until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) }
                : new ApiCursor { Query = query, Start = next, Through = cursor.Through };
            await context.CommitPageAsync(new SourcePage
            {
                Records = [.. feed.Papers.Where(p => settings.Wants(p.Categories))],
                Cursor = JsonSerializer.Serialize(nextCursor, SourceJson.Options),
            }, ct);
            if (done) return;
            start = next;
        }
    }

    /// <summary>A backfill of an older range never moves the end of what the source has covered back.</summary>
    private static string Later(string? a, string b) => a is not null && string.CompareOrdinal(a, b) > 0 ? a : b;
}

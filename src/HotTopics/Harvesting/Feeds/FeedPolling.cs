using System.Text.Json;
using HotTopics.Items;

namespace HotTopics.Harvesting.Feeds;

/// <summary>A feed source's cursor: how often to poll it and when it is next due.</summary>
public sealed class FeedCursor
{
    public double IntervalMinutes { get; init; }
    public string? DueAt { get; init; }
    /// <summary>The newest entry date seen so far: a later one means the feed posted since.</summary>
    public string? Newest { get; init; }

    public static FeedCursor Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return new FeedCursor();
        try
        {
            return JsonSerializer.Deserialize<FeedCursor>(json, JsonOptions) ?? new FeedCursor();
        }
        catch (JsonException)
        {
            return new FeedCursor(); // an old or foreign cursor: start afresh
        }
    }

    public string Write() => JsonSerializer.Serialize(this, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>
/// The adaptive polling interval: about a quarter of the feed's typical gap between posts (median of its recent
/// entries), so a daily blog is looked at every few hours and a monthly one once a day; after a fetch with nothing
/// new the interval grows by half. Always within Feeds:MinIntervalMinutes..MaxIntervalMinutes.
/// </summary>
public static class FeedPolling
{
    public static TimeSpan NextInterval(IEnumerable<DateTimeOffset> entryDates, bool sawNew, TimeSpan previous, FeedOptions options)
    {
        var min = TimeSpan.FromMinutes(options.MinIntervalMinutes);
        var max = TimeSpan.FromMinutes(Math.Max(options.MinIntervalMinutes, options.MaxIntervalMinutes));
        var dates = entryDates.OrderDescending().Take(10).ToList();
        TimeSpan? estimate = null;
        if (dates.Count >= 2)
        {
            var gaps = dates.Zip(dates.Skip(1), (a, b) => a - b).Where(g => g > TimeSpan.Zero).Order().ToList();
            if (gaps.Count > 0) estimate = gaps[gaps.Count / 2] / 4;
        }
        var interval = estimate ?? (previous > TimeSpan.Zero ? previous : min);
        if (!sawNew && previous > TimeSpan.Zero) interval = Max(interval, previous * 1.5);
        return interval < min ? min : interval > max ? max : interval;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    public static FeedCursor After(DateTimeOffset now, TimeSpan interval, string? newest) =>
        new() { IntervalMinutes = Math.Round(interval.TotalMinutes, 1), DueAt = ItemDates.Format(now + interval), Newest = newest };
}

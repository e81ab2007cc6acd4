using System.ComponentModel.DataAnnotations;

namespace HotTopics.Harvesting.Feeds;

/// <summary>Blog and news feeds: how often they are looked at.</summary>
public sealed class FeedOptions
{
    public const string Section = "Feeds";

    /// <summary>
    /// The Quartz cron schedule new feed sources get (seconds first): the tick at which a feed is considered. Whether
    /// it is fetched then depends on its adaptive interval (see <see cref="FeedPolling"/>).
    /// </summary>
    [Required]
    public string Schedule { get; set; } = "0 0/15 * * * ?";

    /// <summary>A feed that posts often is polled at most this often...</summary>
    [Range(1, 10_080)]
    public int MinIntervalMinutes { get; set; } = 30;

    /// <summary>...and one that rarely posts at least this often.</summary>
    [Range(1, 10_080)]
    public int MaxIntervalMinutes { get; set; } = 24 * 60;

    /// <summary>A feed whose harvest failed this many times in a row is marked failing (it is still retried, with back-off).</summary>
    [Range(1, 1_000)]
    public int FailingAfterFailures { get; set; } = 3;

    public bool IsFailing(Sources.Source source) => source.ConsecutiveFailures >= FailingAfterFailures;

    /// <summary>Candidate URLs tried when discovering a site's feed (announced links first, then the usual paths).</summary>
    [Range(1, 20)]
    public int MaxDiscoveryFetches { get; set; } = 8;

    /// <summary>
    /// New posts whose entry has no summary get one from their page's metadata (description, authors, date); at most
    /// this many pages are fetched per run, politely, so a feed of bare links does not turn into a crawl.
    /// </summary>
    [Range(0, 100)]
    public int MaxPageFetchesPerRun { get; set; } = 10;

    /// <summary>The longest summary stored for a post (the search index reads it; the full body is kept separately).</summary>
    [Range(200, 100_000)]
    public int MaxSummaryCharacters { get; set; } = 2_000;
}

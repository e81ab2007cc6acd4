using System.ComponentModel.DataAnnotations;

namespace HotTopics.Harvesting;

/// <summary>How HotTopics behaves as a client of other people's servers, and how it retries failed sources.</summary>
public sealed class HarvestingOptions
{
    public const string Section = "Harvesting";

    /// <summary>Product token of the User-Agent header.</summary>
    [Required]
    public string UserAgent { get; set; } = "HotTopics/1.0";

    /// <summary>Who to write to about our requests: arXiv and feed owners ask harvesters to name a contact.</summary>
    [Required, EmailAddress]
    public string ContactEmail { get; set; } = "hottopics@example.org";

    /// <summary>Least time between two requests to one host when the caller does not ask for more.</summary>
    [Range(0, 600_000)]
    public int DefaultDelayMs { get; set; } = 1_000;

    /// <summary>Time for one attempt, headers and body together: a slow body fails the attempt.</summary>
    [Range(1, 3_600)]
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Attempts per request (5xx, 429, timeouts and broken connections are retried; others are not).</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First back-off between attempts; doubles each time, with jitter.</summary>
    [Range(0, 600_000)]
    public int RetryBaseDelayMs { get; set; } = 2_000;

    /// <summary>A Retry-After longer than this fails the request instead of waiting.</summary>
    [Range(0, 86_400)]
    public int MaxRetryAfterSeconds { get; set; } = 600;

    /// <summary>Bodies larger than this are refused (read with a cap, never buffered whole).</summary>
    [Range(1_024, 1L << 31)]
    public long MaxResponseBytes { get; set; } = 32L << 20;

    /// <summary>Characters one XML document may have (SafeXml).</summary>
    [Range(1_024, 1L << 31)]
    public long MaxXmlCharacters { get; set; } = 64L << 20;

    /// <summary>
    /// Whether requests may go to loopback, private or link-local addresses. Off in production, so a submitted
    /// URL cannot reach the server's own network; tests that serve on 127.0.0.1 turn it on.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>After a failed run the source waits this long, doubling with each failure in a row...</summary>
    [Range(1, 10_080)]
    public int FailureBackoffMinutes { get; set; } = 15;

    /// <summary>...up to this.</summary>
    [Range(1, 10_080)]
    public int FailureBackoffMaxMinutes { get; set; } = 24 * 60;

    /// <summary>The back-off after <paramref name="failures"/> failures in a row.</summary>
    public TimeSpan FailureBackoff(int failures) =>
        TimeSpan.FromMinutes(Math.Min(FailureBackoffMaxMinutes, FailureBackoffMinutes * Math.Pow(2, Math.Clamp(failures - 1, 0, 20))));
}

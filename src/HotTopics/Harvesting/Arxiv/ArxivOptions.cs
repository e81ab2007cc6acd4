using System.ComponentModel.DataAnnotations;

namespace HotTopics.Harvesting.Arxiv;

/// <summary>Where arXiv is, how politely to ask it, and which categories the community follows.</summary>
public sealed class ArxivOptions
{
    public const string Section = "Arxiv";

    [Required, Url]
    public string OaiBaseUrl { get; set; } = "https://oaipmh.arxiv.org/oai";

    [Required, Url]
    public string ApiBaseUrl { get; set; } = "https://export.arxiv.org/api/query";

    /// <summary>The RSS service; the source's URL is this plus the categories joined with '+'.</summary>
    [Required, Url]
    public string RssBaseUrl { get; set; } = "https://rss.arxiv.org/rss/";

    /// <summary>arXiv asks automated clients for one request every 3 seconds; 0 is allowed for tests and benchmarks.</summary>
    [Range(0, 600)]
    public double DelaySeconds { get; set; } = 3;

    /// <summary>The machine-learning categories followed when configuration names none.</summary>
    public static readonly IReadOnlyList<string> DefaultCategories = ["cs.LG", "cs.CL", "cs.CV", "cs.AI", "cs.NE", "cs.IR", "cs.SD", "eess.AS", "stat.ML"];

    /// <summary>
    /// Papers in none of these categories are not stored (OAI sets are whole archives). Empty by default, meaning
    /// <see cref="DefaultCategories"/>: configuration binding appends to a non-empty default array, so a configured
    /// list could never drop a default category.
    /// </summary>
    public string[] Categories { get; set; } = [];

    /// <summary>The categories in force: the configured ones, or the defaults.</summary>
    public IReadOnlyList<string> Followed => Categories.Length > 0 ? Categories : DefaultCategories;

    /// <summary>OAI-PMH metadata format: arXivRaw (versions with dates) or arXiv (created/updated dates, structured authors).</summary>
    [RegularExpression("^(arXivRaw|arXiv)$")]
    public string MetadataPrefix { get; set; } = "arXivRaw";

    /// <summary>The first OAI-PMH harvest of a source starts this many days back.</summary>
    [Range(0, 36_500)]
    public int InitialDays { get; set; } = 7;

    /// <summary>Results per Atom API request (arXiv allows up to 2,000; smaller pages resume sooner).</summary>
    [Range(1, 2_000)]
    public int ApiPageSize { get; set; } = 100;

    /// <summary>Quartz cron (seconds first, in Jobs:TimeZone). OAI-PMH is updated after the evening announcement.</summary>
    public string? OaiSchedule { get; set; } = "0 30 6 * * ?";

    /// <summary>The RSS feeds are rebuilt at midnight US Eastern, Sunday to Thursday.</summary>
    public string? RssSchedule { get; set; } = "0 15 7 ? * MON-FRI";

    /// <summary>The API source is for backfills (<c>harvest arxiv-api --from ... --until ...</c>); no schedule by default.</summary>
    public string? ApiSchedule { get; set; }

    public bool OaiEnabled { get; set; } = true;
    public bool RssEnabled { get; set; } = true;
    public bool ApiEnabled { get; set; } = true;

    public TimeSpan Delay => TimeSpan.FromSeconds(DelaySeconds);
}

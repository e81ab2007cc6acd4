using System.Text.Json;

namespace HotTopics.Harvesting.Sources;

/// <summary>The kinds of source; each is handled by one <see cref="ISourceHarvester"/>.</summary>
public static class SourceKind
{
    public const string ArxivOai = "arxiv-oai";
    public const string ArxivApi = "arxiv-api";
    public const string ArxivRss = "arxiv-rss";
    public const string Feed = "feed";
}

/// <summary>A row of the <c>sources</c> table: what to fetch, from where, and how the last attempts went.</summary>
public sealed class Source
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Url { get; init; } = "";
    /// <summary>Kind-specific settings as JSON (the arXiv sources read theirs as <c>ArxivSettings</c>).</summary>
    public string Settings { get; init; } = "{}";
    public bool Enabled { get; init; }
    /// <summary>Quartz cron expression (seconds first); null when the source only runs on demand.</summary>
    public string? Schedule { get; init; }
    public bool FromConfig { get; init; }
    /// <summary>Kind-specific resume position as JSON, committed with the items it produced.</summary>
    public string? Cursor { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    public string? LastAttemptAt { get; init; }
    public string? LastSuccessAt { get; init; }
    public string? LastError { get; init; }
    public int ConsecutiveFailures { get; init; }
    public string? NextAttemptAt { get; init; }
    public string CreatedAt { get; init; } = "";
    public string UpdatedAt { get; init; } = "";

    /// <summary>The job's name in the run history (in Quartz: the source's name in the group "harvest").</summary>
    public string JobName => "harvest:" + Name;
}

internal static class SourceJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}

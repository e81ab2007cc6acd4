using HotTopics.Harvesting.Sources;

namespace HotTopics.Harvesting;

/// <summary>
/// Fetches one kind of source (<see cref="SourceKind"/>). <see cref="Harvester"/> picks the implementation by
/// <see cref="Kind"/>, records the run and the source's state; the implementation fetches through
/// <see cref="PoliteHttp"/>, reads XML through <see cref="SafeXml"/> and stores every page with
/// <see cref="HarvestContext.CommitPageAsync"/>, which writes the items and the cursor in one transaction.
/// A failure is thrown (<see cref="HarvestException"/> or <see cref="FetchException"/> with a message for people):
/// pages committed before it stay, the cursor points after them.
/// </summary>
public interface ISourceHarvester
{
    string Kind { get; }

    /// <summary>
    /// Before this instant a scheduled run has nothing worth fetching (a feed's adaptive polling interval): the
    /// schedule's tick is skipped without a run. Null: whenever the schedule fires. Manual runs ignore it.
    /// </summary>
    DateTimeOffset? DueAt(Source source) => null;

    Task HarvestAsync(HarvestContext context, CancellationToken ct);
}

/// <summary>A harvest that cannot go on; the message is what the sources page and the CLI show.</summary>
public sealed class HarvestException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>An optional date window for a harvest (CLI <c>--from</c>/<c>--until</c>, inclusive days).</summary>
public sealed record HarvestWindow(DateOnly? From, DateOnly? Until)
{
    public static readonly HarvestWindow None = new(null, null);

    public bool IsEmpty => From is null && Until is null;
}

/// <summary>Progress of a run: pages and items so far, and what the harvester is doing.</summary>
public sealed record HarvestProgress(int Pages, int ItemsNew, int ItemsUpdated, int ItemsUnchanged, string Message);

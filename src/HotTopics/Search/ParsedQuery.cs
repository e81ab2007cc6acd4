namespace HotTopics.Search;

/// <summary>
/// A query in a form the index can run: an FTS5 MATCH expression built only from quoted tokens and operators
/// (user text never reaches FTS5 unescaped), plus filters applied beside it.
/// </summary>
public sealed class ParsedQuery
{
    /// <summary>FTS5 MATCH expression; null when the query only filters (browse mode).</summary>
    public string? Match { get; init; }

    /// <summary>
    /// The same query, restricted to items where one of its words or phrases is in the title: the candidate set
    /// ranked first when the whole match is too large to rank (see <see cref="SearchIndex"/>). Null when no word
    /// can match through the title (only authors or categories).
    /// </summary>
    public string? TitleMatch { get; init; }

    /// <summary>The phrases of <see cref="Match"/> that can match, each with its column filter: what bm25 sums over.</summary>
    public IReadOnlyList<string> Phrases { get; init; } = [];

    /// <summary>Published on or after this day (inclusive).</summary>
    public DateOnly? From { get; init; }

    /// <summary>Published before this day (exclusive).</summary>
    public DateOnly? Until { get; init; }

    public IReadOnlyList<string> Kinds { get; init; } = [];

    /// <summary>topic: filters (keys of the taxonomy); every one must hold.</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>Set by the search service for filters kept outside the index (topics): the items it lets through.</summary>
    internal Func<int, bool>? ItemFilter { get; set; }

    public bool HasText => Match is not null;
}

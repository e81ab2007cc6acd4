namespace HotTopics.Search;

/// <summary>
/// A query in a form the index can run: an FTS5 MATCH expression built only from quoted tokens and operators
/// (user text never reaches FTS5 unescaped), plus filters applied beside it.
/// </summary>
public sealed class ParsedQuery
{
    /// <summary>FTS5 MATCH expression; null when the query only filters (browse mode).</summary>
    public string? Match { get; init; }

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

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

    public bool HasText => Match is not null;
}

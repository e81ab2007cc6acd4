namespace HotTopics.Items;

/// <summary>
/// What a source knows about one item: an import line, a harvested record, a feed entry. The store merges it
/// into the item with the same key (<see cref="ItemStore"/>).
/// </summary>
public sealed class ItemRecord
{
    public required string Key { get; init; }
    public required string Kind { get; init; }
    public required string Title { get; init; }
    public string Summary { get; init; } = "";
    public IReadOnlyList<string> Authors { get; init; } = [];
    /// <summary>Primary category first when the source knows it.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];
    public string? Comment { get; init; }
    public string? JournalRef { get; init; }
    public string? Doi { get; init; }
    public string? License { get; init; }
    public string? ArxivId { get; init; }
    public int? Version { get; init; }
    public string? Url { get; init; }
    public string? PdfUrl { get; init; }
    public required string Source { get; init; }
    /// <summary>First submitted (papers) or first published (posts).</summary>
    public required DateTimeOffset Published { get; init; }
    /// <summary>Last updated: the date of the newest version.</summary>
    public DateTimeOffset? Updated { get; init; }

    /// <summary>A paper record keyed by its arXiv id.</summary>
    public static string PaperKey(ArxivId id) => id.ItemKey;
}

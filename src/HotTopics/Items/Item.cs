using System.Text.Json;

namespace HotTopics.Items;

/// <summary>A stored item as the pages, the API and the features read it.</summary>
public sealed class Item
{
    public long Id { get; init; }
    public string ItemKey { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Title { get; init; } = "";
    public string Summary { get; init; } = "";
    public string Authors { get; init; } = "[]";
    public string Categories { get; init; } = "";
    public string? Comment { get; init; }
    public string? JournalRef { get; init; }
    public string? Doi { get; init; }
    public string? License { get; init; }
    public string? ArxivId { get; init; }
    public int? Version { get; init; }
    public string? Url { get; init; }
    public string? PdfUrl { get; init; }
    public string Source { get; init; } = "";
    public string Published { get; init; } = "";
    public string? Updated { get; init; }
    public string CreatedAt { get; init; } = "";
    public string UpdatedAt { get; init; } = "";

    /// <summary>The id people and the API use: the arXiv id for papers, the number for everything else.</summary>
    public string PublicId => ArxivId ?? Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public IReadOnlyList<string> AuthorList => ItemJson.ReadStrings(Authors);

    public IReadOnlyList<string> CategoryList => Categories.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public DateTimeOffset PublishedAt => ItemDates.Parse(Published);
}

internal static class ItemJson
{
    public static string WriteStrings(IReadOnlyList<string> values) => JsonSerializer.Serialize(values, ItemJsonContext.Default.IReadOnlyListString);

    public static IReadOnlyList<string> ReadStrings(string json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, ItemJsonContext.Default.IReadOnlyListString) ?? [];
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class ItemJsonContext : System.Text.Json.Serialization.JsonSerializerContext;

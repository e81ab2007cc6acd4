using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace HotTopics.Items;

/// <summary>
/// Reads the arXiv JSON Lines format of the shared corpus (id, title, summary, authors, categories, comment, abs,
/// pdf, listing_date), plain or gzip-compressed, one record at a time.
/// </summary>
public static class ArxivJsonl
{
    public const string SourceName = "import";

    /// <summary>One line's outcome: a record, or the reason the line was skipped.</summary>
    public readonly record struct Line(long Number, ItemRecord? Record, string? Error);

    public static Stream OpenRead(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>Streams the lines of a file; <paramref name="position"/> reports how far into the file it is (for progress).</summary>
    public static IEnumerable<Line> Read(Stream stream)
    {
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        long number = 0;
        while (reader.ReadLine() is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            yield return Parse(number, text);
        }
    }

    public static Line Parse(long number, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new Line(number, null, "not a JSON object");
            var idText = GetString(root, "id");
            if (idText is null) return new Line(number, null, "missing \"id\"");
            if (!ArxivId.TryParse(idText, out var id)) return new Line(number, null, $"\"{Truncate(idText)}\" is not an arXiv id");
            var title = Collapse(GetString(root, "title"));
            if (string.IsNullOrEmpty(title)) return new Line(number, null, "missing \"title\"");
            var dateText = GetString(root, "listing_date") ?? GetString(root, "published");
            if (dateText is null) return new Line(number, null, "missing \"listing_date\"");
            if (!DateTime.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return new Line(number, null, $"\"listing_date\" is \"{Truncate(dateText)}\", expected YYYY-MM-DD");
            var authors = GetStrings(root, "authors", out var authorsError);
            if (authorsError is not null) return new Line(number, null, authorsError);
            var categories = GetStrings(root, "categories", out var categoriesError);
            if (categoriesError is not null) return new Line(number, null, categoriesError);

            var record = new ItemRecord
            {
                Key = id.ItemKey,
                Kind = ItemKind.Paper,
                ArxivId = id.Id,
                Version = id.Version,
                Title = title,
                Summary = Collapse(GetString(root, "summary")) ?? "",
                Authors = [.. authors.Select(a => Collapse(a)!).Where(a => a.Length > 0)],
                Categories = [.. categories.Select(c => c.Trim()).Where(c => c.Length > 0 && !c.Contains(' ', StringComparison.Ordinal)).Distinct(StringComparer.Ordinal)],
                Comment = Collapse(GetString(root, "comment")),
                Url = GetString(root, "abs") ?? $"https://arxiv.org/abs/{id.Id}",
                PdfUrl = GetString(root, "pdf") ?? $"https://arxiv.org/pdf/{id.Id}",
                Source = SourceName,
                Published = new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc)),
            };
            return new Line(number, record, null);
        }
        catch (JsonException ex)
        {
            return new Line(number, null, $"invalid JSON ({ex.Message.Split([" Path:", " LineNumber:"], StringSplitOptions.None)[0].TrimEnd('.', ' ', '|')})");
        }
        catch (InvalidOperationException ex)
        {
            return new Line(number, null, $"unexpected value type ({ex.Message})");
        }
    }

    private static string? GetString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> GetStrings(JsonElement root, string name, out string? error)
    {
        error = null;
        var list = new List<string>();
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return list;
        if (value.ValueKind != JsonValueKind.Array)
        {
            error = $"\"{name}\" must be a list of strings";
            return list;
        }
        foreach (var element in value.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                error = $"\"{name}\" must be a list of strings";
                return list;
            }
            list.Add(element.GetString()!);
        }
        return list;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>arXiv hard-wraps titles and abstracts; one space between words reads and indexes the same.</summary>
    internal static string? Collapse(string? text)
    {
        if (text is null) return null;
        var sb = new System.Text.StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }
}

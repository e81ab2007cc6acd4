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

    /// <summary>
    /// Streams the lines of a file as UTF-8 bytes (no string per line, no document per record): a million-line import
    /// spends its CPU on the index, not on the parser.
    /// </summary>
    public static IEnumerable<Line> Read(Stream stream)
    {
        using var owned = stream;
        var buffer = new byte[1 << 16];
        int start = 0, end = 0;
        var eof = false;
        long number = 0;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline < 0 && !eof)
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var read = stream.Read(buffer, end, buffer.Length - end);
                if (read == 0) eof = true;
                end += read;
                continue;
            }
            if (newline < 0 && start == end) yield break;
            var lineEnd = newline < 0 ? end : newline;
            number++;
            var line = ParseLine(number, buffer, start, lineEnd);
            start = newline < 0 ? end : newline + 1;
            if (line is { } parsed) yield return parsed;
        }
    }

    /// <summary>One line of bytes; null when it is blank. A byte-order mark before the first line is ignored.</summary>
    private static Line? ParseLine(long number, byte[] buffer, int start, int end)
    {
        var span = buffer.AsSpan(start, end - start);
        if (number == 1 && span.StartsWith("\uFEFF"u8)) span = span[3..];
        span = span.TrimEnd((byte)'\r');
        if (span.Trim(" \t\r\n\f\v"u8).IsEmpty) return null;
        return Parse(number, span);
    }

    private static Line Parse(long number, ReadOnlySpan<byte> utf8)
    {
        // Bytes that are not UTF-8 read as U+FFFD, as a text reader would: the rest of the record still imports.
        if (!System.Text.Unicode.Utf8.IsValid(utf8)) utf8 = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(utf8));
        Fields fields;
        try
        {
            if (!TryReadFields(utf8, out fields)) return new Line(number, null, "not a JSON object");
        }
        catch (JsonException ex)
        {
            return new Line(number, null, $"invalid JSON ({ex.Message.Split([" Path:", " LineNumber:"], StringSplitOptions.None)[0].TrimEnd('.', ' ', '|')})");
        }
        var idText = fields.Id;
        if (idText is null) return new Line(number, null, "missing \"id\"");
        if (!ArxivId.TryParse(idText, out var id)) return new Line(number, null, $"\"{Truncate(idText)}\" is not an arXiv id");
        var title = Collapse(fields.Title);
        if (string.IsNullOrEmpty(title)) return new Line(number, null, "missing \"title\"");
        var dateText = fields.ListingDate ?? fields.Published;
        if (dateText is null) return new Line(number, null, "missing \"listing_date\"");
        if (!DateTime.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return new Line(number, null, $"\"listing_date\" is \"{Truncate(dateText)}\", expected YYYY-MM-DD");
        if (fields.Authors is null) return new Line(number, null, "\"authors\" must be a list of strings");
        if (fields.Categories is null) return new Line(number, null, "\"categories\" must be a list of strings");

        var record = new ItemRecord
        {
            Key = id.ItemKey,
            Kind = ItemKind.Paper,
            ArxivId = id.Id,
            Version = id.Version,
            Title = title,
            Summary = Collapse(fields.Summary) ?? "",
            Authors = [.. fields.Authors.Select(a => Collapse(a)!).Where(a => a.Length > 0)],
            Categories = [.. fields.Categories.Select(c => c.Trim()).Where(c => c.Length > 0 && !c.Contains(' ', StringComparison.Ordinal)).Distinct(StringComparer.Ordinal)],
            Comment = Collapse(fields.Comment),
            Url = fields.Abs ?? $"https://arxiv.org/abs/{id.Id}",
            PdfUrl = fields.Pdf ?? $"https://arxiv.org/pdf/{id.Id}",
            Source = SourceName,
            Published = new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc)),
        };
        return new Line(number, record, null);
    }

    /// <summary>The fields a record uses; a field of the wrong type reads as missing, a list that is not one of strings as null.</summary>
    private struct Fields
    {
        public string? Id, Title, Summary, Comment, Abs, Pdf, ListingDate, Published;
        public List<string>? Authors, Categories;
    }

    /// <summary>Reads the one JSON value of a line (throws <see cref="JsonException"/> when it is not valid JSON); false when it is not an object.</summary>
    private static bool TryReadFields(ReadOnlySpan<byte> utf8, out Fields fields)
    {
        fields = new Fields { Authors = [], Categories = [] };
        var reader = new Utf8JsonReader(utf8, isFinalBlock: true, state: default);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            while (reader.Read()) { }
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8)) fields.Id = ReadString(ref reader);
            else if (reader.ValueTextEquals("title"u8)) fields.Title = ReadString(ref reader);
            else if (reader.ValueTextEquals("summary"u8)) fields.Summary = ReadString(ref reader);
            else if (reader.ValueTextEquals("comment"u8)) fields.Comment = ReadString(ref reader);
            else if (reader.ValueTextEquals("abs"u8)) fields.Abs = ReadString(ref reader);
            else if (reader.ValueTextEquals("pdf"u8)) fields.Pdf = ReadString(ref reader);
            else if (reader.ValueTextEquals("listing_date"u8)) fields.ListingDate = ReadString(ref reader);
            else if (reader.ValueTextEquals("published"u8)) fields.Published = ReadString(ref reader);
            else if (reader.ValueTextEquals("authors"u8)) fields.Authors = ReadStrings(ref reader);
            else if (reader.ValueTextEquals("categories"u8)) fields.Categories = ReadStrings(ref reader);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        while (reader.Read()) { }
        return true;
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String) return reader.GetString();
        reader.Skip();
        return null;
    }

    private static List<string>? ReadStrings(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return [];
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }
        var list = new List<string>();
        var allStrings = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String) list.Add(reader.GetString()!);
            else
            {
                allStrings = false;
                reader.Skip();
            }
        }
        return allStrings ? list : null;
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

using System.Text;

namespace HotTopics.Harvesting.Feeds;

/// <summary>Bytes as they came off the wire, decoded to text with the encoding that fits them.</summary>
public sealed record DecodedText(string Text, string Encoding, string? Problem);

/// <summary>
/// Picks a document's encoding the way lenient feed readers do: a byte order mark wins; then the HTTP charset,
/// then the XML declaration (or an HTML meta charset), then UTF-8. Real feeds lie, so the choice is checked
/// against the bytes: valid multi-byte UTF-8 under a single-byte label is UTF-8, and bytes that are not valid
/// in the chosen encoding fall back to the other label or windows-1252 (a superset of ISO-8859-1, as browsers do).
/// </summary>
public static class FeedDecoder
{
    /// <summary>windows-1252, the superset of ISO-8859-1 that 8-bit Western text really is.</summary>
    internal static readonly Encoding Windows1252;

    // The legacy code pages (windows-1251, KOI8-R, Big5, ...) are not in .NET until this provider is registered;
    // a static constructor, so it runs before any member is used.
    static FeedDecoder()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Windows1252 = Encoding.GetEncoding(1252);
    }

    public static DecodedText Decode(ReadOnlySpan<byte> bytes, string? contentType = null)
    {
        if (TryBom(bytes, out var bomEncoding, out var bomLength))
        {
            return new DecodedText(Read(bomEncoding, bytes[bomLength..]), Name(bomEncoding), null);
        }
        if (SniffUtf16Or32(bytes) is { } wide) return new DecodedText(Read(wide, bytes), Name(wide), null);

        var httpCharset = CharsetFromContentType(contentType);
        var declared = DeclaredCharset(bytes);
        var validUtf8 = IsValidUtf8(bytes, out var hasMultiByte);
        // RFC 3023: text/xml without a charset is US-ASCII whatever the declaration says. Real servers send text/xml
        // for UTF-8 and Latin-1 feeds all the time, so the rule is only taken at its word when the bytes are ASCII.
        if (httpCharset is null && !hasMultiByte && IsTextXml(contentType)) return new DecodedText(Read(Encoding.ASCII, bytes), "us-ascii", null);
        var label = httpCharset ?? declared;
        var chosen = label is null ? null : Lookup(label);
        string? problem = null;
        if (label is not null && chosen is null) problem = $"unknown encoding '{label}'";
        if (chosen is null && httpCharset is not null && declared is not null) chosen = Lookup(declared);

        if (chosen is null || chosen.CodePage == Encoding.UTF8.CodePage)
        {
            if (validUtf8) return new DecodedText(Read(Encoding.UTF8, bytes), "utf-8", problem);
            // Declared (or assumed) UTF-8 but the bytes say otherwise: try the other label, then windows-1252.
            var other = httpCharset is not null && declared is not null ? Lookup(declared) : null;
            var fallback = other is not null && other.CodePage != Encoding.UTF8.CodePage ? other : Windows1252;
            problem ??= label is null ? null : $"the document is not valid {label}; read as {Name(fallback)}";
            return new DecodedText(Read(Superset(fallback), bytes), Name(fallback), problem);
        }
        // Non-ASCII text that is valid UTF-8 is UTF-8 whatever the label says: other encodings almost never produce it.
        if (hasMultiByte && validUtf8 && chosen.CodePage is not (1200 or 1201 or 12000 or 12001))
        {
            return new DecodedText(Read(Encoding.UTF8, bytes), "utf-8", problem ?? $"declared {label} but the bytes are UTF-8");
        }
        if (chosen.CodePage is 1200 or 1201 or 12000 or 12001)
        {
            // A 16/32-bit label on 8-bit bytes (no BOM, no zero bytes): the label is wrong.
            return new DecodedText(Read(validUtf8 ? Encoding.UTF8 : Windows1252, bytes), validUtf8 ? "utf-8" : "windows-1252", $"declared {label} but the bytes are 8-bit");
        }
        if (chosen.CodePage == 20127 && hasMultiByte) chosen = Windows1252;
        var superset = Superset(chosen);
        return new DecodedText(Read(superset, bytes), Name(superset == chosen || superset.CodePage == 1252 ? chosen : superset), problem);
    }

    /// <summary>
    /// Labels are read as the superset real documents use (as browsers and feedparser do): ISO-8859-1 as
    /// windows-1252 (curly quotes, the euro sign), GB2312 as GB18030.
    /// </summary>
    private static Encoding Superset(Encoding e) => e.CodePage switch
    {
        28591 => Windows1252,
        936 => Encoding.GetEncoding(54936),
        _ => e,
    };

    private static bool IsTextXml(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var media = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return media.StartsWith("text/", StringComparison.Ordinal) && media.EndsWith("xml", StringComparison.Ordinal);
    }

    public static string? CharsetFromContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return null;
        foreach (var part in contentType.Split(';').Skip(1))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || !part[..eq].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase)) continue;
            var value = part[(eq + 1)..].Trim().Trim('"', '\'').Trim();
            return value.Length == 0 ? null : value;
        }
        return null;
    }

    /// <summary>The encoding named by an XML declaration or an HTML meta charset in the first bytes.</summary>
    private static string? DeclaredCharset(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 4096)]);
        if (head.StartsWith("<?xml", StringComparison.Ordinal))
        {
            var end = head.IndexOf("?>", StringComparison.Ordinal);
            var decl = end < 0 ? head : head[..end];
            return AttributeValue(decl, "encoding");
        }
        var meta = head.IndexOf("charset=", StringComparison.OrdinalIgnoreCase);
        if (meta < 0) return null;
        var rest = head[(meta + 8)..].TrimStart('"', '\'', ' ');
        var stop = rest.IndexOfAny(['"', '\'', ' ', ';', '>', '/']);
        var value = stop < 0 ? rest : rest[..stop];
        return value.Length == 0 ? null : value;
    }

    private static string? AttributeValue(string text, string name)
    {
        var i = text.IndexOf(name, StringComparison.Ordinal);
        if (i < 0) return null;
        var eq = text.IndexOf('=', i + name.Length);
        if (eq < 0) return null;
        var rest = text[(eq + 1)..].TrimStart();
        if (rest.Length == 0 || (rest[0] != '"' && rest[0] != '\'')) return null;
        var close = rest.IndexOf(rest[0], 1);
        return close < 0 ? null : rest[1..close].Trim();
    }

    public static Encoding? Lookup(string label)
    {
        var name = label.Trim().ToLowerInvariant() switch
        {
            "iso8859-1" or "latin1" or "latin-1" or "iso_8859-1" => "iso-8859-1",
            "utf8" => "utf-8",
            "gb2312" or "gbk" or "x-gbk" => "gb2312",
            "x-sjis" or "shift-jis" or "sjis" => "shift_jis",
            "us-ascii" or "ascii" => "us-ascii",
            var other => other,
        };
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool TryBom(ReadOnlySpan<byte> b, out Encoding encoding, out int length)
    {
        (encoding, length) = b switch
        {
            [0xEF, 0xBB, 0xBF, ..] => ((Encoding)Encoding.UTF8, 3),
            [0x00, 0x00, 0xFE, 0xFF, ..] => (new UTF32Encoding(true, false), 4),
            [0xFF, 0xFE, 0x00, 0x00, ..] => (new UTF32Encoding(false, false), 4),
            [0xFE, 0xFF, ..] => (Encoding.BigEndianUnicode, 2),
            [0xFF, 0xFE, ..] => (Encoding.Unicode, 2),
            _ => (Encoding.UTF8, 0),
        };
        return length > 0;
    }

    /// <summary>UTF-16/32 without a BOM announce themselves by the zero bytes around the first '&lt;'.</summary>
    private static Encoding? SniffUtf16Or32(ReadOnlySpan<byte> b) => b switch
    {
        [0x00, 0x00, 0x00, 0x3C, ..] => new UTF32Encoding(true, false),
        [0x3C, 0x00, 0x00, 0x00, ..] => new UTF32Encoding(false, false),
        [0x00, 0x3C, ..] => Encoding.BigEndianUnicode,
        [0x3C, 0x00, ..] => Encoding.Unicode,
        _ => null,
    };

    private static bool IsValidUtf8(ReadOnlySpan<byte> bytes, out bool hasMultiByte)
    {
        hasMultiByte = bytes.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) >= 0;
        return !hasMultiByte || System.Text.Unicode.Utf8.IsValid(bytes);
    }

    private static string Read(Encoding encoding, ReadOnlySpan<byte> bytes)
    {
        var text = encoding.GetString(bytes);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    private static string Name(Encoding e) => e.CodePage switch
    {
        65001 => "utf-8",
        1200 => "utf-16le",
        1201 => "utf-16be",
        12000 => "utf-32le",
        12001 => "utf-32be",
        54936 => "gb18030",
        _ => e.WebName,
    };
}

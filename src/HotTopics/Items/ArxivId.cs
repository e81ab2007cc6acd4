using System.Globalization;
using System.Text.RegularExpressions;

namespace HotTopics.Items;

/// <summary>An arXiv identifier without its version (2401.01234, cs/0112017) plus the version when one was given.</summary>
public readonly partial record struct ArxivId(string Id, int? Version)
{
    // New scheme since 2007: YYMM.NNNN (4 digits until 2014, 5 after). Old scheme: archive[.SC]/YYMMNNN.
    [GeneratedRegex(@"^(?:arxiv:)?(?<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Za-z]{2})?/\d{7})(?:v(?<v>\d{1,3}))?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out ArxivId id)
    {
        id = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var m = Pattern().Match(text.Trim());
        if (!m.Success) return false;
        var raw = m.Groups["id"].Value;
        var slash = raw.IndexOf('/', StringComparison.Ordinal);
        // Archive names are lower case (cs, hep-th); the subject class after the dot is upper case (math.GT/...).
        var normalized = slash < 0 ? raw : NormalizeOldStyle(raw, slash);
        int? version = m.Groups["v"].Success ? int.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture) : null;
        id = new ArxivId(normalized, version);
        return true;
    }

    private static string NormalizeOldStyle(string raw, int slash)
    {
        var archive = raw[..slash];
        var dot = archive.IndexOf('.', StringComparison.Ordinal);
        archive = dot < 0
            ? archive.ToLowerInvariant()
            : string.Concat(archive[..dot].ToLowerInvariant(), ".", archive[(dot + 1)..].ToUpperInvariant());
        return archive + raw[slash..];
    }

    /// <summary>The identity key of the paper's item.</summary>
    public string ItemKey => "arxiv:" + Id;

    public override string ToString() => Version is { } v ? $"{Id}v{v.ToString(CultureInfo.InvariantCulture)}" : Id;
}

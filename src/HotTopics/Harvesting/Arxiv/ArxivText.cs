using System.Globalization;
using System.Text;
using HotTopics.Items;

namespace HotTopics.Harvesting.Arxiv;

/// <summary>What every arXiv route needs: author lists in order, dates, and the item record of a paper.</summary>
public static class ArxivText
{
    /// <summary>
    /// Splits arXiv's free-text author list ("A. Smith, B. Jones (MIT), and C. Lee") into names in order:
    /// commas, semicolons and "and" separate names; affiliations in parentheses are dropped.
    /// </summary>
    public static IReadOnlyList<string> SplitAuthors(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var names = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        var collapsed = ArxivJsonl.Collapse(text)!;
        for (var i = 0; i < collapsed.Length; i++)
        {
            var c = collapsed[i];
            if (c == '(') { depth++; continue; }
            if (c == ')') { depth = Math.Max(0, depth - 1); continue; }
            if (depth > 0) continue;
            if (c is ',' or ';')
            {
                Flush(names, current);
                continue;
            }
            if (c == ' ' && string.CompareOrdinal(collapsed, i, " and ", 0, 5) == 0)
            {
                Flush(names, current);
                i += 4;
                continue;
            }
            current.Append(c);
        }
        Flush(names, current);
        return names;
    }

    private static void Flush(List<string> names, StringBuilder current)
    {
        var name = current.ToString().Trim();
        if (name.StartsWith("and ", StringComparison.Ordinal)) name = name[4..].Trim();
        if (name.Length > 0) names.Add(name);
        current.Clear();
    }

    /// <summary>RFC 1123 ("Tue, 3 Apr 2007 22:04:11 GMT"), RFC 822 with an offset, ISO 8601 or a bare day.</summary>
    public static DateTimeOffset? ParseDate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;
    }

    /// <summary>The item record of a paper; the first category is the primary one.</summary>
    public static ItemRecord Paper(ArxivId id, string title, string? summary, IReadOnlyList<string> authors, IEnumerable<string> categories,
        string? comment, string? journalRef, string? doi, string? license, DateTimeOffset published, DateTimeOffset? updated, string source) => new()
    {
        Key = id.ItemKey,
        Kind = ItemKind.Paper,
        ArxivId = id.Id,
        Version = id.Version,
        Title = ArxivJsonl.Collapse(title)!,
        Summary = ArxivJsonl.Collapse(summary) ?? "",
        Authors = authors,
        Categories = [.. categories.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal)],
        Comment = Blank(ArxivJsonl.Collapse(comment)),
        JournalRef = Blank(ArxivJsonl.Collapse(journalRef)),
        // arXiv lists several DOIs (article and erratum) separated by spaces: the first is the article's.
        Doi = Blank(doi?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()),
        License = Blank(license?.Trim()),
        Url = $"https://arxiv.org/abs/{id.Id}",
        PdfUrl = $"https://arxiv.org/pdf/{id.Id}",
        Source = source,
        Published = published,
        Updated = updated,
    };

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}

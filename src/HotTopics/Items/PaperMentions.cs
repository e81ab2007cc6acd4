using System.Text.RegularExpressions;

namespace HotTopics.Items;

/// <summary>The papers a text talks about: arXiv ids and DOIs in titles, summaries, HTML content and URLs.</summary>
public sealed record PaperMentions(IReadOnlyList<ArxivId> Arxiv, IReadOnlyList<string> Dois)
{
    public bool IsEmpty => Arxiv.Count == 0 && Dois.Count == 0;

    /// <summary>Every arXiv id (without version, first mention first) and every DOI that is not an arXiv DOI.</summary>
    public static PaperMentions Find(string? text)
    {
        if (string.IsNullOrEmpty(text)) return new PaperMentions([], []);
        var ids = new List<ArxivId>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string raw)
        {
            if (ArxivId.TryParse(raw, out var id) && seen.Add(id.Id)) ids.Add(id);
        }
        foreach (Match m in PaperPatterns.Explicit().Matches(text)) Add(m.Groups["id"].Value);
        foreach (Match m in PaperPatterns.Bare().Matches(text))
        {
            if (PlausibleNewStyle(m.Groups["id"].Value)) Add(m.Groups["id"].Value);
        }
        var dois = new List<string>();
        foreach (var doi in FindDois(text))
        {
            // arXiv's own DOIs (10.48550/arXiv.2401.01234) are arXiv ids.
            if (doi.StartsWith("10.48550/arxiv.", StringComparison.OrdinalIgnoreCase)) Add(doi[15..]);
            else if (!dois.Contains(doi, StringComparer.OrdinalIgnoreCase)) dois.Add(doi);
        }
        return new PaperMentions(ids, dois);
    }

    public static IEnumerable<string> FindDois(string text)
    {
        foreach (Match m in PaperPatterns.Doi().Matches(text)) yield return m.Value.TrimEnd('.', ',', ';', ':', ')', ']', '"', '\'');
    }

    /// <summary>A bare 2401.01234 is only an arXiv id when YYMM is a real month since 2007 and the digit count fits it.</summary>
    private static bool PlausibleNewStyle(string id)
    {
        var yy = (id[0] - '0') * 10 + (id[1] - '0');
        var mm = (id[2] - '0') * 10 + (id[3] - '0');
        if (yy < 7 || mm is < 1 or > 12) return false;
        var digits = id.Length - id.IndexOf('.', StringComparison.Ordinal) - 1;
        return yy >= 15 ? digits == 5 : digits == 4;
    }
}

internal static partial class PaperPatterns
{
    // arxiv.org/abs|pdf|html/ID, export.arxiv.org, "arXiv:ID", "arXiv ID", and old-style archive/YYMMNNN after either.
    [GeneratedRegex(@"(?:arxiv\.org/(?:abs|pdf|html|format)/|\barxiv:\s?|\barxiv\s+)(?<id>\d{4}\.\d{4,5}(?:v\d+)?|[a-z][a-z\-]*(?:\.[A-Za-z]{2})?/\d{7}(?:v\d+)?)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex Explicit();

    [GeneratedRegex(@"(?<![\d.\w/])(?<id>\d{4}\.\d{4,5})(?:v\d+)?(?![\d]|\.\d)", RegexOptions.CultureInvariant)]
    public static partial Regex Bare();

    [GeneratedRegex(@"\b10\.\d{4,9}/[^\s""'<>&]+", RegexOptions.CultureInvariant)]
    public static partial Regex Doi();
}

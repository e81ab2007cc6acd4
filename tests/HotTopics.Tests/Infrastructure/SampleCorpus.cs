using System.Text.Json;
using System.Text.RegularExpressions;

namespace HotTopics.Tests.Infrastructure;

/// <summary>The sample papers read straight from the test file: the oracle search results are checked against.</summary>
public static class SampleCorpus
{
    public sealed record Paper(string Id, string Title, string Summary, string[] Authors, string[] Categories, string ListingDate)
    {
        public string Text => Title + " " + Summary;
    }

    public static IReadOnlyList<Paper> Papers { get; } = Load();

    private static List<Paper> Load() =>
        [.. File.ReadLines(TestFiles.Sample).Where(l => l.Length > 0).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            return new Paper(
                r.GetProperty("id").GetString()!,
                r.GetProperty("title").GetString()!,
                r.GetProperty("summary").GetString()!,
                [.. r.GetProperty("authors").EnumerateArray().Select(a => a.GetString()!)],
                [.. r.GetProperty("categories").EnumerateArray().Select(a => a.GetString()!)],
                r.GetProperty("listing_date").GetString()!);
        })];

    public static HashSet<string> Ids(Func<Paper, bool> predicate) => [.. Papers.Where(predicate).Select(p => p.Id)];

    public static bool Has(string text, string pattern) => Regex.IsMatch(text, pattern, RegexOptions.IgnoreCase);
}

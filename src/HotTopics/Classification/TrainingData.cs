using HotTopics.Items;

namespace HotTopics.Classification;

/// <summary>Labeled texts from an arXiv JSON Lines file (the format <see cref="ArxivJsonl"/> reads): title + ". " + abstract, labelled by category.</summary>
internal static class TrainingData
{
    public static string Text(string title, string summary) => title + ". " + summary;

    /// <summary>Reads every valid line; <paramref name="skipped"/> gets the line number and reason of every other one.</summary>
    public static List<LabeledText> Read(string path, List<string> skipped)
    {
        var list = new List<LabeledText>();
        using var stream = ArxivJsonl.OpenRead(path);
        foreach (var line in ArxivJsonl.Read(stream))
        {
            if (line.Record is not { } r)
            {
                skipped.Add($"{path}:{line.Number}: skipped: {line.Error}");
                continue;
            }
            list.Add(new LabeledText(r.ArxivId ?? r.Key, Text(r.Title, r.Summary), [.. r.Categories], DateOnly.FromDateTime(r.Published.UtcDateTime), [.. r.Authors], r.Comment));
        }
        return list;
    }

    /// <summary>The categories with at least <paramref name="minExamples"/> items, most frequent first.</summary>
    public static ModelLabel[] FrequentCategories(IEnumerable<LabeledText> items, int minExamples) =>
        [.. items.SelectMany(i => i.Labels).CountBy(c => c, StringComparer.Ordinal)
            .Where(p => p.Value >= minExamples)
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new ModelLabel(p.Key, p.Key))];
}

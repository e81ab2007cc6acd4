using Microsoft.Extensions.Options;

namespace HotTopics.Classification;

/// <summary>
/// The configured topics and how an item's training labels follow from them: the topics its categories imply, plus
/// those whose seed phrases occur in its text; an organizer's confirmed labels win over both.
/// </summary>
public sealed class TopicTaxonomy
{
    private readonly List<(TopicDefinition Topic, string[] Phrases)> topics;

    public TopicTaxonomy(IOptions<TopicsOptions> options) : this(options.Value.Taxonomy)
    {
    }

    internal TopicTaxonomy(IEnumerable<TopicDefinition> definitions)
    {
        topics = [.. definitions.Select(t => (t, t.SeedPhrases.Select(p => " " + string.Join(' ', TextNormalizer.Tokenize(p)) + " ").Where(p => p.Length > 2).ToArray()))];
        var duplicate = topics.GroupBy(t => t.Topic.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"topic key '{duplicate.Key}' is defined twice in the taxonomy", nameof(definitions));
    }

    public IReadOnlyList<TopicDefinition> Topics => [.. topics.Select(t => t.Topic)];

    public TopicDefinition? Find(string key) => topics.Select(t => t.Topic).FirstOrDefault(t => t.Key == key);

    internal ModelLabel[] Labels => [.. topics.Select(t => new ModelLabel(t.Topic.Key, t.Topic.Name))];

    /// <summary>
    /// An item's topics for training: implied by a category or a seed phrase, then organizer's decisions applied
    /// (<paramref name="confirmed"/>: topic key → true when they added it, false when they removed it).
    /// </summary>
    internal string[] LabelsFor(IEnumerable<string> categories, string text, IReadOnlyDictionary<string, bool>? confirmed = null)
    {
        var categoryList = categories as IReadOnlyCollection<string> ?? [.. categories];
        var words = " " + string.Join(' ', TextNormalizer.Tokenize(text)) + " ";
        var labels = new List<string>();
        foreach (var (topic, phrases) in topics)
        {
            var implied = topic.Categories.Any(pattern => categoryList.Any(c => Matches(pattern, c)))
                || phrases.Any(p => words.Contains(p, StringComparison.Ordinal));
            if (confirmed is not null && confirmed.TryGetValue(topic.Key, out var decided)) implied = decided;
            if (implied) labels.Add(topic.Key);
        }
        return [.. labels];
    }

    private static bool Matches(string pattern, string category) =>
        pattern.EndsWith(".*", StringComparison.Ordinal)
            ? category.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : string.Equals(pattern, category, StringComparison.Ordinal);
}

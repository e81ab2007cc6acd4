using HotTopics.Classification;

namespace HotTopics.Tests.Classification;

/// <summary>Normalising text, featurizing it, and deriving an item's training topics from the taxonomy.</summary>
public sealed class TextAndTaxonomyTests
{
    [Fact]
    public void Normalising_drops_LaTeX_and_math_folds_diacritics_and_case()
    {
        Assert.Equal(["creme", "brulee", "for"], TextNormalizer.Tokenize(@"Crème \textbf{Brûlée} for $\mathcal{O}(n^2)$ x"));
        Assert.Equal(["scaling", "of", "godel"], TextNormalizer.Tokenize("Scaling   of\nGödel"));
        Assert.Equal(["we", "prove", "bound", "for", "all", "inputs"], TextNormalizer.Tokenize(@"We prove $$\sum_i x_i \le 1$$ bound for \emph{all} inputs"));
        Assert.Equal(["costs", "cheaper"], TextNormalizer.Tokenize(@"costs 5\% cheaper"));
        // A lone dollar sign does not swallow the rest of the abstract.
        Assert.Contains("everything", TextNormalizer.Tokenize("Save $5 on everything " + new string('x', 400) + " then more"));
        Assert.Equal(["naive", "strasse", "aeon"], TextNormalizer.Tokenize("Naïve STRAßE Æon"));
    }

    [Fact]
    public void Features_are_sublinear_tf_idf_words_and_pairs_with_unit_length()
    {
        string[] texts = ["deep learning deep learning", "deep networks", "learning rates"];
        var (featurizer, rows) = Featurizer.Fit(texts, new FeaturizerSettings { MinDocumentFrequency = 1 });
        var names = Enumerable.Range(0, featurizer.FeatureCount).Select(featurizer.FeatureName).ToHashSet();
        Assert.Equal(["deep", "deep learning", "deep networks", "learning", "learning deep", "learning rates", "networks", "rates"], names.Order(StringComparer.Ordinal));
        foreach (var row in rows) Assert.Equal(1.0, row.Values.Sum(v => (double)v * v), 5);
        // In the first text "deep" occurs twice (tf weight 1 + ln 2) and "learning deep" once; both appear in one
        // other text or none, so their ratio is (1 + ln 2) · idf(deep) / idf(learning deep).
        var first = rows[0];
        float Weight(string name) => first.Values[Array.IndexOf(first.Indices, Enumerable.Range(0, featurizer.FeatureCount).First(f => featurizer.FeatureName(f) == name))];
        var idfDeep = Math.Log(4.0 / 3) + 1;
        var idfPair = Math.Log(4.0 / 2) + 1;
        Assert.Equal((1 + Math.Log(2)) * idfDeep / idfPair, Weight("deep") / Weight("learning deep"), 4);
        Assert.Equal(first, featurizer.Transform(texts[0]), SparseEquality.Instance);
    }

    [Fact]
    public void A_minimum_document_frequency_drops_rare_terms()
    {
        var (featurizer, _) = Featurizer.Fit(["graph neural networks", "graph transformers", "neural fields"], new FeaturizerSettings());
        Assert.Equal(["graph", "neural"], Enumerable.Range(0, featurizer.FeatureCount).Select(featurizer.FeatureName).Order(StringComparer.Ordinal));
    }

    private static TopicTaxonomy Taxonomy() => new([
        new TopicDefinition { Key = "vision", Name = "Vision", Categories = ["cs.CV", "eess.IV"] },
        new TopicDefinition { Key = "robotics", Name = "Robotics", Categories = ["cs.RO"], SeedPhrases = ["robot"] },
        new TopicDefinition { Key = "generative", Name = "Generative models", SeedPhrases = ["Diffusion Models"] },
        new TopicDefinition { Key = "science", Name = "Science", Categories = ["q-bio.*"] },
    ]);

    [Fact]
    public void Topics_follow_from_categories_wildcards_and_seed_phrases()
    {
        var taxonomy = Taxonomy();
        Assert.Equal(["vision", "generative"], taxonomy.LabelsFor(["cs.CV", "cs.LG"], "Latent diffusion models for video"));
        Assert.Equal(["science"], taxonomy.LabelsFor(["q-bio.BM"], "Protein folding"));
        Assert.Equal(["robotics"], taxonomy.LabelsFor(["cs.AI"], "A robot that folds laundry"));
        Assert.Empty(taxonomy.LabelsFor(["cs.AI"], "Robotic diffusion")); // phrases match whole words only
    }

    [Fact]
    public void An_organizers_label_overrides_the_category_mapping()
    {
        var taxonomy = Taxonomy();
        var confirmed = new Dictionary<string, bool> { ["vision"] = false, ["robotics"] = true };
        Assert.Equal(["robotics", "generative"], taxonomy.LabelsFor(["cs.CV"], "Diffusion models for images", confirmed));
    }

    [Fact]
    public void A_taxonomy_with_a_key_twice_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TopicTaxonomy([new TopicDefinition { Key = "a", Name = "A" }, new TopicDefinition { Key = "a", Name = "B" }]));
        Assert.Contains("'a' is defined twice", ex.Message, StringComparison.Ordinal);
    }

    private sealed class SparseEquality : IEqualityComparer<SparseVector>
    {
        public static SparseEquality Instance { get; } = new();
        public bool Equals(SparseVector a, SparseVector b) => a.Indices.SequenceEqual(b.Indices) && a.Values.SequenceEqual(b.Values);
        public int GetHashCode(SparseVector v) => v.Indices.Length;
    }
}

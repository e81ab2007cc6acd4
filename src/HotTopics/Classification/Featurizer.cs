using System.Collections.Concurrent;

namespace HotTopics.Classification;

/// <summary>How text becomes features; stored in the model file so classification featurizes exactly like training.</summary>
internal sealed record FeaturizerSettings
{
    /// <summary>A term must occur in this many training documents (rarer terms are noise and memory).</summary>
    public int MinDocumentFrequency { get; init; } = 2;

    /// <summary>Keep at most this many terms, the most frequent first (bounds the model file and memory).</summary>
    public int MaxFeatures { get; init; } = 500_000;

    /// <summary>Word pairs as well as words ("language model", "reinforcement learning").</summary>
    public bool Bigrams { get; init; } = true;

    /// <summary>Each author's name as one feature (people publish in the same categories again and again).</summary>
    public bool Authors { get; init; } = true;

    /// <summary>The words of the paper's comment ("Accepted at ICASSP 2026", "CHI '26") as features of their own.</summary>
    public bool Comment { get; init; } = true;
}

/// <summary>What the featurizer reads of an item: its text (title and abstract), authors and comment.</summary>
internal readonly record struct FeatureInput(string Text, IReadOnlyList<string>? Authors = null, string? Comment = null)
{
    public const string AuthorPrefix = "@";
    public const string CommentPrefix = "comment:";
}

/// <summary>
/// Text → sparse TF-IDF vector: words and word pairs from <see cref="TextNormalizer"/>, sublinear term frequency
/// (1 + ln tf), smoothed idf (ln((1+n)/(1+df)) + 1), L2-normalised.
/// </summary>
internal sealed class Featurizer
{
    private readonly Dictionary<string, int> tokenIds;
    private readonly Dictionary<long, int> featureIds;

    /// <param name="tokens">the words the features are made of</param>
    /// <param name="features">each feature as (first word, second word or -1), indices into <paramref name="tokens"/></param>
    /// <param name="idf">each feature's inverse document frequency</param>
    public Featurizer(FeaturizerSettings settings, string[] tokens, (int First, int Second)[] features, float[] idf)
    {
        if (features.Length != idf.Length) throw new ArgumentException("one idf per feature is needed", nameof(idf));
        Settings = settings;
        Tokens = tokens;
        Features = features;
        Idf = idf;
        tokenIds = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (var i = 0; i < tokens.Length; i++) tokenIds.Add(tokens[i], i);
        featureIds = new Dictionary<long, int>(features.Length, KeyComparer.Instance);
        for (var f = 0; f < features.Length; f++)
        {
            var (first, second) = features[f];
            if ((uint)first >= (uint)tokens.Length || second >= tokens.Length) throw new ArgumentException($"feature {f} names a word that is not in the table", nameof(features));
            featureIds.Add(Key(first, second), f);
        }
    }

    public FeaturizerSettings Settings { get; }
    public string[] Tokens { get; }
    public (int First, int Second)[] Features { get; }
    public float[] Idf { get; }
    public int FeatureCount => Idf.Length;

    /// <summary>What a feature reads as: a word or "word pair".</summary>
    public string FeatureName(int feature) => Features[feature] is var (first, second) && second < 0 ? Tokens[first] : $"{Tokens[first]} {Tokens[second]}";

    // A unigram's key is its word id; a bigram's key carries the first word id + 1 in the high half.
    private static long Key(int first, int second) => second < 0 ? first : ((long)(first + 1) << 32) | (uint)second;

    public SparseVector Transform(string text) => Transform(new FeatureInput(text));

    public SparseVector Transform(FeatureInput input)
    {
        var counts = new Dictionary<int, int>();
        foreach (var segment in Segments(input, Settings))
        {
            var ids = new int[segment.Count];
            for (var i = 0; i < ids.Length; i++) ids[i] = tokenIds.GetValueOrDefault(segment[i], -1);
            Count(ids, id => id, featureIds, Settings.Bigrams, counts);
        }
        return Weigh(counts, Idf);
    }

    /// <summary>
    /// The token sequences of an input; word pairs are formed inside a sequence, never across two. The text's words
    /// as they are, the comment's words prefixed "comment:", each author as one "@first_last" token.
    /// </summary>
    private static List<List<string>> Segments(FeatureInput input, FeaturizerSettings settings)
    {
        var segments = new List<List<string>> { TextNormalizer.Tokenize(input.Text) };
        if (settings.Comment && !string.IsNullOrWhiteSpace(input.Comment))
            segments.Add([.. TextNormalizer.Tokenize(input.Comment).Select(t => FeatureInput.CommentPrefix + t)]);
        if (settings.Authors && input.Authors is { } authors)
            foreach (var author in authors)
                if (TextNormalizer.Tokenize(author) is { Count: > 0 } name) segments.Add([FeatureInput.AuthorPrefix + string.Join('_', name)]);
        return segments;
    }

    private static void Count(int[] ids, Func<int, int> map, Dictionary<long, int> featureIds, bool bigrams, Dictionary<int, int> counts)
    {
        for (var k = 0; k < ids.Length; k++)
        {
            var a = map(ids[k]);
            if (a < 0) continue;
            if (featureIds.TryGetValue(a, out var f)) counts[f] = counts.GetValueOrDefault(f) + 1;
            if (bigrams && k + 1 < ids.Length && map(ids[k + 1]) is var b && b >= 0 && featureIds.TryGetValue(Key(a, b), out var g))
                counts[g] = counts.GetValueOrDefault(g) + 1;
        }
    }

    private static SparseVector Weigh(Dictionary<int, int> counts, float[] idf)
    {
        if (counts.Count == 0) return SparseVector.Empty;
        var indices = new int[counts.Count];
        var values = new float[counts.Count];
        var k = 0;
        foreach (var f in counts.Keys) indices[k++] = f;
        Array.Sort(indices);
        var norm = 0.0;
        for (k = 0; k < indices.Length; k++)
        {
            var v = (1 + Math.Log(counts[indices[k]])) * idf[indices[k]];
            values[k] = (float)v;
            norm += v * v;
        }
        var scale = (float)(1 / Math.Sqrt(norm));
        for (k = 0; k < values.Length; k++) values[k] *= scale;
        return new SparseVector(indices, values);
    }

    /// <summary>Learns the vocabulary and idf from training texts and returns their feature rows.</summary>
    public static (Featurizer Featurizer, List<SparseVector> Rows) Fit(IReadOnlyList<string> texts, FeaturizerSettings settings) =>
        Fit([.. texts.Select(t => new FeatureInput(t))], settings);

    public static (Featurizer Featurizer, List<SparseVector> Rows) Fit(IReadOnlyList<FeatureInput> texts, FeaturizerSettings settings)
    {
        // Collect the words in parallel, number them in sorted order (so ids do not depend on thread timing), then
        // turn every document into word ids.
        var wordSet = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        Parallel.For(0, texts.Count, i =>
        {
            foreach (var segment in Segments(texts[i], settings))
                foreach (var word in segment) wordSet.TryAdd(word, 0);
        });
        var words = wordSet.Keys.Order(StringComparer.Ordinal).ToArray();
        var wordIds = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (var i = 0; i < words.Length; i++) wordIds.Add(words[i], i);
        var docs = new int[texts.Count][][];
        Parallel.For(0, texts.Count, i => docs[i] = [.. Segments(texts[i], settings).Select(segment => segment.Select(w => wordIds[w]).ToArray())]);

        var df = new Dictionary<long, int>(KeyComparer.Instance);
        var seen = new HashSet<long>(KeyComparer.Instance);
        foreach (var doc in docs)
        {
            seen.Clear();
            foreach (var ids in doc)
                for (var k = 0; k < ids.Length; k++)
                {
                    seen.Add(ids[k]);
                    if (settings.Bigrams && k + 1 < ids.Length) seen.Add(Key(ids[k], ids[k + 1]));
                }
            foreach (var key in seen)
            {
                ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(df, key, out _);
                count++;
            }
        }

        var kept = df.Where(p => p.Value >= settings.MinDocumentFrequency)
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key)
            .Take(settings.MaxFeatures)
            .Select(p => p.Key).Order().ToArray();

        // The model keeps only the words its features use.
        var usedWords = new SortedSet<int>();
        foreach (var key in kept)
        {
            var (first, second) = Split(key);
            usedWords.Add(first);
            if (second >= 0) usedWords.Add(second);
        }
        var wordIndex = new Dictionary<int, int>(usedWords.Count);
        var tokenTable = new string[usedWords.Count];
        foreach (var w in usedWords)
        {
            wordIndex.Add(w, wordIndex.Count);
            tokenTable[wordIndex[w]] = words[w];
        }
        var features = new (int, int)[kept.Length];
        var idf = new float[kept.Length];
        for (var f = 0; f < kept.Length; f++)
        {
            var (first, second) = Split(kept[f]);
            features[f] = (wordIndex[first], second < 0 ? -1 : wordIndex[second]);
            idf[f] = (float)(Math.Log((1.0 + texts.Count) / (1.0 + df[kept[f]])) + 1);
        }
        var featurizer = new Featurizer(settings, tokenTable, features, idf);

        // Rows from the id sequences directly (no second tokenisation of the corpus).
        var remap = new int[words.Length];
        Array.Fill(remap, -1);
        foreach (var (w, i) in wordIndex) remap[w] = i;
        var rows = new SparseVector[docs.Length];
        Parallel.For(0, docs.Length, i =>
        {
            var counts = new Dictionary<int, int>();
            foreach (var ids in docs[i]) Count(ids, w => remap[w], featurizer.featureIds, settings.Bigrams, counts);
            rows[i] = Weigh(counts, idf);
        });
        return (featurizer, [.. rows]);
    }

    private static (int First, int Second) Split(long key) => key >> 32 == 0 ? ((int)key, -1) : ((int)(key >> 32) - 1, (int)(uint)key);

    /// <summary>
    /// long's own hash XORs its halves, so the bigram (a, b) collides with every (c, d) where (a+1)^b = (c+1)^d:
    /// with a few hundred thousand words that is chains thousands long. Mix the bits instead (Fibonacci hashing).
    /// </summary>
    private sealed class KeyComparer : IEqualityComparer<long>
    {
        public static KeyComparer Instance { get; } = new();
        public bool Equals(long x, long y) => x == y;
        public int GetHashCode(long key) => (int)((ulong)key * 0x9E3779B97F4A7C15UL >> 32);
    }
}

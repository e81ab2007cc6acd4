namespace HotTopics.Classification;

/// <summary>A label the model predicts: an arXiv category or a topic of the taxonomy.</summary>
internal sealed record ModelLabel(string Key, string Name);

/// <summary>What a model file says about itself besides its numbers.</summary>
internal sealed record ModelInfo
{
    /// <summary>"categories" or "topics".</summary>
    public required string LabelSet { get; init; }
    public required string CreatedAt { get; init; }
    /// <summary>SHA-256 of the training items (ids, labels, text), so two models can be told apart by their data.</summary>
    public required string TrainingHash { get; init; }
    public required int TrainingSize { get; init; }
    public required int ValidationSize { get; init; }
    public required TrainingSettings Settings { get; init; }
    /// <summary>Scores on the held-back validation slice (the slice the thresholds were tuned on).</summary>
    public required ModelScores Validation { get; init; }
}

internal sealed record ModelScores(double MicroF1, double MacroF1, double SamplesF1)
{
    public static ModelScores From(MultiLabelMetrics m) => new(m.MicroF1, m.MacroF1, m.SamplesF1);
}

/// <summary>A term's share of a label's score on one item: its TF-IDF weight in the item times the label's weight for it.</summary>
internal sealed record TermContribution(string Term, double Contribution);

/// <summary>
/// A trained one-vs-rest classifier: the featurizer, one weight vector and bias per label (stored feature-major,
/// so scoring a document touches one contiguous row per feature), per-label thresholds.
/// </summary>
internal sealed class TopicModel
{
    public TopicModel(ModelLabel[] labels, Featurizer featurizer, float[] weights, float[] bias, float[] thresholds, ModelInfo info, float[]? stack = null)
    {
        if (stack is not null && stack.Length != labels.Length * (labels.Length + 1)) throw new ArgumentException("the second stage needs labels × (labels + 1) weights", nameof(stack));
        if (weights.Length != (long)featurizer.FeatureCount * labels.Length) throw new ArgumentException("one weight per feature and label is needed", nameof(weights));
        if (bias.Length != labels.Length || thresholds.Length != labels.Length) throw new ArgumentException("one bias and threshold per label is needed", nameof(thresholds));
        Labels = labels;
        Featurizer = featurizer;
        Weights = weights;
        Bias = bias;
        Thresholds = thresholds;
        Info = info;
        Stack = stack;
    }

    public ModelLabel[] Labels { get; }
    public Featurizer Featurizer { get; }
    public float[] Weights { get; }
    public float[] Bias { get; }
    public float[] Thresholds { get; }
    public ModelInfo Info { get; }

    /// <summary>
    /// The second stage, or null: label j's score is σ(Σₖ S[j, k] zₖ + S[j, L]) over the first stage's log-odds z,
    /// learned on the recent validation slice, so one label's evidence can count for another (eess.IV with cs.CV)
    /// and each label's base rate follows the recent months.
    /// </summary>
    public float[]? Stack { get; }

    /// <summary>An item whose best score's odds are this many e-folds below its threshold's odds gets no label at all.</summary>
    public const double NoLabelLogitGap = 4.0;

    public float[] Score(FeatureInput input) => Score(Featurizer.Transform(input));

    /// <summary>Each label's probability for one document.</summary>
    public float[] Score(SparseVector x)
    {
        var count = Labels.Length;
        var sums = Logits(x);
        var scores = new float[count];
        if (Stack is null)
        {
            for (var j = 0; j < count; j++) scores[j] = (float)(1 / (1 + Math.Exp(-sums[j])));
            return scores;
        }
        for (var j = 0; j < count; j++)
        {
            var row = Stack.AsSpan(j * (count + 1), count + 1);
            var z = (double)row[count];
            for (var k = 0; k < count; k++) z += row[k] * sums[k];
            scores[j] = (float)(1 / (1 + Math.Exp(-z)));
        }
        return scores;
    }

    /// <summary>The first stage's log-odds for each label (what the second stage reads).</summary>
    public double[] Logits(SparseVector x)
    {
        var count = Labels.Length;
        var sums = new double[count];
        for (var j = 0; j < count; j++) sums[j] = Bias[j];
        for (var k = 0; k < x.Indices.Length; k++)
        {
            var row = Weights.AsSpan(x.Indices[k] * count, count);
            var v = x.Values[k];
            for (var j = 0; j < count; j++) sums[j] += v * row[j];
        }
        return sums;
    }

    public bool[] Decide(float[] scores) => Decide(scores, Thresholds);

    /// <summary>
    /// Labels whose score reaches their threshold; when none does, the label closest to its threshold (in log-odds),
    /// unless even that one is far below (<see cref="NoLabelLogitGap"/>): an item about nothing we know gets nothing.
    /// </summary>
    public static bool[] Decide(float[] scores, float[] thresholds)
    {
        var predicted = new bool[scores.Length];
        var best = -1;
        var bestGap = double.NegativeInfinity;
        var any = false;
        for (var j = 0; j < scores.Length; j++)
        {
            var gap = Logit(scores[j]) - Logit(thresholds[j]);
            if (gap >= 0) predicted[j] = any = true;
            if (gap > bestGap) (best, bestGap) = (j, gap);
        }
        if (!any && best >= 0 && bestGap > -NoLabelLogitGap) predicted[best] = true;
        return predicted;
    }

    internal static double Logit(double p)
    {
        p = Math.Clamp(p, 1e-9, 1 - 1e-9);
        return Math.Log(p / (1 - p));
    }

    /// <summary>The terms of the document that raised this label's score most, largest first.</summary>
    public List<TermContribution> Explain(SparseVector x, int label, int top = 5)
    {
        var list = new List<TermContribution>(x.Indices.Length);
        for (var k = 0; k < x.Indices.Length; k++)
        {
            var c = x.Values[k] * Weights[(long)x.Indices[k] * Labels.Length + label];
            if (c > 0) list.Add(new TermContribution(Featurizer.FeatureName(x.Indices[k]), c));
        }
        return [.. list.OrderByDescending(t => t.Contribution).ThenBy(t => t.Term, StringComparer.Ordinal).Take(top)];
    }
}

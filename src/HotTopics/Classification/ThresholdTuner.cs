namespace HotTopics.Classification;

/// <summary>
/// Per-label decision thresholds from a validation slice. Tuning each label for its own F1 over-fits the rare labels
/// of a small slice and gives away micro-F1; we tune all thresholds together for a blend of micro- and macro-F1
/// (coordinate ascent, decisions made exactly as <see cref="TopicModel.Decide(float[], float[])"/> makes them),
/// then pull each one toward the best single threshold in proportion to how few positives its label had.
/// </summary>
internal static class ThresholdTuner
{
    /// <summary>Candidate thresholds: 0.02 … 0.94.</summary>
    private static readonly float[] Grid = [.. Enumerable.Range(1, 47).Select(i => i * 0.02f)];

    /// <summary>
    /// The thresholds tuned on <paramref name="bags"/> bootstrap resamples of the slice (seeded), averaged in
    /// log-odds: a rare label's best threshold on one month is noise, its average over resamples much less so.
    /// </summary>
    public static float[] TuneBagged(IReadOnlyList<float[]> scores, IReadOnlyList<bool[]> truth, double macroWeight, double shrinkPositives, int bags, int seed)
    {
        if (bags <= 0 || truth.Count == 0) return Tune(scores, truth, macroWeight, shrinkPositives);
        var labels = truth[0].Length;
        var sums = new double[labels];
        var samples = Enumerable.Range(0, bags).Select(b =>
        {
            var random = new Random(seed + b);
            return Enumerable.Range(0, truth.Count).Select(_ => random.Next(truth.Count)).ToArray();
        }).ToList();
        var results = new float[bags][];
        Parallel.For(0, bags, b => results[b] = Tune([.. samples[b].Select(i => scores[i])], [.. samples[b].Select(i => truth[i])], macroWeight, shrinkPositives));
        foreach (var t in results)
            for (var j = 0; j < labels; j++) sums[j] += TopicModel.Logit(t[j]);
        return [.. sums.Select(v => (float)Sigmoid(v / bags))];
    }

    public static float[] Tune(IReadOnlyList<float[]> scores, IReadOnlyList<bool[]> truth, double macroWeight, double shrinkPositives, int rounds = 3)
    {
        var labels = truth.Count == 0 ? 0 : truth[0].Length;
        var global = Grid.MaxBy(t => Objective(scores, truth, Enumerable.Repeat(t, labels).ToArray(), macroWeight));
        var thresholds = Enumerable.Repeat(global, labels).ToArray();
        if (truth.Count == 0) return thresholds;
        var best = Objective(scores, truth, thresholds, macroWeight);
        for (var round = 0; round < rounds; round++)
        {
            var changed = false;
            for (var j = 0; j < labels; j++)
            {
                var keep = thresholds[j];
                foreach (var t in Grid)
                {
                    thresholds[j] = t;
                    var value = Objective(scores, truth, thresholds, macroWeight);
                    if (value > best + 1e-12)
                    {
                        (best, keep, changed) = (value, t, true);
                    }
                }
                thresholds[j] = keep;
            }
            if (!changed) break;
        }
        // A label with few positives in the slice has a noisy threshold: shrink it toward the global one (in log-odds).
        for (var j = 0; j < labels; j++)
        {
            var positives = truth.Count(t => t[j]);
            var trust = positives / (positives + shrinkPositives);
            thresholds[j] = (float)Sigmoid(trust * TopicModel.Logit(thresholds[j]) + (1 - trust) * TopicModel.Logit(global));
        }
        return thresholds;
    }

    /// <summary>(1 − macroWeight) · micro-F1 + macroWeight · macro-F1 of the decisions these thresholds give.</summary>
    public static double Objective(IReadOnlyList<float[]> scores, IReadOnlyList<bool[]> truth, float[] thresholds, double macroWeight)
    {
        var labels = thresholds.Length;
        var tp = new int[labels];
        var fp = new int[labels];
        var fn = new int[labels];
        for (var i = 0; i < scores.Count; i++)
        {
            var predicted = TopicModel.Decide(scores[i], thresholds);
            for (var j = 0; j < labels; j++)
            {
                if (predicted[j] && truth[i][j]) tp[j]++;
                else if (predicted[j]) fp[j]++;
                else if (truth[i][j]) fn[j]++;
            }
        }
        double sumTp = tp.Sum(), sumFp = fp.Sum(), sumFn = fn.Sum();
        var micro = LabelMetrics.Ratio(2 * sumTp, 2 * sumTp + sumFp + sumFn);
        var macro = 0.0;
        for (var j = 0; j < labels; j++) macro += LabelMetrics.Ratio(2.0 * tp[j], 2.0 * tp[j] + fp[j] + fn[j]);
        macro /= Math.Max(labels, 1);
        return (1 - macroWeight) * micro + macroWeight * macro;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}

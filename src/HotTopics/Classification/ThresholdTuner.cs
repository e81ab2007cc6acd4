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
        // Decisions compare log-odds (see TopicModel.Decide): convert once, not once per candidate.
        var logits = scores.Select(s => s.Select(v => TopicModel.Logit(v)).ToArray()).ToArray();
        var grid = Grid.Select(g => TopicModel.Logit(g)).ToArray();
        var chosen = new int[labels];
        double Value() => Evaluate(logits, truth, [.. chosen.Select(k => grid[k])], macroWeight);
        var global = Enumerable.Range(0, Grid.Length).MaxBy(k =>
        {
            Array.Fill(chosen, k);
            return Value();
        });
        Array.Fill(chosen, global);
        if (truth.Count > 0)
        {
            var best = Value();
            for (var round = 0; round < rounds; round++)
            {
                var changed = false;
                for (var j = 0; j < labels; j++)
                {
                    var keep = chosen[j];
                    for (var k = 0; k < Grid.Length; k++)
                    {
                        chosen[j] = k;
                        var value = Value();
                        if (value > best + 1e-12) (best, keep, changed) = (value, k, true);
                    }
                    chosen[j] = keep;
                }
                if (!changed) break;
            }
        }
        // A label with few positives in the slice has a noisy threshold: shrink it toward the global one (in log-odds).
        var thresholds = new float[labels];
        for (var j = 0; j < labels; j++)
        {
            var positives = truth.Count(t => t[j]);
            var trust = positives / (positives + shrinkPositives);
            thresholds[j] = (float)Sigmoid(trust * grid[chosen[j]] + (1 - trust) * grid[global]);
        }
        return thresholds;
    }

    /// <summary>(1 − macroWeight) · micro-F1 + macroWeight · macro-F1 of the decisions these thresholds give.</summary>
    public static double Objective(IReadOnlyList<float[]> scores, IReadOnlyList<bool[]> truth, float[] thresholds, double macroWeight) =>
        Evaluate([.. scores.Select(s => s.Select(v => TopicModel.Logit(v)).ToArray())], truth, [.. thresholds.Select(t => TopicModel.Logit(t))], macroWeight);

    /// <summary><see cref="Objective"/> on log-odds, deciding exactly as <see cref="TopicModel.Decide(float[], float[])"/>.</summary>
    private static double Evaluate(double[][] logits, IReadOnlyList<bool[]> truth, double[] thresholds, double macroWeight)
    {
        var labels = thresholds.Length;
        Span<int> tp = stackalloc int[labels];
        Span<int> fp = stackalloc int[labels];
        Span<int> fn = stackalloc int[labels];
        for (var i = 0; i < logits.Length; i++)
        {
            var z = logits[i];
            var y = truth[i];
            var any = false;
            var best = -1;
            var bestGap = double.NegativeInfinity;
            for (var j = 0; j < labels; j++)
            {
                var gap = z[j] - thresholds[j];
                if (gap >= 0) any = true;
                if (gap > bestGap) (best, bestGap) = (j, gap);
            }
            var fallback = !any && best >= 0 && bestGap > -TopicModel.NoLabelLogitGap ? best : -1;
            for (var j = 0; j < labels; j++)
            {
                var predicted = z[j] - thresholds[j] >= 0 || j == fallback;
                if (predicted && y[j]) tp[j]++;
                else if (predicted) fp[j]++;
                else if (y[j]) fn[j]++;
            }
        }
        double sumTp = 0, sumFp = 0, sumFn = 0, macro = 0;
        for (var j = 0; j < labels; j++)
        {
            (sumTp, sumFp, sumFn) = (sumTp + tp[j], sumFp + fp[j], sumFn + fn[j]);
            macro += LabelMetrics.Ratio(2.0 * tp[j], 2.0 * tp[j] + fp[j] + fn[j]);
        }
        var micro = LabelMetrics.Ratio(2 * sumTp, 2 * sumTp + sumFp + sumFn);
        macro /= Math.Max(labels, 1);
        return (1 - macroWeight) * micro + macroWeight * macro;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}

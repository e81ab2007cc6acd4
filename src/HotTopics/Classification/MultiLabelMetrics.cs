namespace HotTopics.Classification;

/// <summary>One label's counts and scores on an evaluation set.</summary>
internal sealed record LabelMetrics(string Label, int TruePositives, int FalsePositives, int FalseNegatives)
{
    public int Support => TruePositives + FalseNegatives;
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);
    public double F1 => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives);

    // scikit-learn's zero_division=0: a ratio with nothing to divide by counts as 0.
    internal static double Ratio(double a, double b) => b == 0 ? 0 : a / b;
}

/// <summary>
/// Multi-label scores as scikit-learn computes them: micro-F1 over all (item, label) decisions, macro-F1 the mean of
/// the per-label F1, samples-F1 the mean over items of the F1 between an item's true and predicted label sets.
/// </summary>
internal sealed record MultiLabelMetrics(int Items, double MicroF1, double MacroF1, double SamplesF1, double MicroPrecision, double MicroRecall, IReadOnlyList<LabelMetrics> PerLabel)
{
    public static MultiLabelMetrics Compute(IReadOnlyList<string> labels, IReadOnlyList<bool[]> truth, IReadOnlyList<bool[]> predicted)
    {
        if (truth.Count != predicted.Count) throw new ArgumentException("truth and predictions must cover the same items", nameof(predicted));
        var tp = new int[labels.Count];
        var fp = new int[labels.Count];
        var fn = new int[labels.Count];
        var samples = 0.0;
        for (var i = 0; i < truth.Count; i++)
        {
            int itemTp = 0, itemFp = 0, itemFn = 0;
            for (var j = 0; j < labels.Count; j++)
            {
                var (t, p) = (truth[i][j], predicted[i][j]);
                if (t && p) { tp[j]++; itemTp++; }
                else if (p) { fp[j]++; itemFp++; }
                else if (t) { fn[j]++; itemFn++; }
            }
            samples += LabelMetrics.Ratio(2 * itemTp, 2 * itemTp + itemFp + itemFn);
        }
        var perLabel = labels.Select((l, j) => new LabelMetrics(l, tp[j], fp[j], fn[j])).ToList();
        double sumTp = tp.Sum(), sumFp = fp.Sum(), sumFn = fn.Sum();
        return new MultiLabelMetrics(
            truth.Count,
            LabelMetrics.Ratio(2 * sumTp, 2 * sumTp + sumFp + sumFn),
            perLabel.Count == 0 ? 0 : perLabel.Average(m => m.F1),
            truth.Count == 0 ? 0 : samples / truth.Count,
            LabelMetrics.Ratio(sumTp, sumTp + sumFp),
            LabelMetrics.Ratio(sumTp, sumTp + sumFn),
            perLabel);
    }
}

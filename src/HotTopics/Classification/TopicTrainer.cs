using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace HotTopics.Classification;

/// <summary>One training or evaluation example: an item's text and the labels it truly has.</summary>
internal sealed record LabeledText(string Id, string Text, string[] Labels, DateOnly Date, string[]? Authors = null, string? Comment = null)
{
    public FeatureInput Input => new(Text, Authors, Comment);
}

/// <summary>The knobs of training, stored in the model file.</summary>
internal sealed record TrainingSettings
{
    public FeaturizerSettings Featurizer { get; init; } = new();

    /// <summary>Inverse regularisation strength of each logistic regression.</summary>
    public double C { get; init; } = 3;

    /// <summary>Positives weigh (negatives / positives)^power: 0 treats both alike, 1 balances them fully.</summary>
    public double PositiveWeightPower { get; init; } = 0.75;

    /// <summary>How much threshold tuning cares for macro-F1 (rare labels) against micro-F1 (every decision).</summary>
    public double MacroWeight { get; init; } = 0.5;

    /// <summary>Tune thresholds on this many bootstrap resamples of the validation slice and average them (0: once, on the slice).</summary>
    public int ThresholdBags { get; init; } = 10;

    /// <summary>A label with this many validation positives gets a threshold half-way between its own and the global one.</summary>
    public double ShrinkPositives { get; init; } = 10;

    /// <summary>An item this many days older than the newest one counts half as much (0: all alike). arXiv's mix of
    /// categories drifts month to month, and the items to classify are the new ones.</summary>
    public double RecencyHalfLifeDays { get; init; } = 60;

    /// <summary>After tuning the thresholds, learn the weights once more from the fitting and validation parts together
    /// (the newest month is the one most like the items to come).</summary>
    public bool RefitWithValidation { get; init; } = true;

    /// <summary>Tune the thresholds on the validation slice scored by models learned with its other half added, so they
    /// suit the refitted weights (three fits in all, where a first fit on the fitting part alone makes two).</summary>
    public bool CrossFitThresholds { get; init; } = true;

    /// <summary>C of the second stage learned on the validation slice over all labels' log-odds (0: no second stage).</summary>
    public double StackC { get; init; }

    public double Tolerance { get; init; } = 0.1;
    public int MaxEpochs { get; init; } = 200;
    public int Seed { get; init; } = 1;
}

/// <summary>
/// Trains a <see cref="TopicModel"/>: featurize the fitting part, one logistic regression per label (in parallel,
/// each seeded by label so the result does not depend on scheduling), thresholds tuned on the validation part.
/// </summary>
internal static class TopicTrainer
{
    /// <summary>The reference split: the last calendar month of the training data is held back to tune thresholds.</summary>
    public static (List<LabeledText> Fit, List<LabeledText> Validation) HoldBackLastMonth(IReadOnlyList<LabeledText> items)
    {
        if (items.Count == 0) return ([], []);
        var last = items.Max(i => i.Date);
        var start = new DateOnly(last.Year, last.Month, 1);
        var fit = items.Where(i => i.Date < start).ToList();
        var validation = items.Where(i => i.Date >= start).ToList();
        return fit.Count == 0 ? (validation, validation) : (fit, validation);
    }

    public static TopicModel Train(string labelSet, ModelLabel[] labels, IReadOnlyList<LabeledText> fit, IReadOnlyList<LabeledText> validation,
        TrainingSettings settings, DateTimeOffset now, Action<string>? progress = null)
    {
        if (fit.Count == 0) throw new ArgumentException("there is nothing to train on", nameof(fit));
        if (labels.Length == 0) throw new ArgumentException("there are no labels to learn", nameof(labels));
        var clock = Stopwatch.StartNew();
        var (featurizer, fitRows) = Featurizer.Fit([.. fit.Select(i => i.Input)], settings.Featurizer);
        progress?.Invoke($"featurized {fit.Count:N0} items into {featurizer.FeatureCount:N0} features at {clock.Elapsed.TotalSeconds:F1} s");
        var separateValidation = validation.Count > 0 && !ReferenceEquals(fit, validation);
        // The vocabulary and idf stay those of the fitting part throughout (the thresholds are tuned on its features).
        var validationRows = new SparseVector[validation.Count];
        Parallel.For(0, validation.Count, i => validationRows[i] = featurizer.Transform(validation[i].Input));
        var info = new ModelInfo
        {
            LabelSet = labelSet,
            CreatedAt = Items.ItemDates.Format(now),
            TrainingHash = Hash(fit),
            TrainingSize = fit.Count,
            ValidationSize = validation.Count,
            Settings = settings,
            Validation = new ModelScores(0, 0, 0),
        };
        var untunedThresholds = Enumerable.Repeat(0.5f, labels.Length).ToArray();
        var validationTruth = Truth(labels, validation);
        var stacked = settings.StackC > 0 && separateValidation;
        // (Not with a second stage: it is learned on the first stage's scores before a refit.)
        var refit = settings.RefitWithValidation && !stacked && separateValidation;
        float[] weights = [], bias = [];
        List<float[]> validationScores;
        float[]? stack = null;
        if (refit && settings.CrossFitThresholds && validation.Count > 1)
        {
            // The final weights are learned with the validation slice added, and its newest items weigh most: tune the
            // thresholds on scores of such models. Each half of the slice is scored by weights learned with the other half.
            var outOfFold = new float[validation.Count][];
            for (var fold = 0; fold < 2; fold++)
            {
                var learn = Enumerable.Range(0, validation.Count).Where(i => i % 2 != fold).ToList();
                var (w, b) = Learn(labels, [.. fit, .. learn.Select(i => validation[i])], featurizer, [.. fitRows, .. learn.Select(i => validationRows[i])], settings, clock, progress);
                var foldModel = new TopicModel(labels, featurizer, w, b, untunedThresholds, info);
                Parallel.For(0, validation.Count, i =>
                {
                    if (i % 2 == fold) outOfFold[i] = foldModel.Score(validationRows[i]);
                });
            }
            validationScores = [.. outOfFold];
        }
        else
        {
            (weights, bias) = Learn(labels, fit, featurizer, fitRows, settings, clock, progress);
            var untuned = new TopicModel(labels, featurizer, weights, bias, untunedThresholds, info);
            if (stacked)
            {
                var logits = new double[validation.Count][];
                Parallel.For(0, validation.Count, i => logits[i] = untuned.Logits(validationRows[i]));
                // Thresholds are tuned on second-stage scores of items that stage did not learn from (two folds).
                var outOfFold = new float[validation.Count][];
                for (var fold = 0; fold < 2; fold++)
                {
                    var learn = Enumerable.Range(0, validation.Count).Where(i => i % 2 != fold).ToList();
                    var foldStack = FitStack([.. learn.Select(i => logits[i])], [.. learn.Select(i => validationTruth[i])], settings);
                    var foldModel = new TopicModel(labels, featurizer, weights, bias, untunedThresholds, info, foldStack);
                    for (var i = fold; i < validation.Count; i += 2) outOfFold[i] = foldModel.Score(validationRows[i]);
                }
                validationScores = [.. outOfFold];
                stack = FitStack(logits, validationTruth, settings);
            }
            else
            {
                var scores = new float[validation.Count][];
                Parallel.For(0, validation.Count, i => scores[i] = untuned.Score(validationRows[i]));
                validationScores = [.. scores];
            }
        }
        var thresholds = ThresholdTuner.TuneBagged(validationScores, validationTruth, settings.MacroWeight, settings.ShrinkPositives, settings.ThresholdBags, settings.Seed);
        var metrics = MultiLabelMetrics.Compute([.. labels.Select(l => l.Key)], validationTruth, [.. validationScores.Select(s => TopicModel.Decide(s, thresholds))]);
        progress?.Invoke($"thresholds tuned on {validation.Count:N0} items at {clock.Elapsed.TotalSeconds:F1} s");
        if (refit)
        {
            // The weights are learned again with the validation month's items added.
            (weights, bias) = Learn(labels, [.. fit, .. validation], featurizer, [.. fitRows, .. validationRows], settings, clock, progress);
            info = info with { TrainingHash = Hash([.. fit, .. validation]), TrainingSize = fit.Count + validation.Count };
        }
        return new TopicModel(labels, featurizer, weights, bias, thresholds, info with { Validation = ModelScores.From(metrics) }, stack);
    }

    /// <summary>One small logistic regression per label over every label's first-stage log-odds.</summary>
    private static float[] FitStack(double[][] logits, List<bool[]> truth, TrainingSettings settings)
    {
        var count = truth.Count == 0 ? 0 : truth[0].Length;
        var indices = Enumerable.Range(0, count).ToArray();
        var x = new SparseRows([.. logits.Select(z => new SparseVector(indices, [.. z.Select(v => (float)v)]))], count);
        var stack = new float[count * (count + 1)];
        for (var j = 0; j < count; j++)
        {
            var y = truth.Select(t => t[j]).ToArray();
            if (y.All(v => !v) || y.All(v => v))
            {
                // Nothing to learn from: keep the first stage's own score.
                stack[j * (count + 1) + j] = 1;
                continue;
            }
            var w = new LogisticProblem(x, y, settings.StackC, settings.StackC).SolveDual(0.01, settings.MaxEpochs, settings.Seed + j);
            for (var k = 0; k <= count; k++) stack[j * (count + 1) + k] = (float)w[k];
        }
        return stack;
    }

    private static (float[] Weights, float[] Bias) Learn(ModelLabel[] labels, IReadOnlyList<LabeledText> items, Featurizer featurizer, List<SparseVector> rows, TrainingSettings settings, Stopwatch clock, Action<string>? progress)
    {
        var x = new SparseRows(rows, featurizer.FeatureCount);
        var rowWeights = RecencyWeights(items, settings.RecencyHalfLifeDays);
        var truth = Truth(labels, items);
        var count = labels.Length;
        var weights = new float[(long)featurizer.FeatureCount * count];
        var bias = new float[count];
        var done = 0;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, j =>
        {
            var y = truth.Select(t => t[j]).ToArray();
            var positives = y.Count(v => v);
            var negatives = y.Length - positives;
            var boost = positives == 0 || negatives == 0 ? 1 : Math.Pow((double)negatives / positives, settings.PositiveWeightPower);
            var problem = new LogisticProblem(x, y, settings.C * boost, settings.C, rowWeights);
            var w = problem.SolveDual(settings.Tolerance, settings.MaxEpochs, settings.Seed + j);
            for (var f = 0; f < featurizer.FeatureCount; f++) weights[(long)f * count + j] = (float)w[f];
            bias[j] = (float)w[featurizer.FeatureCount];
            var n = Interlocked.Increment(ref done);
            progress?.Invoke($"label {n}/{count} ({labels[j].Key}, {positives:N0} positives) trained at {clock.Elapsed.TotalSeconds:F1} s");
        });
        return (weights, bias);
    }

    /// <summary>2^(−age / half-life), scaled to average 1 so C keeps its meaning; null when recency does not count.</summary>
    private static float[]? RecencyWeights(IReadOnlyList<LabeledText> items, double halfLifeDays)
    {
        if (halfLifeDays <= 0 || items.Count == 0) return null;
        var newest = items.Max(i => i.Date).DayNumber;
        var weights = items.Select(i => Math.Pow(2, -(newest - i.Date.DayNumber) / halfLifeDays)).ToArray();
        var mean = weights.Average();
        return [.. weights.Select(w => (float)(w / mean))];
    }

    public static List<float[]> ScoreAll(TopicModel model, IReadOnlyList<LabeledText> items)
    {
        var scores = new float[items.Count][];
        Parallel.For(0, items.Count, i => scores[i] = model.Score(items[i].Input));
        return [.. scores];
    }

    public static List<bool[]> Truth(IReadOnlyList<ModelLabel> labels, IReadOnlyList<LabeledText> items)
    {
        var index = labels.Select((l, j) => (l.Key, j)).ToDictionary(p => p.Key, p => p.j, StringComparer.Ordinal);
        return [.. items.Select(item =>
        {
            var row = new bool[labels.Count];
            foreach (var label in item.Labels)
                if (index.TryGetValue(label, out var j)) row[j] = true;
            return row;
        })];
    }

    private static string Hash(IReadOnlyList<LabeledText> items)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var item in items)
            sha.AppendData(Encoding.UTF8.GetBytes($"{item.Id}\t{string.Join(',', item.Labels)}\t{item.Text}\t{string.Join(',', item.Authors ?? [])}\t{item.Comment}\n"));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

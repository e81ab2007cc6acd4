using System.Diagnostics;
using System.Globalization;
using HotTopics.Classification;

/// <summary>
/// The issue-5 quality and speed targets on the reference split of ../shared/data/arxiv-ml: train = listing_date
/// before 2026-03-01 (its last month held back for thresholds), test = 2026-03/04, labels = the categories with at
/// least 200 training papers. Trains (featurizing included), evaluates, times classification, measures peak memory.
/// </summary>
internal static class ClassifierBenchmark
{
    public static int Run(string[] args)
    {
        var corpus = Corpus.Find(Option(args, "--corpus"));
        if (corpus is null) return 2;
        var defaults = new TrainingSettings();
        var settings = defaults with
        {
            C = Number(args, "--c", defaults.C),
            PositiveWeightPower = Number(args, "--power", defaults.PositiveWeightPower),
            MacroWeight = Number(args, "--macro", defaults.MacroWeight),
            ShrinkPositives = Number(args, "--shrink", defaults.ShrinkPositives),
            RecencyHalfLifeDays = Number(args, "--half-life", defaults.RecencyHalfLifeDays),
            StackC = Number(args, "--stack", defaults.StackC),
            ThresholdBags = (int)Number(args, "--bags", defaults.ThresholdBags),
            CrossFitThresholds = !Flag(args, "--no-cross-fit") && defaults.CrossFitThresholds,
            RefitWithValidation = !Flag(args, "--no-refit") && defaults.RefitWithValidation,
            Featurizer = defaults.Featurizer with { MaxFeatures = (int)Number(args, "--max-features", defaults.Featurizer.MaxFeatures), Authors = !Flag(args, "--text-only"), Comment = !Flag(args, "--text-only") },
        };
        var sample = (int)Number(args, "--sample", 0);

        var load = Stopwatch.StartNew();
        var all = TrainingData.Read(corpus, []);
        var split = new DateOnly(2026, 3, 1);
        var train = all.Where(p => p.Date < split).ToList();
        var test = all.Where(p => p.Date >= split && p.Date <= new DateOnly(2026, 4, 30)).ToList();
        if (sample > 0)
        {
            // Every k-th paper, for quick iterations on a subset.
            var k = Math.Max(1, train.Count / sample);
            train = [.. train.Where((_, i) => i % k == 0)];
            test = [.. test.Where((_, i) => i % k == 0)];
        }
        var labels = TrainingData.FrequentCategories(train, 200);
        var (fit, validation) = TopicTrainer.HoldBackLastMonth(train);
        Console.Error.WriteLine($"loaded {all.Count:N0} papers in {load.Elapsed.TotalSeconds:F1} s: fit {fit.Count:N0}, validation {validation.Count:N0}, test {test.Count:N0}, {labels.Length} labels");

        var clock = Stopwatch.StartNew();
        foreach (var item in test) TextNormalizer.Tokenize(item.Text);
        Console.Error.WriteLine($"tokenize: {test.Count / clock.Elapsed.TotalSeconds:N0} docs/s (1 thread)");
        clock.Restart();
        var model = TopicTrainer.Train("categories", labels, fit, validation, settings, DateTimeOffset.UtcNow, m => Console.Error.WriteLine("  " + m));
        var trainSeconds = clock.Elapsed.TotalSeconds;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;

        var file = Path.Combine(Path.GetTempPath(), "hottopics-bench-classifier.model");
        TopicModelFile.Save(model, file);
        var size = new FileInfo(file).Length;
        var loaded = TopicModelFile.Load(file);

        // classify: featurize + score + decide, as the classify verb does, on one thread and on all.
        clock.Restart();
        foreach (var item in test) loaded.Decide(loaded.Score(item.Input));
        var single = test.Count / clock.Elapsed.TotalSeconds;
        clock.Restart();
        var scores = TopicTrainer.ScoreAll(loaded, test);
        var parallel = test.Count / clock.Elapsed.TotalSeconds;

        var truth = TopicTrainer.Truth(labels, test);
        var keys = labels.Select(l => l.Key).ToArray();
        MultiLabelMetrics Evaluate(float[] thresholds) => MultiLabelMetrics.Compute(keys, truth, [.. scores.Select(s => TopicModel.Decide(s, thresholds))]);
        var result = Evaluate(loaded.Thresholds);
        var load1 = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| C={settings.C} power={settings.PositiveWeightPower} half-life={settings.RecencyHalfLifeDays} refit={settings.RefitWithValidation} cross-fit={settings.CrossFitThresholds} stack={settings.StackC} authors+comment={settings.Featurizer.Authors} macro={settings.MacroWeight} shrink={settings.ShrinkPositives} bags={settings.ThresholdBags} features={model.Featurizer.FeatureCount:N0} | micro-F1 {result.MicroF1:F4} | macro-F1 {result.MacroF1:F4} | samples-F1 {result.SamplesF1:F4} | train {trainSeconds:F1} s | peak {peak / 1e6:F0} MB | model {size / 1e6:F1} MB | classify {single:N0} docs/s (1 thread), {parallel:N0} docs/s (all) | load {load1} |"));

        if (Flag(args, "--variants"))
        {
            // Other threshold rules on the same scores, for the record (validation-tuned, never test-tuned).
            if (settings.RefitWithValidation) Console.Error.WriteLine("note: the model was refitted with the validation month, so thresholds re-tuned on it are optimistic; use --no-refit to compare rules");
            var validationScores = TopicTrainer.ScoreAll(loaded, validation);
            var validationTruth = TopicTrainer.Truth(labels, validation);
            var fixedHalf = Evaluate([.. Enumerable.Repeat(0.5f, labels.Length)]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"|   threshold 0.5 | micro-F1 {fixedHalf.MicroF1:F4} | macro-F1 {fixedHalf.MacroF1:F4} |"));
            foreach (var macro in new[] { 0.0, 0.25, 0.5, 0.75, 1.0 })
                foreach (var shrink in new[] { 0.0, 10, 30 })
                {
                    var m = Evaluate(ThresholdTuner.Tune(validationScores, validationTruth, macro, shrink));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"|   tuned macro={macro} shrink={shrink} | micro-F1 {m.MicroF1:F4} | macro-F1 {m.MacroF1:F4} |"));
                }
        }
        if (Flag(args, "--oracle"))
        {
            // Diagnostic only, never a result: thresholds tuned on the test set itself bound what thresholds can do.
            var oracle = ThresholdTuner.Tune(scores, truth, 1.0, 0);
            var m = Evaluate(oracle);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"|   ORACLE (test-tuned, macro only) | micro-F1 {m.MicroF1:F4} | macro-F1 {m.MacroF1:F4} | {string.Join(' ', m.PerLabel.Select(l => $"{l.Label}={l.F1:F2}"))} |"));
            var both = Evaluate(ThresholdTuner.Tune(scores, truth, 0.5, 0));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"|   ORACLE (test-tuned, 0.5) | micro-F1 {both.MicroF1:F4} | macro-F1 {both.MacroF1:F4} |"));
        }
        if (Flag(args, "--per-label"))
            foreach (var l in result.PerLabel)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"|   {l.Label} | P {l.Precision:F2} | R {l.Recall:F2} | F1 {l.F1:F2} | support {l.Support} | threshold {loaded.Thresholds[Array.IndexOf(keys, l.Label)]:F2} |"));
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static double Number(string[] args, string name, double fallback) =>
        Option(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static bool Flag(string[] args, string name) => args.Contains(name);
}

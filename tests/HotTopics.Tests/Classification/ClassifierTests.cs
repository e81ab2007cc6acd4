using HotTopics.Classification;
using HotTopics.Tests.Infrastructure;

namespace HotTopics.Tests.Classification;

/// <summary>The classifier core on the 403 real sample papers: training, prediction, explanation, the model file.</summary>
public sealed class ClassifierTests
{
    private static readonly List<LabeledText> Papers = TrainingData.Read(TestFiles.Sample, []);
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The older three quarters to train on, the newest quarter to judge.</summary>
    private static (List<LabeledText> Train, List<LabeledText> Later) Split()
    {
        var ordered = Papers.OrderBy(p => p.Date).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
        var cut = ordered.Count * 3 / 4;
        return (ordered[..cut], ordered[cut..]);
    }

    internal static TopicModel Train(IReadOnlyList<LabeledText> train, int seed = 1)
    {
        var labels = TrainingData.FrequentCategories(train, 20);
        var (fit, validation) = TopicTrainer.HoldBackLastMonth(train);
        return TopicTrainer.Train("categories", labels, fit, validation, new TrainingSettings { Seed = seed }, Now);
    }

    private static string TempFile() => Path.Combine(Path.GetTempPath(), $"hottopics-model-{Guid.NewGuid():N}.model");

    [Fact]
    public void Training_twice_with_the_same_seed_gives_the_same_model_file()
    {
        var (train, _) = Split();
        var (a, b) = (TempFile(), TempFile());
        try
        {
            TopicModelFile.Save(Train(train), a);
            TopicModelFile.Save(Train(train), b);
            Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        }
        finally
        {
            File.Delete(a);
            File.Delete(b);
        }
    }

    [Fact]
    public void A_model_trained_on_part_of_the_papers_tells_vision_from_language_papers_in_the_rest()
    {
        var (train, rest) = Split();
        var model = Train(train);
        var cv = Array.FindIndex(model.Labels, l => l.Key == "cs.CV");
        var cl = Array.FindIndex(model.Labels, l => l.Key == "cs.CL");
        Assert.True(cv >= 0 && cl >= 0, "both categories are frequent enough to learn");
        var vision = rest.Where(p => p.Labels.Contains("cs.CV") && !p.Labels.Contains("cs.CL")).ToList();
        var language = rest.Where(p => p.Labels.Contains("cs.CL") && !p.Labels.Contains("cs.CV")).ToList();
        Assert.True(vision.Count >= 20 && language.Count >= 10, $"{vision.Count} vision and {language.Count} language papers to judge");

        // Trained on only ~300 papers: 85% is a clear separation (a coin would get half).
        var right = vision.Count(p => model.Score(p.Input) is var s && s[cv] > s[cl]) + language.Count(p => model.Score(p.Input) is var s && s[cl] > s[cv]);
        Assert.True(right >= 0.85 * (vision.Count + language.Count), $"{right} of {vision.Count + language.Count} ranked their own category first");
        // And the decision (thresholds included) gives each its category.
        var visionTagged = vision.Count(p => model.Decide(model.Score(p.Input))[cv]);
        var languageTagged = language.Count(p => model.Decide(model.Score(p.Input))[cl]);
        Assert.True(visionTagged >= 0.9 * vision.Count, $"{visionTagged} of {vision.Count} vision papers tagged cs.CV");
        Assert.True(languageTagged >= 0.7 * language.Count, $"{languageTagged} of {language.Count} language papers tagged cs.CL");
    }

    [Fact]
    public void A_saved_and_loaded_model_gives_identical_scores_and_keeps_its_description()
    {
        var (train, rest) = Split();
        var model = Train(train);
        var path = TempFile();
        try
        {
            TopicModelFile.Save(model, path);
            var loaded = TopicModelFile.Load(path);
            foreach (var paper in rest) Assert.Equal(model.Score(paper.Input), loaded.Score(paper.Input));
            Assert.Equal(model.Labels, loaded.Labels);
            Assert.Equal(model.Thresholds, loaded.Thresholds);
            Assert.Equal(model.Info.TrainingHash, loaded.Info.TrainingHash);
            Assert.Equal(model.Info.TrainingSize, loaded.Info.TrainingSize);
            Assert.Equal("2026-05-01T12:00:00Z", loaded.Info.CreatedAt);
            Assert.Equal(model.Info.Validation, loaded.Info.Validation);
            Assert.Equal(64, loaded.Info.TrainingHash.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_corrupted_truncated_foreign_or_other_version_model_file_is_refused_with_a_clear_message()
    {
        var (train, _) = Split();
        var path = TempFile();
        try
        {
            TopicModelFile.Save(Train(train), path);
            var good = File.ReadAllBytes(path);

            var flipped = (byte[])good.Clone();
            flipped[good.Length / 2] ^= 0x40;
            File.WriteAllBytes(path, flipped);
            Assert.Contains("is corrupted: its checksum does not match", Assert.Throws<ModelFileException>(() => TopicModelFile.Load(path)).Message, StringComparison.Ordinal);

            File.WriteAllBytes(path, good[..(good.Length - 1000)]);
            Assert.Contains("is corrupted: it is truncated", Assert.Throws<ModelFileException>(() => TopicModelFile.Load(path)).Message, StringComparison.Ordinal);

            var otherVersion = (byte[])good.Clone();
            BitConverter.GetBytes(TopicModelFile.FormatVersion + 1).CopyTo(otherVersion, "HOTTOPICS-MODEL\n".Length);
            File.WriteAllBytes(path, otherVersion);
            var message = Assert.Throws<ModelFileException>(() => TopicModelFile.Load(path)).Message;
            Assert.Contains($"has format version {TopicModelFile.FormatVersion + 1}; this build reads version {TopicModelFile.FormatVersion}", message, StringComparison.Ordinal);
            Assert.Contains(path, message, StringComparison.Ordinal);

            File.WriteAllText(path, "{\"not\": \"a model\"}");
            Assert.Contains("is not a HotTopics model file", Assert.Throws<ModelFileException>(() => TopicModelFile.Load(path)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_explanation_lists_terms_that_occur_in_the_item()
    {
        var (train, rest) = Split();
        var model = Train(train);
        var checkedLabels = 0;
        foreach (var paper in rest.Take(30))
        {
            var x = model.Featurizer.Transform(paper.Input);
            // Words and word pairs come from the title and abstract, "comment:" words from the comment, "@" names from the authors.
            var words = " " + string.Join(' ', TextNormalizer.Tokenize(paper.Text)) + " "
                + string.Join(' ', TextNormalizer.Tokenize(paper.Comment ?? "").Select(w => "comment:" + w)) + " "
                + string.Join(' ', paper.Authors!.Select(a => "@" + string.Join('_', TextNormalizer.Tokenize(a)))) + " ";
            var predicted = model.Decide(model.Score(x));
            for (var j = 0; j < model.Labels.Length; j++)
            {
                if (!predicted[j]) continue;
                var terms = model.Explain(x, j);
                Assert.NotEmpty(terms);
                Assert.All(terms, t => Assert.Contains(" " + t.Term + " ", words, StringComparison.Ordinal));
                Assert.Equal(terms.OrderByDescending(t => t.Contribution).Select(t => t.Term), terms.Select(t => t.Term));
                checkedLabels++;
            }
        }
        Assert.True(checkedLabels >= 30);
    }

    [Fact]
    public void Every_paper_gets_its_best_label_unless_all_scores_are_far_below_their_thresholds()
    {
        float[] thresholds = [0.5f, 0.4f, 0.3f];
        Assert.Equal([false, true, false], TopicModel.Decide([0.30f, 0.35f, 0.10f], thresholds)); // closest to its threshold
        Assert.Equal([true, false, true], TopicModel.Decide([0.60f, 0.10f, 0.31f], thresholds));
        Assert.Equal([false, false, false], TopicModel.Decide([0.001f, 0.002f, 0.001f], thresholds)); // about nothing we know
    }

    [Fact]
    public void Tuned_thresholds_make_every_decision_right_when_scores_separate_the_labels()
    {
        // Label 0: positives score 0.6-0.9, negatives 0.1-0.4. Label 1: positives 0.3-0.45, negatives 0.05-0.2.
        // Every item has a label (as every paper has a category), so the best-label rule never has to guess.
        var random = new Random(3);
        var scores = new List<float[]>();
        var truth = new List<bool[]>();
        for (var i = 0; i < 200; i++)
        {
            bool a = i % 3 == 0, b = !a || i % 5 == 0;
            scores.Add([a ? 0.6f + 0.3f * random.NextSingle() : 0.1f + 0.3f * random.NextSingle(), b ? 0.3f + 0.15f * random.NextSingle() : 0.05f + 0.15f * random.NextSingle()]);
            truth.Add([a, b]);
        }
        var once = ThresholdTuner.Tune(scores, truth, macroWeight: 0.5, shrinkPositives: 0);
        var bagged = ThresholdTuner.TuneBagged(scores, truth, 0.5, 0, bags: 10, seed: 1);
        // Every decision right.
        var (onceValue, baggedValue) = (ThresholdTuner.Objective(scores, truth, once, 0.5), ThresholdTuner.Objective(scores, truth, bagged, 0.5));
        Assert.True(onceValue == 1.0 && baggedValue == 1.0, $"objective {onceValue} tuned once, {baggedValue} bagged; thresholds {once[0]}, {once[1]} / {bagged[0]}, {bagged[1]}");
        Assert.Equal(bagged, ThresholdTuner.TuneBagged(scores, truth, 0.5, 0, bags: 10, seed: 1));
    }

    [Fact]
    public void Metrics_match_counts_worked_out_by_hand()
    {
        string[] labels = ["a", "b", "c"];
        bool[][] truth = [[true, false, false], [true, true, false], [false, false, true], [false, false, false]];
        bool[][] predicted = [[true, true, false], [true, false, false], [false, false, false], [false, false, true]];
        var m = MultiLabelMetrics.Compute(labels, truth, predicted);
        // a: tp 2 fp 0 fn 0 → F1 1; b: tp 0 fp 1 fn 1 → 0; c: tp 0 fp 1 fn 1 → 0.
        Assert.Equal([(2, 0, 0), (0, 1, 1), (0, 1, 1)], m.PerLabel.Select(l => (l.TruePositives, l.FalsePositives, l.FalseNegatives)));
        Assert.Equal([2, 1, 1], m.PerLabel.Select(l => l.Support));
        Assert.Equal(1.0 / 3, m.MacroF1, 12);
        // micro: tp 2, fp 2, fn 2 → 4 / (4 + 2 + 2) = 0.5
        Assert.Equal(0.5, m.MicroF1, 12);
        Assert.Equal(0.5, m.MicroPrecision, 12);
        // samples: item 1 → 2/3, item 2 → 2/3, item 3 → 0, item 4 (nothing true, one wrong) → 0
        Assert.Equal((2.0 / 3 + 2.0 / 3) / 4, m.SamplesF1, 12);
    }
}

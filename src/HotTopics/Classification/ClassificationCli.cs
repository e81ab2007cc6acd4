using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace HotTopics.Classification;

/// <summary>The classifier's verbs: train, classify, evaluate (files in, files or reports out; no database needed).</summary>
internal static class ClassificationCli
{
    public static CliVerb[] Verbs { get; } =
    [
        new("train", "train --data FILE [--labels categories|topics] [--min-examples N] [--seed N] --out MODEL", """
            Trains a topic model on an arXiv .jsonl or .jsonl.gz file (the format of import). The last calendar month
            of FILE is held back to tune the per-label thresholds. --labels categories (the default) learns the arXiv
            categories with at least --min-examples papers (default 200); --labels topics learns the configured
            taxonomy (Topics:Taxonomy), each paper labelled by the topics its categories and seed phrases imply
            (topics with fewer than --min-examples papers, default Topics:MinExamples, are left out).
            """, TrainAsync),
        new("classify", "classify --model MODEL --data FILE --out PREDICTIONS.jsonl", """
            Writes one JSON line per paper of FILE: {"id", "scores": [{"label", "score"}] for every label,
            "labels": the predicted set}. A paper gets every label whose score reaches that label's threshold, or
            else its best label, unless even that one is far below its threshold.
            """, ClassifyAsync),
        new("evaluate", "evaluate --model MODEL --data FILE [--json]", """
            Compares a model's predictions on FILE with the papers' true labels (their categories, or the topics
            those imply) and prints micro-F1, macro-F1, samples-F1 and each label's precision, recall, F1 and
            support. --json prints the same as one JSON object.
            """, EvaluateAsync),
        new("retrain", "retrain", """
            Trains a topic model on the items in the database (labels: the taxonomy's categories and seed phrases,
            organizers' confirmed labels winning), evaluates it and the model in service on the most recent tenth of
            the items, promotes it only if it is not worse there, and tags every item with the model in service. The
            web app does the same weekly and when an organizer presses "Retrain now".
            """, RetrainAsync),
        new("tag", "tag", """
            Tags the items the model in service has not scored yet (the web app's tagging job does this every few
            minutes).
            """, TagAsync),
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static async Task<List<LabeledText>?> ReadDataAsync(string[] args, TextWriter stderr)
    {
        var path = CliArgs.Option(args, "--data") ?? throw new CliUsageException("--data FILE is required.");
        if (!File.Exists(path))
        {
            await stderr.WriteLineAsync($"error: {path}: no such file.");
            return null;
        }
        var skipped = new List<string>();
        var items = TrainingData.Read(path, skipped);
        foreach (var line in skipped) await stderr.WriteLineAsync(line);
        return items;
    }

    private static TopicModel? LoadModel(string path, TextWriter stderr)
    {
        try
        {
            return TopicModelFile.Load(path);
        }
        catch (ModelFileException ex)
        {
            stderr.WriteLine("error: " + ex.Message);
            return null;
        }
    }

    /// <summary>The true labels of an item under a model's label set: its categories, or the topics they imply.</summary>
    private static Func<LabeledText, LabeledText> Relabel(string labelSet, IHost host)
    {
        if (labelSet != "topics") return item => item;
        var taxonomy = host.Services.GetRequiredService<TopicTaxonomy>();
        return item => item with { Labels = taxonomy.LabelsFor(item.Labels, item.Text) };
    }

    private static async Task<int> TrainAsync(IHost host, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var output = CliArgs.Option(args, "--out") ?? throw new CliUsageException("--out MODEL is required.");
        var labelSet = CliArgs.Option(args, "--labels", "categories");
        if (labelSet is not ("categories" or "topics")) throw new CliUsageException($"--labels must be 'categories' or 'topics', not '{labelSet}'.");
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TopicsOptions>>().Value;
        var minExamples = CliArgs.IntOption(args, "--min-examples", labelSet == "categories" ? 200 : options.MinExamples);
        var seed = CliArgs.IntOption(args, "--seed", 1);
        var items = await ReadDataAsync(args, stderr);
        if (items is null) return Cli.Usage;
        var relabel = Relabel(labelSet, host);
        items = [.. items.Select(relabel)];

        var (fit, validation) = TopicTrainer.HoldBackLastMonth(items);
        var frequent = TrainingData.FrequentCategories(items, minExamples);
        var labels = labelSet == "categories"
            ? frequent
            : [.. host.Services.GetRequiredService<TopicTaxonomy>().Labels.Where(l => frequent.Any(f => f.Key == l.Key))];
        if (labels.Length == 0)
        {
            await stderr.WriteLineAsync($"error: no {(labelSet == "categories" ? "category" : "topic")} has {minExamples} or more papers in the training part of the data; lower --min-examples.");
            return Cli.Usage;
        }
        var clock = Stopwatch.StartNew();
        var quiet = Console.IsErrorRedirected;
        var model = TopicTrainer.Train(labelSet, labels, fit, validation, new TrainingSettings { Seed = seed },
            host.Services.GetRequiredService<TimeProvider>().GetUtcNow(), quiet ? null : m => stderr.WriteLine(m));
        TopicModelFile.Save(model, output);
        var v = model.Info.Validation;
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"trained {labels.Length} labels on {fit.Count:N0} papers in {clock.Elapsed.TotalSeconds:F1} s; thresholds tuned on {validation.Count:N0} papers ({validation.Min(i => i.Date):yyyy-MM}): micro-F1 {v.MicroF1:F3}, macro-F1 {v.MacroF1:F3}, samples-F1 {v.SamplesF1:F3}. Saved {output} ({new FileInfo(output).Length / 1e6:F1} MB)."));
        return Cli.Ok;
    }

    private static async Task<int> ClassifyAsync(IHost host, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var modelPath = CliArgs.Option(args, "--model") ?? throw new CliUsageException("--model MODEL is required.");
        var output = CliArgs.Option(args, "--out") ?? throw new CliUsageException("--out PREDICTIONS.jsonl is required.");
        if (LoadModel(modelPath, stderr) is not { } model) return Cli.Usage;
        var items = await ReadDataAsync(args, stderr);
        if (items is null) return Cli.Usage;
        var clock = Stopwatch.StartNew();
        var scores = TopicTrainer.ScoreAll(model, items);
        await using (var writer = new StreamWriter(output))
        {
            for (var i = 0; i < items.Count; i++)
            {
                var predicted = model.Decide(scores[i]);
                var line = new PredictionLine(
                    items[i].Id,
                    [.. model.Labels.Select((l, j) => new LabelScore(l.Key, Math.Round(scores[i][j], 5)))],
                    [.. model.Labels.Where((_, j) => predicted[j]).Select(l => l.Key)]);
                await writer.WriteLineAsync(JsonSerializer.Serialize(line, Json));
            }
        }
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"classified {items.Count:N0} papers in {clock.Elapsed.TotalSeconds:F1} s ({items.Count / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):N0}/s) into {output}."));
        return Cli.Ok;
    }

    private static async Task<int> EvaluateAsync(IHost host, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var modelPath = CliArgs.Option(args, "--model") ?? throw new CliUsageException("--model MODEL is required.");
        if (LoadModel(modelPath, stderr) is not { } model) return Cli.Usage;
        var items = await ReadDataAsync(args, stderr);
        if (items is null) return Cli.Usage;
        items = [.. items.Select(Relabel(model.Info.LabelSet, host))];
        var scores = TopicTrainer.ScoreAll(model, items);
        var metrics = MultiLabelMetrics.Compute([.. model.Labels.Select(l => l.Key)], TopicTrainer.Truth(model.Labels, items), [.. scores.Select(model.Decide)]);
        if (CliArgs.Flag(args, "--json"))
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(EvaluationDto.From(metrics), Json));
            return Cli.Ok;
        }
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{metrics.Items:N0} papers: micro-F1 {metrics.MicroF1:F4}  macro-F1 {metrics.MacroF1:F4}  samples-F1 {metrics.SamplesF1:F4}  (micro precision {metrics.MicroPrecision:F4}, recall {metrics.MicroRecall:F4})"));
        await stdout.WriteLineAsync($"{"label",-20} {"precision",9} {"recall",9} {"F1",9} {"support",8}");
        foreach (var l in metrics.PerLabel)
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{l.Label,-20} {l.Precision,9:F4} {l.Recall,9:F4} {l.F1,9:F4} {l.Support,8}"));
        return Cli.Ok;
    }

    private static async Task<int> RetrainAsync(IHost host, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var outcome = await host.Services.GetRequiredService<TopicService>().RetrainAsync("cli", CancellationToken.None);
        await stdout.WriteLineAsync(outcome.Message);
        return outcome.Record is null && !outcome.Promoted ? Cli.Partial : Cli.Ok;
    }

    private static async Task<int> TagAsync(IHost host, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var topics = host.Services.GetRequiredService<TopicService>();
        if (await topics.CurrentAsync(CancellationToken.None) is null)
        {
            await stderr.WriteLineAsync("error: no topic model yet: run 'retrain' first.");
            return Cli.Usage;
        }
        await stdout.WriteLineAsync($"tagged {await topics.TagAsync(CancellationToken.None):N0} items.");
        return Cli.Ok;
    }

    private sealed record LabelScore(string Label, double Score);
    private sealed record PredictionLine(string Id, LabelScore[] Scores, string[] Labels);
}

/// <summary>The JSON of <c>evaluate --json</c>.</summary>
internal sealed record EvaluationDto(int Items, double MicroF1, double MacroF1, double SamplesF1, double MicroPrecision, double MicroRecall, EvaluationDto.Label[] Labels)
{
    internal sealed record Label(string Name, double Precision, double Recall, double F1, int Support);

    public static EvaluationDto From(MultiLabelMetrics m) => new(m.Items, m.MicroF1, m.MacroF1, m.SamplesF1, m.MicroPrecision, m.MicroRecall,
        [.. m.PerLabel.Select(l => new Label(l.Label, l.Precision, l.Recall, l.F1, l.Support))]);
}

using System.Diagnostics;
using HotTopics.Items;
using HotTopics.Storage;
using Microsoft.Extensions.Options;

namespace HotTopics.Classification;

/// <summary>A topic as the item page shows it: the model's confidence, the terms behind it, an organizer's word.</summary>
public sealed record ItemTopic(string Key, string Name, double? Score, bool Predicted, bool? Confirmed, string? LabelledBy, IReadOnlyList<string> Terms)
{
    /// <summary>What the item has: an organizer's decision, else the model's.</summary>
    public bool Has => Confirmed ?? Predicted;
}

/// <summary>The topics of one item, or why there are none.</summary>
public sealed record ItemTopics(bool HasModel, IReadOnlyList<ItemTopic> Topics);

/// <summary>What a retraining did.</summary>
public sealed record RetrainOutcome(bool Promoted, string Message, TopicModelRecord? Record);

/// <summary>
/// The one place topics are computed, learned and corrected: the tagging and retraining jobs, the CLI verbs and
/// the organizer pages all call it. The promoted model is read from its file once and kept while it stays promoted.
/// </summary>
public sealed class TopicService(TopicStore store, TopicTaxonomy taxonomy, Database database, IOptions<TopicsOptions> options, TimeProvider time, ILogger<TopicService> logger) : IDisposable
{
    private const int TagBatch = 500;
    private readonly SemaphoreSlim _retraining = new(1, 1);
    private readonly Lock _gate = new();
    private (long Id, TopicModel Model)? _current;

    public string ModelDir => Path.Combine(database.DataDir, options.Value.ModelDir);

    public IReadOnlyList<TopicDefinition> Topics => taxonomy.Topics;

    /// <summary>The model in service, or null when none was trained yet (or its file cannot be read: logged).</summary>
    internal async Task<(long Id, TopicModel Model)?> CurrentAsync(CancellationToken ct)
    {
        var record = await store.PromotedAsync(ct);
        if (record is null) return null;
        lock (_gate)
        {
            if (_current is { } c && c.Id == record.Id) return c;
        }
        try
        {
            var model = TopicModelFile.Load(Path.Combine(ModelDir, record.File));
            lock (_gate) _current = (record.Id, model);
            return (record.Id, model);
        }
        catch (ModelFileException ex)
        {
            ClassificationLog.ModelUnreadable(logger, ex.Message);
            return null;
        }
    }

    private static FeatureInput Input(TopicSourceRow row) =>
        new(TrainingData.Text(row.Title, row.Summary), ItemJson.ReadStrings(row.Authors), row.Comment);

    /// <summary>Scores every item the model in service has not tagged yet; returns how many were tagged.</summary>
    public async Task<int> TagAsync(CancellationToken ct)
    {
        if (await CurrentAsync(ct) is not var (modelId, model)) return 0;
        var tagged = 0;
        while (true)
        {
            var ids = await store.UntaggedAsync(modelId, TagBatch, ct);
            if (ids.Count == 0) return tagged;
            var rows = await store.SourcesAsync(ids, ct);
            var scored = new List<(long, string, double, double, bool)>[rows.Count];
            Parallel.For(0, rows.Count, new ParallelOptions { CancellationToken = ct }, i =>
            {
                var scores = model.Score(Input(rows[i]));
                var predicted = model.Decide(scores);
                scored[i] = [.. model.Labels.Select((l, j) => (rows[i].Id, l.Key, (double)scores[j], Margin(scores[j], model.Thresholds[j]), predicted[j]))];
            });
            await store.SaveScoresAsync(modelId, [.. scored.SelectMany(s => s)], ct);
            tagged += rows.Count;
        }
    }

    private static double Margin(double score, double threshold) => TopicModel.Logit(score) - TopicModel.Logit(threshold);

    /// <summary>
    /// Trains a new model on the newest items (<see cref="TopicsOptions.MaxTrainingItems"/>) but the most recent tenth (labels: the taxonomy's mapping with
    /// organizers' decisions winning), evaluates it and the model in service on that recent tenth, and promotes it
    /// only when its mean of micro- and macro-F1 there is not lower. Every attempt is kept in the history.
    /// </summary>
    public async Task<RetrainOutcome> RetrainAsync(string trigger, CancellationToken ct)
    {
        if (!await _retraining.WaitAsync(0, ct)) return new RetrainOutcome(false, "A retraining is already running.", null);
        try
        {
            var clock = Stopwatch.StartNew();
            var confirmed = await store.LabelsAsync(ct);
            var items = (await store.NewestSourcesAsync(options.Value.MaxTrainingItems, ct)).Select(row =>
            {
                var input = Input(row);
                var labels = taxonomy.LabelsFor(row.Categories.Split(' ', StringSplitOptions.RemoveEmptyEntries), input.Text, confirmed.GetValueOrDefault(row.Id));
                return new LabeledText(row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), input.Text, labels,
                    DateOnly.FromDateTime(ItemDates.Parse(row.Published).UtcDateTime), [.. input.Authors!], input.Comment);
            }).ToList();
            var slice = Math.Max(1, items.Count / 10);
            var train = items[..^slice];
            var recent = items[^slice..];
            var labelSet = taxonomy.Labels.Where(l => train.Count(i => i.Labels.Contains(l.Key)) >= options.Value.MinExamples).ToArray();
            if (train.Count < 20 || labelSet.Length == 0)
                return new RetrainOutcome(false, $"Not enough labelled items to train on ({items.Count:N0} items; a topic needs {options.Value.MinExamples} examples).", null);

            var (fit, validation) = TopicTrainer.HoldBackLastMonth(train);
            var now = time.GetUtcNow();
            var candidate = await Task.Run(() => TopicTrainer.Train("topics", labelSet, fit, validation, new TrainingSettings(), now), ct);
            var candidateScores = Evaluate(candidate, recent);
            var current = await CurrentAsync(ct);
            var previousScores = current is { } c ? Evaluate(c.Model, recent) : null;
            var promote = previousScores is null
                || candidateScores.MicroF1 + candidateScores.MacroF1 >= previousScores.MicroF1 + previousScores.MacroF1 - 1e-9;

            Directory.CreateDirectory(ModelDir);
            var file = $"topics-{now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}.model";
            TopicModelFile.Save(candidate, Path.Combine(ModelDir, file));
            var record = new TopicModelRecord
            {
                File = file,
                CreatedAt = ItemDates.Format(now),
                Trigger = trigger,
                TrainingSize = candidate.Info.TrainingSize,
                TrainingHash = candidate.Info.TrainingHash,
                EvaluatedOn = recent.Count,
                MicroF1 = candidateScores.MicroF1,
                MacroF1 = candidateScores.MacroF1,
                SamplesF1 = candidateScores.SamplesF1,
                PreviousMicroF1 = previousScores?.MicroF1,
                PreviousMacroF1 = previousScores?.MacroF1,
                Status = promote ? "promoted" : "kept previous",
                Note = $"{labelSet.Length} topics, trained in {clock.Elapsed.TotalSeconds:F1} s",
            };
            var id = await store.AddModelAsync(record, ct);
            record = (await store.HistoryAsync(1, ct))[0];
            if (!promote)
                return new RetrainOutcome(false, "The new model was not better on the recent items; the model in service stays.", record);
            lock (_gate) _current = (id, candidate);
            var tagged = await TagAsync(ct);
            return new RetrainOutcome(true, $"A new model is in service ({labelSet.Length} topics, micro-F1 {record.MicroF1:F3}, macro-F1 {record.MacroF1:F3} on {recent.Count:N0} recent items); {tagged:N0} items tagged.", record);
        }
        finally
        {
            _retraining.Release();
        }
    }

    private static ModelScores Evaluate(TopicModel model, List<LabeledText> items)
    {
        var scores = TopicTrainer.ScoreAll(model, items);
        return ModelScores.From(MultiLabelMetrics.Compute([.. model.Labels.Select(l => l.Key)], TopicTrainer.Truth(model.Labels, items), [.. scores.Select(model.Decide)]));
    }

    /// <summary>An item's topics: the model's scores and decisions with the terms that pushed each, organizers' labels winning.</summary>
    public async Task<ItemTopics> ForItemAsync(Item item, CancellationToken ct)
    {
        var current = await CurrentAsync(ct);
        var labels = (await store.ForItemAsync(item.Id, ct)).Where(r => r.Confirmed is not null).ToDictionary(r => r.Topic, StringComparer.Ordinal);
        var topics = new List<ItemTopic>();
        if (current is var (_, model))
        {
            var x = model.Featurizer.Transform(new FeatureInput(TrainingData.Text(item.Title, item.Summary), item.AuthorList, item.Comment));
            var scores = model.Score(x);
            var predicted = model.Decide(scores);
            for (var j = 0; j < model.Labels.Length; j++)
            {
                labels.Remove(model.Labels[j].Key, out var label);
                topics.Add(new ItemTopic(model.Labels[j].Key, taxonomy.Find(model.Labels[j].Key)?.Name ?? model.Labels[j].Name, scores[j], predicted[j],
                    label?.Confirmed is { } v ? v == 1 : null, label?.LabelledBy, [.. model.Explain(x, j).Select(t => TermText(t.Term))]));
            }
        }
        foreach (var label in labels.Values)
            topics.Add(new ItemTopic(label.Topic, taxonomy.Find(label.Topic)?.Name ?? label.Topic, null, false, label.Confirmed == 1, label.LabelledBy, []));
        return new ItemTopics(current is not null, [.. topics.OrderByDescending(t => t.Has).ThenByDescending(t => t.Score ?? 0)]);
    }

    /// <summary>A feature as a person reads it: "diffusion model", "comment: icassp", "author: jane doe".</summary>
    internal static string TermText(string term) =>
        term.StartsWith(FeatureInput.AuthorPrefix, StringComparison.Ordinal) ? "author: " + term[1..].Replace('_', ' ')
        : term.StartsWith(FeatureInput.CommentPrefix, StringComparison.Ordinal) ? "comment: " + term[FeatureInput.CommentPrefix.Length..].Replace(" " + FeatureInput.CommentPrefix, " ", StringComparison.Ordinal)
        : term;

    public void Dispose() => _retraining.Dispose();

    /// <summary>An organizer adds (present) or removes a topic on an item.</summary>
    public async Task LabelAsync(long itemId, string topic, bool present, string organizer, CancellationToken ct)
    {
        if (taxonomy.Find(topic) is null) throw new ArgumentException($"'{topic}' is not a topic of the taxonomy.", nameof(topic));
        await store.SetLabelAsync(itemId, topic, present, organizer, ct);
    }
}

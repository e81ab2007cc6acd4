using Dapper;
using HotTopics.Items;
using HotTopics.Storage;

namespace HotTopics.Classification;

/// <summary>A trained model's row in the history.</summary>
public sealed class TopicModelRecord
{
    public long Id { get; init; }
    public string File { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public string Trigger { get; init; } = "";
    public int TrainingSize { get; init; }
    public string TrainingHash { get; init; } = "";
    public int EvaluatedOn { get; init; }
    public double MicroF1 { get; init; }
    public double MacroF1 { get; init; }
    public double SamplesF1 { get; init; }
    public double? PreviousMicroF1 { get; init; }
    public double? PreviousMacroF1 { get; init; }
    public string Status { get; init; } = "";
    public string Note { get; init; } = "";
}

/// <summary>One topic of one item: the model's score and decision, and an organizer's label if there is one.</summary>
public sealed class ItemTopicRow
{
    public long ItemId { get; init; }
    public string Topic { get; init; } = "";
    public double? Score { get; init; }
    public double? Margin { get; init; }
    public bool Predicted { get; init; }
    /// <summary>1 an organizer added it, 0 removed it, null nobody decided.</summary>
    public int? Confirmed { get; init; }
    public string? LabelledBy { get; init; }
}

/// <summary>An item-topic pair the model is least sure about, for the review queue.</summary>
public sealed class ReviewCandidate
{
    public long ItemId { get; init; }
    public string? ArxivId { get; init; }
    public string Title { get; init; } = "";
    public string Topic { get; init; } = "";
    public double Score { get; init; }
    public double Margin { get; init; }

    public string PublicId => ArxivId ?? ItemId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The text of an item as training and tagging read it.</summary>
internal sealed class TopicSourceRow
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string Summary { get; init; } = "";
    public string Authors { get; init; } = "[]";
    public string Categories { get; init; } = "";
    public string? Comment { get; init; }
    public string Published { get; init; } = "";
}

/// <summary>The tables of migration 0080: topic_models, item_topics, topic_labels.</summary>
public sealed class TopicStore(Database database, TimeProvider time)
{
    private const string BumpVersion = "UPDATE topic_version SET version = version + 1";

    private const string ModelColumns = """
        id, file, created_at AS CreatedAt, trigger, training_size AS TrainingSize, training_hash AS TrainingHash,
        evaluated_on AS EvaluatedOn, micro_f1 AS MicroF1, macro_f1 AS MacroF1, samples_f1 AS SamplesF1,
        previous_micro_f1 AS PreviousMicroF1, previous_macro_f1 AS PreviousMacroF1, status, note
        """;

    public async Task<TopicModelRecord?> PromotedAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<TopicModelRecord>(new CommandDefinition(
            $"SELECT {ModelColumns} FROM topic_models WHERE status = 'promoted' ORDER BY id DESC LIMIT 1", cancellationToken: ct));
    }

    public async Task<IReadOnlyList<TopicModelRecord>> HistoryAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<TopicModelRecord>(new CommandDefinition(
            $"SELECT {ModelColumns} FROM topic_models ORDER BY id DESC LIMIT @limit", new { limit }, cancellationToken: ct))];
    }

    /// <summary>Records a trained model; a promoted one retires the model in service in the same transaction.</summary>
    public async Task<long> AddModelAsync(TopicModelRecord record, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = connection.BeginTransaction();
        if (record.Status == "promoted")
            await connection.ExecuteAsync(new CommandDefinition("UPDATE topic_models SET status = 'retired' WHERE status = 'promoted'", transaction: tx, cancellationToken: ct));
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO topic_models (file, created_at, trigger, training_size, training_hash, evaluated_on, micro_f1, macro_f1, samples_f1,
                                      previous_micro_f1, previous_macro_f1, status, note)
            VALUES (@File, @CreatedAt, @Trigger, @TrainingSize, @TrainingHash, @EvaluatedOn, @MicroF1, @MacroF1, @SamplesF1,
                    @PreviousMicroF1, @PreviousMacroF1, @Status, @Note)
            RETURNING id
            """, record, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return id;
    }

    private const string SourceColumns = "id, title, summary, authors, categories, comment, published";

    internal async Task<IReadOnlyList<TopicSourceRow>> SourcesAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<TopicSourceRow>(new CommandDefinition($"SELECT {SourceColumns} FROM items WHERE id IN @ids", new { ids }, cancellationToken: ct))];
    }

    /// <summary>The newest <paramref name="limit"/> items, oldest first (what a model learns from).</summary>
    internal async Task<IReadOnlyList<TopicSourceRow>> NewestSourcesAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<TopicSourceRow>(new CommandDefinition($"""
            SELECT * FROM (SELECT {SourceColumns} FROM items ORDER BY published DESC, id DESC LIMIT @limit) ORDER BY published, id
            """, new { limit }, cancellationToken: ct))];
    }

    /// <summary>Items the model in service has not tagged yet (new arrivals, or everything after a new model).</summary>
    public async Task<IReadOnlyList<long>> UntaggedAsync(long modelId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<long>(new CommandDefinition("""
            SELECT id FROM items i
            WHERE NOT EXISTS (SELECT 1 FROM item_topics t WHERE t.item_id = i.id AND t.model_id = @modelId)
            ORDER BY id LIMIT @limit
            """, new { modelId, limit }, cancellationToken: ct))];
    }

    /// <summary>Replaces the stored scores of these items with the ones given (one transaction).</summary>
    internal async Task SaveScoresAsync(long modelId, IReadOnlyList<(long ItemId, string Topic, double Score, double Margin, bool Predicted)> rows, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = connection.BeginTransaction();
        var items = rows.Select(r => r.ItemId).Distinct().ToList();
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM item_topics WHERE item_id IN @items", new { items }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO item_topics (item_id, topic, score, margin, predicted, model_id) VALUES (@ItemId, @Topic, @Score, @Margin, @Predicted, @modelId)
            """, rows.Select(r => new { r.ItemId, r.Topic, r.Score, r.Margin, Predicted = r.Predicted ? 1 : 0, modelId }), tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(BumpVersion, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>Every topic the model scored for the item, plus topics only an organizer gave it.</summary>
    public async Task<IReadOnlyList<ItemTopicRow>> ForItemAsync(long itemId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<ItemTopicRow>(new CommandDefinition("""
            SELECT t.item_id AS ItemId, t.topic, t.score, t.margin, t.predicted, l.present AS Confirmed, l.labelled_by AS LabelledBy
            FROM item_topics t LEFT JOIN topic_labels l ON l.item_id = t.item_id AND l.topic = t.topic
            WHERE t.item_id = @itemId
            UNION ALL
            SELECT l.item_id, l.topic, NULL, NULL, 0, l.present, l.labelled_by
            FROM topic_labels l
            WHERE l.item_id = @itemId AND NOT EXISTS (SELECT 1 FROM item_topics t WHERE t.item_id = l.item_id AND t.topic = l.topic)
            """, new { itemId }, cancellationToken: ct))];
    }

    /// <summary>An organizer's decision on one item and topic (present or not); replaces an earlier one.</summary>
    public async Task SetLabelAsync(long itemId, string topic, bool present, string labelledBy, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = connection.BeginTransaction();
        await connection.ExecuteAsync(new CommandDefinition(BumpVersion, transaction: tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO topic_labels (item_id, topic, present, labelled_by, labelled_at) VALUES (@itemId, @topic, @present, @labelledBy, @now)
            ON CONFLICT (item_id, topic) DO UPDATE SET present = excluded.present, labelled_by = excluded.labelled_by, labelled_at = excluded.labelled_at
            """, new { itemId, topic, present = present ? 1 : 0, labelledBy, now = ItemDates.Format(time.GetUtcNow()) }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>Every organizer decision: item → (topic → present).</summary>
    internal async Task<Dictionary<long, Dictionary<string, bool>>> LabelsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long ItemId, string Topic, long Present)>(new CommandDefinition(
            "SELECT item_id, topic, present FROM topic_labels", cancellationToken: ct));
        return rows.GroupBy(r => r.ItemId).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Topic, r => r.Present == 1, StringComparer.Ordinal));
    }

    /// <summary>Item-topic pairs whose score is closest to the threshold and that no organizer decided yet.</summary>
    public async Task<IReadOnlyList<ReviewCandidate>> ReviewQueueAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<ReviewCandidate>(new CommandDefinition("""
            SELECT t.item_id AS ItemId, i.arxiv_id AS ArxivId, i.title, t.topic, t.score, t.margin
            FROM item_topics t JOIN items i ON i.id = t.item_id
            WHERE NOT EXISTS (SELECT 1 FROM topic_labels l WHERE l.item_id = t.item_id AND l.topic = t.topic)
            ORDER BY abs(t.margin), t.item_id, t.topic
            LIMIT @limit
            """, new { limit }, cancellationToken: ct))];
    }

    /// <summary>The version of the topic tables (see migration 0080).</summary>
    internal static long Version(Microsoft.Data.Sqlite.SqliteConnection connection) =>
        connection.ExecuteScalar<long>("SELECT version FROM topic_version");

    /// <summary>
    /// Every item's topics as search sees them: an organizer's label, else the model's decision.
    /// </summary>
    internal static IEnumerable<(long ItemId, string Topic)> EffectiveTopics(Microsoft.Data.Sqlite.SqliteConnection connection) =>
        connection.Query<(long, string)>("""
            SELECT item_id, topic FROM topic_labels WHERE present = 1
            UNION
            SELECT t.item_id, t.topic FROM item_topics t
            WHERE t.predicted = 1
              AND NOT EXISTS (SELECT 1 FROM topic_labels l WHERE l.item_id = t.item_id AND l.topic = t.topic AND l.present = 0)
            """, buffered: false);
}

using Dapper;
using HotTopics.Storage;
using Microsoft.Data.Sqlite;

namespace HotTopics.Items;

/// <summary>One piece of evidence that an item matters: a repost by another source, or a contributor's submission.</summary>
public sealed record ItemMention(long ItemId, string Kind, string Who, string? Url, string? Note, string SeenAt)
{
    public const string Repost = "repost";
    public const string Submission = "submission";
}

/// <summary>
/// The <c>item_mentions</c> table. Writers add mentions inside their own transaction (<see cref="Add"/>), so a
/// mention is stored with the items it belongs to; a second mention by the same source or person is ignored.
/// </summary>
public sealed class ItemMentionStore(Database database)
{
    /// <summary>Records a mention in the caller's transaction; false when that source or person had already mentioned the item.</summary>
    public static bool Add(SqliteConnection connection, SqliteTransaction tx, ItemMention mention) =>
        connection.Execute("""
            INSERT OR IGNORE INTO item_mentions (item_id, kind, who, url, note, seen_at)
            VALUES (@ItemId, @Kind, @Who, @Url, @Note, @SeenAt)
            """, mention, tx) == 1;

    /// <summary>An item's mentions, oldest first.</summary>
    public async Task<IReadOnlyList<ItemMention>> ListAsync(long itemId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<ItemMention>(new CommandDefinition("""
            SELECT item_id AS ItemId, kind, who, url, note, seen_at AS SeenAt
            FROM item_mentions WHERE item_id = @itemId ORDER BY seen_at, id
            """, new { itemId }, cancellationToken: ct))];
    }
}

using HotTopics.Items;
using HotTopics.Storage;
using HotTopics.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotTopics.Tests.Items;

public sealed class ItemMentionTests : IDisposable
{
    private readonly TempDir _data = new();

    [Fact]
    public async Task A_source_or_person_mentions_an_item_once_and_the_mentions_come_back_oldest_first()
    {
        var database = new Database(Options.Create(new StorageOptions { DataDir = _data.Path }));
        new Migrator(database, NullLogger<Migrator>.Instance).Migrate();
        var items = new ItemStore(database, TimeProvider.System);
        items.Upsert([new ItemRecord { Key = "https://example.org/post", Kind = "post", Title = "A post", Source = "blog-a", Published = DateTimeOffset.Parse("2026-11-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), Url = "https://example.org/post" }]);
        var id = (await items.FindAsync("1", CancellationToken.None))!.Id;

        using (var connection = database.Open())
        using (var tx = connection.BeginTransaction())
        {
            Assert.True(ItemMentionStore.Add(connection, tx, new ItemMention(id, ItemMention.Repost, "blog-b", "https://b.example/x", null, "2026-12-01T09:00:00Z")));
            Assert.False(ItemMentionStore.Add(connection, tx, new ItemMention(id, ItemMention.Repost, "blog-b", "https://b.example/y", null, "2026-12-01T10:00:00Z")));
            Assert.True(ItemMentionStore.Add(connection, tx, new ItemMention(id, ItemMention.Submission, "user:7", "https://example.org/post", "RAdam, explained", "2026-11-30T12:00:00Z")));
            tx.Commit();
        }

        var mentions = await new ItemMentionStore(database).ListAsync(id, CancellationToken.None);
        Assert.Equal(["user:7", "blog-b"], mentions.Select(m => m.Who));
        Assert.Equal("https://b.example/x", mentions[1].Url);
        Assert.Equal("RAdam, explained", mentions[0].Note);
    }

    public void Dispose() => _data.Dispose();
}

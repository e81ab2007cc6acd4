using Dapper;
using HotTopics.Storage;
using Microsoft.Data.Sqlite;

namespace HotTopics.Items;

/// <summary>
/// Posts linked to the papers they discuss, posts' sanitised bodies, and same-story marks between items from
/// different sources. Writes happen inside the harvester's page transaction (<see cref="Write"/>).
/// </summary>
public sealed class ItemLinkStore(Database database, ItemStore items, TimeProvider time)
{
    /// <summary>What a stored post brings: the papers it names, its sanitised body.</summary>
    public sealed record PostFacts(long PostId, string Title, string? Url, DateTimeOffset Published, PaperMentions Mentions, string? Html);

    /// <summary>The key a link uses for an arXiv paper or a DOI.</summary>
    public static string PaperKey(ArxivId id) => id.ItemKey;

    public static string PaperKey(string doi) => "doi:" + doi.ToLowerInvariant();

    /// <summary>Links, bodies and same-story marks for posts just stored, in the caller's transaction.</summary>
    public void Write(SqliteConnection connection, SqliteTransaction tx, IEnumerable<PostFacts> posts)
    {
        var now = ItemDates.Format(time.GetUtcNow());
        foreach (var post in posts)
        {
            foreach (var key in post.Mentions.Arxiv.Select(PaperKey).Concat(post.Mentions.Dois.Select(PaperKey)))
            {
                connection.Execute("INSERT OR IGNORE INTO item_links (post_id, paper_key, created_at) VALUES (@post, @key, @now)",
                    new { post = post.PostId, key, now }, tx);
            }
            if (post.Html is { Length: > 0 } html)
            {
                // The same post through another feed may bring only a teaser: the fuller body stays.
                connection.Execute("""
                    INSERT INTO post_contents (item_id, html) VALUES (@id, @html)
                    ON CONFLICT (item_id) DO UPDATE SET html = excluded.html WHERE length(excluded.html) >= length(post_contents.html)
                    """, new { id = post.PostId, html }, tx);
            }
            MarkSameStory(connection, tx, post);
        }
    }

    /// <summary>
    /// A post whose title is (nearly) the title of a post another site published the same day is the same story:
    /// it points to that story's first item. "Another site" is judged by the posts' hosts, not by the feed that
    /// delivered them: one feed may carry posts of several sites, and one post may come through several feeds.
    /// </summary>
    private static void MarkSameStory(SqliteConnection connection, SqliteTransaction tx, PostFacts post)
    {
        var day = post.Published.UtcDateTime.Date;
        var candidates = connection.Query<(long Id, string Title, string? Url)>("""
            SELECT id AS Id, title AS Title, url AS Url FROM items
            WHERE kind = 'post' AND id <> @id AND published >= @from AND published < @to
            ORDER BY id
            """, new { id = post.PostId, from = ItemDates.Format(day), to = ItemDates.Format(day.AddDays(1)) }, tx);
        var host = Host(post.Url);
        foreach (var (id, title, url) in candidates)
        {
            if (Host(url) == host || !StoryTitles.AreSame(post.Title, title)) continue;
            var story = connection.ExecuteScalar<long?>("SELECT story_id FROM same_stories WHERE item_id = @id", new { id }, tx) ?? id;
            if (story == post.PostId) continue;
            connection.Execute("INSERT OR IGNORE INTO same_stories (item_id, story_id) VALUES (@item, @story)", new { item = post.PostId, story }, tx);
            return;
        }
    }

    private static string? Host(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : null;

    /// <summary>Of these arXiv ids, the ones whose paper is not stored yet.</summary>
    public async Task<IReadOnlyList<ArxivId>> MissingPapersAsync(IReadOnlyCollection<ArxivId> ids, CancellationToken ct)
    {
        var missing = (await MissingKeysAsync([.. ids.Select(PaperKey)], ct)).ToHashSet(StringComparer.Ordinal);
        return [.. ids.Where(i => missing.Contains(PaperKey(i)))];
    }

    /// <summary>Of these item keys, the ones no item has yet.</summary>
    public async Task<IReadOnlyList<string>> MissingKeysAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0) return [];
        await using var connection = await database.OpenAsync(ct);
        var present = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT item_key FROM items WHERE item_key IN @keys", new { keys }, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        return [.. keys.Where(k => !present.Contains(k))];
    }

    /// <summary>The posts that discuss a paper, newest first.</summary>
    public async Task<IReadOnlyList<Item>> DiscussedInAsync(Item paper, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var ids = (await connection.QueryAsync<long>(new CommandDefinition("""
            SELECT l.post_id FROM item_links l JOIN items p ON p.id = l.post_id
            WHERE l.paper_key IN @keys ORDER BY p.published DESC
            """, new { keys = KeysOf(paper) }, cancellationToken: ct))).Distinct().ToList();
        return await items.GetManyAsync(ids, ct);
    }

    /// <summary>The papers a post discusses: stored ones as items, the others by key (arxiv:ID, doi:DOI).</summary>
    public async Task<(IReadOnlyList<Item> Stored, IReadOnlyList<string> NotStored)> DiscussesAsync(Item post, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var keys = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT paper_key FROM item_links WHERE post_id = @id ORDER BY created_at, paper_key", new { id = post.Id }, cancellationToken: ct))).ToList();
        var ids = new List<long>();
        var missing = new List<string>();
        foreach (var key in keys)
        {
            var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(key.StartsWith("doi:", StringComparison.Ordinal)
                ? "SELECT id FROM items WHERE lower(doi) = @doi LIMIT 1"
                : "SELECT id FROM items WHERE item_key = @key", new { key, doi = key.Length > 4 ? key[4..] : key }, cancellationToken: ct));
            if (id is { } found) ids.Add(found);
            else missing.Add(key);
        }
        return (await items.GetManyAsync(ids, ct), missing);
    }

    /// <summary>The other items of the same story (from other sources), oldest first.</summary>
    public async Task<IReadOnlyList<Item>> SameStoryAsync(Item item, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var story = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT story_id FROM same_stories WHERE item_id = @id", new { id = item.Id }, cancellationToken: ct)) ?? item.Id;
        var ids = (await connection.QueryAsync<long>(new CommandDefinition("""
            SELECT @story UNION SELECT item_id FROM same_stories WHERE story_id = @story
            """, new { story }, cancellationToken: ct))).Where(id => id != item.Id).Order().ToList();
        if (ids.Count == 0) return [];
        return await items.GetManyAsync(ids, ct);
    }

    public async Task<string?> ContentAsync(long itemId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT html FROM post_contents WHERE item_id = @itemId", new { itemId }, cancellationToken: ct));
    }

    /// <summary>For search results: how many posts discuss each paper, how many papers each post discusses.</summary>
    public async Task<IReadOnlyDictionary<long, int>> CountsAsync(IReadOnlyList<Item> items, CancellationToken ct)
    {
        var counts = new Dictionary<long, int>();
        if (items.Count == 0) return counts;
        await using var connection = await database.OpenAsync(ct);
        var posts = items.Where(i => i.Kind != ItemKind.Paper).Select(i => i.Id).ToList();
        if (posts.Count > 0)
        {
            foreach (var (id, n) in await connection.QueryAsync<(long, int)>(new CommandDefinition(
                "SELECT post_id, count(*) FROM item_links WHERE post_id IN @posts GROUP BY post_id", new { posts }, cancellationToken: ct)))
                counts[id] = n;
        }
        var byKey = items.Where(i => i.Kind == ItemKind.Paper).SelectMany(i => KeysOf(i).Select(k => (k, i.Id))).ToList();
        if (byKey.Count > 0)
        {
            var keys = byKey.Select(k => k.k).ToList();
            var perKey = (await connection.QueryAsync<(string, int)>(new CommandDefinition(
                "SELECT paper_key, count(DISTINCT post_id) FROM item_links WHERE paper_key IN @keys GROUP BY paper_key", new { keys }, cancellationToken: ct)))
                .ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal);
            foreach (var (key, id) in byKey)
            {
                if (perKey.TryGetValue(key, out var n)) counts[id] = counts.GetValueOrDefault(id) + n;
            }
        }
        return counts;
    }

    private static List<string> KeysOf(Item paper)
    {
        var keys = new List<string> { paper.ItemKey };
        if (paper.Doi is { Length: > 0 } doi) keys.Add(PaperKey(doi));
        return keys;
    }
}

/// <summary>Near-identical titles: the same words once case, punctuation and a site suffix are set aside.</summary>
public static class StoryTitles
{
    public static bool AreSame(string a, string b)
    {
        var x = Words(a);
        var y = Words(b);
        if (x.Count == 0 || y.Count == 0) return false;
        if (x.SetEquals(y)) return true;
        // Short titles must match exactly; longer ones may differ by a word or so (Jaccard >= 0.8).
        if (Math.Min(x.Count, y.Count) < 5) return false;
        var common = x.Count(y.Contains);
        return common / (double)(x.Count + y.Count - common) >= 0.8;
    }

    private static HashSet<string> Words(string title)
    {
        var chars = title.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray();
        return new string(chars).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }
}

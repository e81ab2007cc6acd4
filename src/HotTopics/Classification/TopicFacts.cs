using HotTopics.Storage;
using Microsoft.Data.Sqlite;

namespace HotTopics.Classification;

/// <summary>
/// Which topics each item has, as bit masks indexed by item id (8 bytes an item), for the search's <c>topic:</c>
/// filter and topic facet. Read again only when <c>topic_version</c> moved (one single-row read per search).
/// </summary>
public sealed class TopicFacts(Database database, TopicTaxonomy taxonomy) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly string[] _keys = [.. taxonomy.Topics.Select(t => t.Key).Take(64)];
    private SqliteConnection? _connection;
    private long _version = -1;
    private ulong[] _masks = [];

    /// <summary>The masks of the current state; an id beyond the array has no topics.</summary>
    public ulong[] Current()
    {
        lock (_gate)
        {
            _connection ??= database.Open();
            var version = TopicStore.Version(_connection);
            if (version == _version) return _masks;
            var index = _keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i, StringComparer.Ordinal);
            var masks = new ulong[1024];
            foreach (var (itemId, topic) in TopicStore.EffectiveTopics(_connection))
            {
                if (!index.TryGetValue(topic, out var bit)) continue;
                if (itemId >= masks.Length) Array.Resize(ref masks, (int)Math.Max(itemId + 1, masks.Length * 2L));
                masks[itemId] |= 1UL << bit;
            }
            (_masks, _version) = (masks, version);
            return masks;
        }
    }

    /// <summary>The bits of these topic keys; an unknown key is refused with the list of known ones.</summary>
    public ulong Mask(IEnumerable<string> keys)
    {
        var mask = 0UL;
        foreach (var key in keys)
        {
            var bit = Array.IndexOf(_keys, key);
            if (bit < 0) throw new Search.QuerySyntaxException($"'{key}' is not a topic. Known topics: {string.Join(", ", _keys)}.");
            mask |= 1UL << bit;
        }
        return mask;
    }

    /// <summary>How many of these items have each topic, most first.</summary>
    public List<Search.FacetValue> Facet(IEnumerable<int> itemIds)
    {
        var masks = Current();
        var counts = new int[_keys.Length];
        foreach (var id in itemIds)
        {
            if (id >= masks.Length) continue;
            var m = masks[id];
            while (m != 0)
            {
                counts[System.Numerics.BitOperations.TrailingZeroCount(m)]++;
                m &= m - 1;
            }
        }
        return [.. counts.Select((c, i) => new Search.FacetValue { Value = _keys[i], Count = c }).Where(f => f.Count > 0).OrderByDescending(f => f.Count).ThenBy(f => f.Value, StringComparer.Ordinal)];
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection?.Dispose();
            _connection = null;
        }
    }
}

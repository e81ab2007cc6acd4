using HotTopics.Items;
using HotTopics.Storage;
using Microsoft.Data.Sqlite;

namespace HotTopics.Search;

/// <summary>
/// What the index needs to know about every item to filter and count without touching the items table: its day,
/// month, kind and categories, in arrays indexed by rowid (about 40 bytes an item). Facet counts over a whole
/// result set and date windows then cost one pass over the matching rowids. The arrays follow the database:
/// before each search, <c>PRAGMA data_version</c> says whether any connection committed, and only items whose
/// <c>rev</c> is newer than the last one seen are read again.
/// </summary>
public sealed class DocFacts(Database database) : IDisposable
{
    private readonly Lock _gate = new();
    private SqliteConnection? _watch;
    private long _dataVersion = -1;
    private long _rev;
    private volatile State _state = new(0);
    private readonly Dictionary<string, ushort> _categoryIds = new(StringComparer.Ordinal);
    private readonly List<string> _categoryNames = [];

    /// <summary>The arrays of one moment. Grown by copying; single entries are replaced in place (a reader sees either value).</summary>
    internal sealed class State(int capacity)
    {
        public int[] Day = Fill(capacity);
        public byte[] Kind = new byte[capacity];
        public ushort[][] Categories = new ushort[capacity][];
        public int MaxId;
        public int Count;

        private static int[] Fill(int n)
        {
            var a = new int[n];
            Array.Fill(a, Missing);
            return a;
        }
    }

    public const int Missing = int.MinValue;

    internal static byte KindCode(string kind) => kind switch
    {
        ItemKind.Paper => 1,
        ItemKind.Post => 2,
        ItemKind.Link => 3,
        _ => 0,
    };

    internal static string KindName(byte code) => code switch
    {
        1 => ItemKind.Paper,
        2 => ItemKind.Post,
        3 => ItemKind.Link,
        _ => "other",
    };

    internal string CategoryName(ushort id) => _categoryNames[id];

    internal int CategoryCount => _categoryNames.Count;

    /// <summary>SQLite's data_version when the arrays were last brought up to date: changes whenever anything commits.</summary>
    internal long DataVersion => Interlocked.Read(ref _dataVersion);

    /// <summary>Brings the arrays up to date with the database and returns them.</summary>
    internal State Current()
    {
        lock (_gate)
        {
            _watch ??= database.Open();
            using (var cmd = _watch.CreateCommand())
            {
                cmd.CommandText = "PRAGMA data_version";
                var version = (long)cmd.ExecuteScalar()!;
                if (version == _dataVersion) return _state;
                _dataVersion = version;
            }
            Load();
            return _state;
        }
    }

    /// <summary>Forget everything and read all items again (after a rebuild).</summary>
    internal void Reset()
    {
        lock (_gate)
        {
            _rev = 0;
            _dataVersion = -1;
            _state = new State(0);
        }
    }

    private void Load()
    {
        using var cmd = _watch!.CreateCommand();
        cmd.CommandText = "SELECT id, kind, published, categories, rev FROM items WHERE rev > $rev ORDER BY rev";
        cmd.Parameters.AddWithValue("$rev", _rev);
        var state = _state;
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var id = checked((int)reader.GetInt64(0));
            if (id >= state.Day.Length) state = Grow(state, id);
            if (state.Day[id] == Missing) state.Count++;
            state.Kind[id] = KindCode(reader.GetString(1));
            state.Day[id] = DayNumber(reader.GetString(2));
            state.Categories[id] = CategoryIds(reader.GetString(3));
            state.MaxId = Math.Max(state.MaxId, id);
            _rev = reader.GetInt64(4);
        }
        _state = state;
    }

    private static State Grow(State old, int id)
    {
        var capacity = Math.Max(1024, Math.Max(id + 1, old.Day.Length * 2));
        var grown = new State(capacity) { MaxId = old.MaxId, Count = old.Count };
        Array.Copy(old.Day, grown.Day, old.Day.Length);
        Array.Copy(old.Kind, grown.Kind, old.Kind.Length);
        Array.Copy(old.Categories, grown.Categories, old.Categories.Length);
        return grown;
    }

    /// <summary>Days since 0001-01-01 of an ISO-8601 instant, read from its first ten characters (UTC).</summary>
    internal static int DayNumber(string iso)
    {
        if (iso.Length >= 10
            && int.TryParse(iso.AsSpan(0, 4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y)
            && int.TryParse(iso.AsSpan(5, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m)
            && int.TryParse(iso.AsSpan(8, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d)
            && y is >= 1 and <= 9999 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m))
        {
            return new DateOnly(y, m, d).DayNumber;
        }
        return ItemDates.Parse(iso).UtcDateTime.Date is var dt ? DateOnly.FromDateTime(dt).DayNumber : Missing;
    }

    private ushort[] CategoryIds(string categories)
    {
        if (categories.Length == 0) return [];
        var names = categories.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ids = new ushort[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            if (!_categoryIds.TryGetValue(names[i], out var id))
            {
                id = checked((ushort)_categoryNames.Count);
                _categoryIds[names[i]] = id;
                _categoryNames.Add(names[i]);
            }
            ids[i] = id;
        }
        return ids;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _watch?.Dispose();
            _watch = null;
        }
    }
}

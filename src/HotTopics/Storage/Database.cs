using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HotTopics.Storage;

/// <summary>
/// Opens connections to the one SQLite database. Every connection gets the same pragmas; the database runs in
/// WAL mode so searches keep working while an import or a harvest writes.
/// </summary>
public sealed class Database
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;

    public Database(IOptions<StorageOptions> options)
    {
        var o = options.Value;
        DataDir = Path.GetFullPath(o.DataDir);
        FilePath = Path.Combine(DataDir, o.DatabaseFile);
        _busyTimeoutMs = o.BusyTimeoutMs;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = Math.Max(1, _busyTimeoutMs / 1000),
        }.ToString();
    }

    public string DataDir { get; }

    public string FilePath { get; }

    public string ConnectionString => _connectionString;

    public SqliteConnection Open()
    {
        Directory.CreateDirectory(DataDir);
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;");
        pragma.ExecuteNonQuery();
        return connection;
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(DataDir);
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;");
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }
}

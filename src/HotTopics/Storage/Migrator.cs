using System.Globalization;
using System.Reflection;
using Dapper;

namespace HotTopics.Storage;

/// <summary>
/// Applies the numbered SQL files under Storage/Migrations in order, each in its own transaction, and records
/// them in <c>schema_version</c>. A shipped migration is never edited: a change is a new file.
/// </summary>
public sealed class Migrator(Database database, ILogger<Migrator> logger)
{
    private const string ResourcePrefix = "HotTopics.Migrations.";

    public static IReadOnlyList<(int Version, string Name, string Sql)> LoadMigrations()
    {
        var assembly = typeof(Migrator).Assembly;
        var list = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal)) continue;
            var name = resource[ResourcePrefix.Length..];
            var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add((version, name, reader.ReadToEnd()));
        }
        return [.. list.OrderBy(m => m.Item1)];
    }

    /// <summary>Brings the database up to the newest schema; returns how many migrations ran.</summary>
    public int Migrate()
    {
        using var connection = database.Open();
        // WAL is a property of the database file: set once, kept by every later connection.
        connection.Execute("PRAGMA journal_mode = WAL;");
        connection.Execute("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            );
            """);
        var applied = connection.Query<int>("SELECT version FROM schema_version").ToHashSet();
        var count = 0;
        foreach (var (version, name, sql) in LoadMigrations())
        {
            if (applied.Contains(version)) continue;
            using var tx = connection.BeginTransaction();
            connection.Execute(sql, transaction: tx);
            connection.Execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @at)",
                new { version, name, at = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) }, tx);
            tx.Commit();
            StorageLog.MigrationApplied(logger, version, name);
            count++;
        }
        return count;
    }
}

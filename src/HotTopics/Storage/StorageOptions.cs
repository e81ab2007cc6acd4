using System.ComponentModel.DataAnnotations;

namespace HotTopics.Storage;

/// <summary>Where HotTopics keeps its data: the SQLite database (items, index, jobs) and model files.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Data directory; relative paths are resolved against the current directory.</summary>
    [Required]
    public string DataDir { get; set; } = "index";

    [Required]
    public string DatabaseFile { get; set; } = "hottopics.db";

    /// <summary>Load the bundled demo papers when the service starts on an empty database.</summary>
    public bool SeedDemoData { get; set; } = true;

    /// <summary>How long a connection waits for another writer before giving up.</summary>
    [Range(100, 600_000)]
    public int BusyTimeoutMs { get; set; } = 10_000;
}

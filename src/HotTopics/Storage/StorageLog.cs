namespace HotTopics.Storage;

internal static partial class StorageLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version} ({Name})")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database is empty: loading the bundled demo papers from {Path}")]
    public static partial void SeedingDemo(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data loaded: {Count} papers")]
    public static partial void SeededDemo(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo data file {Path} is missing; starting with an empty database")]
    public static partial void DemoMissing(ILogger logger, string path);
}

namespace HotTopics.Harvesting;

internal static partial class HarvestingLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Harvest of {Source} started ({Trigger})")]
    public static partial void RunStarted(ILogger logger, string source, string trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Harvest of {Source} done: {Pages} pages, {New} new, {Updated} updated")]
    public static partial void RunSucceeded(ILogger logger, string source, int pages, int @new, int updated);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Harvest of {Source} failed ({Failures} in a row): {Error}")]
    public static partial void RunFailed(ILogger logger, string source, int failures, string error, Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "GET {Url} attempt {Attempt} failed ({Reason}); retrying in {Seconds:F1} s")]
    public static partial void Retrying(ILogger logger, Uri url, int attempt, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Source {Source} skipped by the schedule: {Reason}")]
    public static partial void SkippedByTheSchedule(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source}: {Message}")]
    public static partial void SourceBusy(ILogger logger, string source, string message);
}

namespace HotTopics.Classification;

internal static partial class ClassificationLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "The topic model in service cannot be used: {Message}")]
    public static partial void ModelUnreadable(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topics: {Message}")]
    public static partial void Retrained(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topics: tagged {Count} items")]
    public static partial void Tagged(ILogger logger, int count);
}

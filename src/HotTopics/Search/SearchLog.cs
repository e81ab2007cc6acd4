namespace HotTopics.Search;

internal static partial class SearchLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "FTS5 refused the expression {Match}: {Error}")]
    public static partial void FtsRejected(ILogger logger, string match, string error);
}

namespace HotTopics.Search;

/// <summary>A query the user typed that our syntax does not accept; the message tells them how to fix it.</summary>
public sealed class QuerySyntaxException : Exception
{
    public QuerySyntaxException(string message) : base(message) { }

    public QuerySyntaxException(string message, Exception inner) : base(message, inner) { }

    public QuerySyntaxException() : base("The query is not valid.") { }
}

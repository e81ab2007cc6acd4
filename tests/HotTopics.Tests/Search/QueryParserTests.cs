using HotTopics.Search;

namespace HotTopics.Tests.Search;

/// <summary>What reaches FTS5: only quoted tokens and our operators, whatever the user typed.</summary>
public sealed class QueryParserTests
{
    [Theory]
    [InlineData("diffusion", "\"diffusion\"")]
    [InlineData("Diffusion Models", "(\"diffusion\" AND \"models\")")]
    [InlineData("\"test-time scaling\"", "\"test time scaling\"")]
    [InlineData("optim*", "\"optim\"*")]
    [InlineData("rlhf OR dpo", "(\"rlhf\" OR \"dpo\")")]
    [InlineData("llm -survey -review", "(\"llm\" NOT (\"survey\" OR \"review\"))")]
    [InlineData("title:(graph -neural)", "title : ((\"graph\" NOT (\"neural\")))")]
    [InlineData("category:cs.LG", "categories : (\"cs lg\")")]
    [InlineData("author:\"Yann LeCun\"", "authors : (\"yann lecun\")")]
    [InlineData("state-of-the-art", "\"state of the art\"")]
    [InlineData("near duplicate", "(\"near\" AND \"duplicate\")")]
    [InlineData("c++ & rust", "(\"c\" AND \"rust\")")]
    public void Queries_become_quoted_FTS5_expressions(string query, string expected)
    {
        Assert.Equal(expected, QueryParser.Parse(query).Match);
    }

    [Fact]
    public void Ranking_candidates_need_a_query_word_in_the_title_and_bm25s_phrases_leave_out_excluded_ones()
    {
        var q = QueryParser.Parse("graph -survey author:zhang title:(neural OR net*)", categories: ["cs.LG"]);
        Assert.Equal(["\"graph\"", "authors : (\"zhang\")", "title : (\"neural\")", "title : (\"net\"*)", "categories : (\"cs lg\")"], q.Phrases);
        Assert.Equal($"({q.Match}) AND title : (\"graph\" OR (\"neural\" OR \"net\"*))", q.TitleMatch);
        // Only authors or categories: nothing can match through the title.
        Assert.Null(QueryParser.Parse("author:zhang").TitleMatch);
    }

    [Fact]
    public void Filters_are_taken_out_of_the_text()
    {
        var q = QueryParser.Parse("transformer after:2026-01 before:2026-03-15 kind:paper");
        Assert.Equal("\"transformer\"", q.Match);
        Assert.Equal(new DateOnly(2026, 1, 1), q.From);
        Assert.Equal(new DateOnly(2026, 3, 15), q.Until);
        Assert.Equal(["paper"], q.Kinds);
    }

    [Fact]
    public void API_dates_are_inclusive_and_combine_with_the_query_window()
    {
        var q = QueryParser.Parse("after:2026-01-10", from: new DateOnly(2026, 1, 1), to: new DateOnly(2026, 1, 31));
        Assert.Equal(new DateOnly(2026, 1, 10), q.From);
        Assert.Equal(new DateOnly(2026, 2, 1), q.Until);
    }

    [Fact]
    public void An_empty_query_browses()
    {
        Assert.Null(QueryParser.Parse("").Match);
        Assert.Null(QueryParser.Parse("   ").Match);
        Assert.Null(QueryParser.Parse("after:2026").Match);
    }

    [Theory]
    [InlineData("(a OR after:2026)")]
    [InlineData("-after:2026 x")]
    [InlineData("title:(author:x)")]
    [InlineData("x OR -y")]
    [InlineData("()")]
    [InlineData("x AND AND y")]
    [InlineData("*")]
    public void Malformed_queries_are_refused(string query)
    {
        var ex = Assert.Throws<QuerySyntaxException>(() => QueryParser.Parse(query));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }
}

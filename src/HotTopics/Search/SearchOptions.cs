using System.ComponentModel.DataAnnotations;

namespace HotTopics.Search;

public sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary>
    /// The most matches FTS5 ranks by bm25 for one page (~2 µs each on the 2-core machine kind, so 8,000 ≈ 16 ms).
    /// Larger result sets are ranked from candidates (see <see cref="SearchIndex"/>); a larger budget is slower
    /// and closer to exact.
    /// </summary>
    [Range(100, int.MaxValue)]
    public int RankBudget { get; set; } = 8_000;
}

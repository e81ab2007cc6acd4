using System.Globalization;
using HotTopics.Search;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotTopics.Pages;

public sealed class IndexModel(SearchService search) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Category { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public SearchResponse? Result { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        try
        {
            Result = await search.SearchAsync(new SearchRequest
            {
                Q = Q, Category = Category, Kind = Kind, From = From, To = To,
                // With no words to rank by, newest first is the only order that means anything.
                Sort = string.IsNullOrWhiteSpace(Q) && Sort is null ? "newest" : Sort,
                Page = PageNumber,
            }, ct);
        }
        catch (QuerySyntaxException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    public int LastPage => Result is null ? 1 : Math.Max(1, Math.Min(10_000, (Result.Total + Result.PageSize - 1) / Result.PageSize));

    /// <summary>A link to this search with some parameters changed (null removes one); changing anything but the page goes back to page 1.</summary>
    public string Link(string? category = "", string? kind = "", string? from = "", string? to = "", string? sort = "", int? page = null, string? q = "")
    {
        var values = new Dictionary<string, string?>
        {
            ["q"] = q == "" ? Q : q,
            ["category"] = category == "" ? Category : category,
            ["kind"] = kind == "" ? Kind : kind,
            ["from"] = from == "" ? From : from,
            ["to"] = to == "" ? To : to,
            ["sort"] = sort == "" ? Sort : sort,
            ["page"] = page?.ToString(CultureInfo.InvariantCulture),
        };
        return "/" + Microsoft.AspNetCore.Http.QueryString.Create(values.Where(kv => !string.IsNullOrEmpty(kv.Value)));
    }

    public static (string From, string To) MonthRange(string month)
    {
        var first = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return (first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), first.AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}

using HotTopics.Accounts;
using HotTopics.Search;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotTopics.Pages.Admin;

/// <summary>The organizers' desk: the state of the index and the accounts. Everything under /admin needs an organizer.</summary>
public sealed class IndexModel(SearchIndex index, AccountStore accounts) : PageModel
{
    public SearchIndex.Health? Health { get; private set; }
    public IReadOnlyList<HotTopics.Accounts.Account> Accounts { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Health = await index.HealthAsync(ct);
        Accounts = await accounts.ListAsync(ct);
    }

    public async Task OnPostReindexAsync(CancellationToken ct)
    {
        var count = await Task.Run(index.Rebuild, ct);
        Message = $"The index was rebuilt from {count:N0} items.";
        await OnGetAsync(ct);
    }
}

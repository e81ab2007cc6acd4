using HotTopics.Classification;
using HotTopics.Items;
using HotTopics.Search;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotTopics.Pages.Items;

public sealed class ShowModel(ItemStore items, SearchIndex index, TopicService topics) : PageModel
{
    public Item? Item { get; private set; }
    public IReadOnlyList<Item> Similar { get; private set; } = [];
    public ItemTopics? Topics { get; private set; }
    public IReadOnlyList<TopicDefinition> Taxonomy => topics.Topics;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        Item = await items.FindAsync(id, ct);
        if (Item is null) return NotFound();
        Similar = await index.SimilarAsync(Item, 8, ct);
        Topics = await topics.ForItemAsync(Item, ct);
        return Page();
    }
}

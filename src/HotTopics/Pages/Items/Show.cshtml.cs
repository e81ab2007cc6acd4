using HotTopics.Classification;
using HotTopics.Items;
using HotTopics.Search;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotTopics.Pages.Items;

public sealed class ShowModel(ItemStore items, SearchIndex index, ItemLinkStore links, TopicService topics) : PageModel
{
    public Item? Item { get; private set; }
    public IReadOnlyList<Item> Similar { get; private set; } = [];
    /// <summary>Posts about this paper.</summary>
    public IReadOnlyList<Item> DiscussedIn { get; private set; } = [];
    /// <summary>Papers this post is about: stored ones, and the keys (arxiv:ID, doi:DOI) of those not stored yet.</summary>
    public IReadOnlyList<Item> Discusses { get; private set; } = [];
    public IReadOnlyList<string> DiscussesNotStored { get; private set; } = [];
    public IReadOnlyList<Item> SameStory { get; private set; } = [];
    /// <summary>The post's body, sanitised when it was harvested.</summary>
    public string? ContentHtml { get; private set; }
    public ItemTopics? Topics { get; private set; }
    public IReadOnlyList<TopicDefinition> Taxonomy => topics.Topics;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        Item = await items.FindAsync(id, ct);
        if (Item is null) return NotFound();
        Similar = await index.SimilarAsync(Item, 8, ct);
        if (Item.Kind == ItemKind.Paper) DiscussedIn = await links.DiscussedInAsync(Item, ct);
        else
        {
            (Discusses, DiscussesNotStored) = await links.DiscussesAsync(Item, ct);
            SameStory = await links.SameStoryAsync(Item, ct);
            ContentHtml = await links.ContentAsync(Item.Id, ct);
        }
        Topics = await topics.ForItemAsync(Item, ct);
        return Page();
    }
}

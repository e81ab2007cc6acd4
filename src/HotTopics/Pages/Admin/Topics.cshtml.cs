using System.Security.Claims;
using HotTopics.Classification;
using HotTopics.Items;
using HotTopics.Jobs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace HotTopics.Pages.Admin;

/// <summary>Organizers' topic desk: the model in service and its history, "retrain now", the review queue, labelling.</summary>
public sealed class TopicsModel(TopicService topics, TopicStore store, ItemStore items, TopicSchedule schedule, IOptions<JobsOptions> jobs) : PageModel
{
    public TopicModelRecord? Current { get; private set; }
    public IReadOnlyList<TopicModelRecord> History { get; private set; } = [];
    public IReadOnlyList<ReviewCandidate> Queue { get; private set; } = [];
    public IReadOnlyList<TopicDefinition> Taxonomy => topics.Topics;
    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Current = await store.PromotedAsync(ct);
        History = await store.HistoryAsync(20, ct);
        Queue = await store.ReviewQueueAsync(30, ct);
    }

    public string TopicName(string key) => Taxonomy.FirstOrDefault(t => t.Key == key)?.Name ?? key;

    public async Task<IActionResult> OnPostRetrainAsync(CancellationToken ct)
    {
        if (jobs.Value.Enabled)
        {
            await schedule.TriggerRetrainAsync("organizer", ct);
            Message = "Retraining started in the background; the history below shows the result when it is done.";
        }
        else
        {
            Message = (await topics.RetrainAsync("organizer", ct)).Message;
        }
        return RedirectToPage();
    }

    /// <summary>Adds (present = true) or removes a topic on an item; from the item page or the review queue.</summary>
    public async Task<IActionResult> OnPostLabelAsync(string item, string topic, bool present, string? returnUrl, CancellationToken ct)
    {
        var found = await items.FindAsync(item, ct);
        if (found is null) return NotFound();
        if (topics.Topics.All(t => t.Key != topic)) return BadRequest($"'{topic}' is not a topic of the taxonomy.");
        var organizer = User.FindFirstValue(ClaimTypes.Email) ?? User.Identity?.Name ?? "organizer";
        await topics.LabelAsync(found.Id, topic, present, organizer, ct);
        Message = $"{(present ? "Added" : "Removed")} {topics.Topics.First(t => t.Key == topic).Name} {(present ? "to" : "from")} \"{found.Title}\".";
        return Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : RedirectToPage();
    }
}

using HotTopics.Harvesting.Feeds;
using HotTopics.Harvesting.Sources;
using HotTopics.Jobs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace HotTopics.Pages.Admin;

/// <summary>Follow a site or feed, import and export OPML, and see which feeds are failing.</summary>
public sealed class FeedsModel(FeedSources feeds, HarvestSchedule schedule, IOptions<FeedOptions> options) : PageModel
{
    public IReadOnlyList<Source> Feeds { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }
    public FeedOptions Options => options.Value;

    public async Task OnGetAsync(CancellationToken ct) => Feeds = await feeds.ListAsync(ct);

    public async Task OnPostAddAsync(string url, string? name, CancellationToken ct)
    {
        try
        {
            var added = await feeds.AddAsync(url ?? "", string.IsNullOrWhiteSpace(name) ? null : name, ct);
            if (!added.AlreadyFollowed) await schedule.SyncAsync(ct);
            Message = added.AlreadyFollowed ? $"{added.Source.Name} is already followed." : $"Following {added.Source.Name}: {added.Source.Url} ({added.How}).";
        }
        catch (FeedSourceException ex)
        {
            Error = ex.Message;
        }
        await OnGetAsync(ct);
    }

    public async Task OnPostImportAsync(IFormFile? opml, CancellationToken ct)
    {
        if (opml is null || opml.Length == 0)
        {
            Error = "Choose an OPML file to import.";
        }
        else
        {
            using var reader = new StreamReader(opml.OpenReadStream());
            try
            {
                var result = await feeds.ImportOpmlAsync(await reader.ReadToEndAsync(ct), ct);
                if (result.Added > 0) await schedule.SyncAsync(ct);
                Message = $"{result.Added} feeds added, {result.AlreadyFollowed} already followed, {result.Refused.Count} refused.";
                if (result.Refused.Count > 0) Error = string.Join(" ", result.Refused);
            }
            catch (FeedSourceException ex)
            {
                Error = ex.Message;
            }
        }
        await OnGetAsync(ct);
    }

    public async Task<IActionResult> OnGetOpmlAsync(CancellationToken ct) =>
        File(System.Text.Encoding.UTF8.GetBytes(await feeds.ExportOpmlAsync(ct)), "text/x-opml", "hottopics-sources.opml");
}

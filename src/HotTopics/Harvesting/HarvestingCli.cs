using System.Globalization;
using HotTopics.Harvesting.Sources;
using HotTopics.Jobs;

namespace HotTopics.Harvesting;

/// <summary>The verbs <c>harvest SOURCE</c> and <c>sources</c>.</summary>
internal static class HarvestingCli
{
    public static readonly CliVerb[] Verbs =
    [
        new("harvest", "harvest SOURCE [--from YYYY-MM-DD] [--until YYYY-MM-DD]", """
            Harvests one source now (by name or number, see 'sources') and shows progress. Without --from/--until it
            continues from the source's cursor; with them it fetches that window (inclusive days). The run is
            recorded in the run history like a scheduled one; a failure is stored on the source and exits 1.
            A killed harvest resumes from the last stored page when started again.
            """, HarvestAsync),
        new("sources", "sources", """
            Lists the sources with their kind, schedule and state: last success, failures in a row, last error,
            next attempt, and the last run.
            """, SourcesAsync),
    ];

    private static async Task<int> HarvestAsync(IHost host, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var names = CliArgs.Positionals(args, "--from", "--until");
        if (names.Count != 1) throw new CliUsageException("harvest takes one SOURCE.");
        var window = new HarvestWindow(DateOption(args, "--from"), DateOption(args, "--until"));
        if (window is { From: { } f, Until: { } u } && u < f) throw new CliUsageException("--until is before --from.");
        await host.Services.GetRequiredService<SourceSeeder>().SeedAsync(CancellationToken.None);
        var harvester = host.Services.GetRequiredService<Harvester>();
        using var line = new CliProgress(stderr, "harvesting " + names[0]);
        // On a terminal: what the harvester is doing, line by line, under a rewritten count; redirected: quiet.
        var interactive = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
        var progress = new SynchronousProgress(p =>
        {
            if (interactive)
            {
                line.Clear();
                stderr.WriteLine(p.Message);
            }
            line.Report(p.ItemsNew + p.ItemsUpdated + p.ItemsUnchanged, double.NaN);
        });
        HarvestResult result;
        try
        {
            result = await harvester.RefreshAsync(names[0], RunTrigger.Manual, window, progress, CancellationToken.None);
        }
        catch (SourceNotFoundException ex)
        {
            await stderr.WriteLineAsync("error: " + ex.Message);
            return Cli.Usage;
        }
        catch (SourceBusyException ex)
        {
            await stderr.WriteLineAsync("error: " + ex.Message);
            return Cli.Partial;
        }
        line.Clear();
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{result.Source.Name}: {result.Pages} pages, {result.ItemsNew} new, {result.ItemsUpdated} updated, {result.ItemsUnchanged} unchanged");
        if (result.Succeeded)
        {
            await stdout.WriteLineAsync(summary + ".");
            return Cli.Ok;
        }
        await stdout.WriteLineAsync(summary + " before it stopped.");
        await stderr.WriteLineAsync($"error: {result.Error}");
        return Cli.Partial;
    }

    private static async Task<int> SourcesAsync(IHost host, string[] args, TextWriter stdout, TextWriter stderr)
    {
        await host.Services.GetRequiredService<SourceSeeder>().SeedAsync(CancellationToken.None);
        var runs = host.Services.GetRequiredService<JobRunStore>();
        var list = await host.Services.GetRequiredService<SourceStore>().ListAsync(CancellationToken.None);
        if (list.Count == 0) await stdout.WriteLineAsync("no sources.");
        foreach (var s in list)
        {
            var recent = await runs.RecentAsync(s.JobName, 1, CancellationToken.None);
            var last = recent.Count > 0 ? recent[0] : null;
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{s.Name}\t{s.Kind}\t{(s.Enabled ? "enabled" : "disabled")}\tschedule {s.Schedule ?? "none"}\t{s.Url}"));
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"    last success {s.LastSuccessAt ?? "never"}; failures in a row {s.ConsecutiveFailures}; next attempt {s.NextAttemptAt ?? "on schedule"}"));
            if (s.LastError is not null) await stdout.WriteLineAsync("    last error: " + s.LastError);
            if (last is not null)
            {
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"    last run {last.StartedAt} ({last.TriggerKind}): {last.Status}, {last.ItemsNew} new, {last.ItemsUpdated} updated"));
            }
        }
        return Cli.Ok;
    }

    private static DateOnly? DateOption(string[] args, string name)
    {
        var text = CliArgs.Option(args, name, null);
        if (text is null) return null;
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new CliUsageException($"{name} must be a day as YYYY-MM-DD, not '{text}'.");
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<HarvestProgress> report) : IProgress<HarvestProgress>
    {
        public void Report(HarvestProgress value) => report(value);
    }
}

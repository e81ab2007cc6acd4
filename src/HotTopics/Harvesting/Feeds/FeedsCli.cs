using System.Globalization;

namespace HotTopics.Harvesting.Feeds;

/// <summary>The verb <c>source</c>: follow a site or feed, import and export OPML.</summary>
internal static class FeedsCli
{
    public static readonly CliVerb[] Verbs =
    [
        new("source", "source add URL [--name NAME] | source list | source import FILE.opml | source export [FILE]", """
            add: follows a blog or news feed. URL may be the feed or any page of the site: the page's announced feeds
            (<link rel="alternate">) are tried, then the usual paths (/feed, /rss.xml, /atom.xml, /index.xml). The
            source is harvested on the Feeds:Schedule tick at its adaptive interval ('harvest NAME' runs it now).
            import: adds every feed of an OPML file that is not followed yet. export: writes every source as OPML
            (to FILE, or standard output). list: the feed sources with their state; FAILING marks a feed whose last
            Feeds:FailingAfterFailures harvests failed. A URL on a loopback or private address is refused.
            """, SourceAsync),
    ];

    private static async Task<int> SourceAsync(IHost host, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var positionals = CliArgs.Positionals(args, "--name");
        var feeds = host.Services.GetRequiredService<FeedSources>();
        try
        {
            switch (positionals)
            {
                case ["add", var url]:
                    var added = await feeds.AddAsync(url, CliArgs.Option(args, "--name", null), CancellationToken.None);
                    await stdout.WriteLineAsync(added.AlreadyFollowed
                        ? $"{added.Source.Name}: already followed ({added.Source.Url})."
                        : $"{added.Source.Name}: following {added.Source.Url} ({added.How}).");
                    return Cli.Ok;
                case ["list"]:
                    var failingAfter = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<FeedOptions>>().Value;
                    var listed = await feeds.ListAsync(CancellationToken.None);
                    if (listed.Count == 0) await stdout.WriteLineAsync("no feed sources ('source add URL' adds one).");
                    foreach (var s in listed)
                    {
                        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{s.Name}\t{(failingAfter.IsFailing(s) ? "FAILING" : s.ConsecutiveFailures > 0 ? "retrying" : "ok")}\t{s.Url}\tlast success {s.LastSuccessAt ?? "never"}"));
                        if (s.LastError is not null) await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"    {s.ConsecutiveFailures} failures in a row; last error: {s.LastError}"));
                    }
                    return Cli.Ok;
                case ["import", var file]:
                    if (!File.Exists(file)) throw new CliUsageException($"no such file: {file}");
                    var result = await feeds.ImportOpmlAsync(await File.ReadAllTextAsync(file), CancellationToken.None);
                    await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{result.Added} feeds added, {result.AlreadyFollowed} already followed, {result.Refused.Count} refused."));
                    foreach (var reason in result.Refused) await stderr.WriteLineAsync("refused: " + reason);
                    return result.Refused.Count > 0 ? Cli.Partial : Cli.Ok;
                case ["export"]:
                    await stdout.WriteAsync(await feeds.ExportOpmlAsync(CancellationToken.None));
                    return Cli.Ok;
                case ["export", var target]:
                    await File.WriteAllTextAsync(target, await feeds.ExportOpmlAsync(CancellationToken.None));
                    return Cli.Ok;
                default:
                    throw new CliUsageException("source takes: add URL [--name NAME], import FILE, or export [FILE].");
            }
        }
        catch (FeedSourceException ex)
        {
            await stderr.WriteLineAsync("error: " + ex.Message);
            return Cli.Usage;
        }
    }
}

using System.Globalization;
using System.Text.Json;
using HotTopics.Items;
using HotTopics.Search;
using HotTopics.Storage;

namespace HotTopics;

/// <summary>
/// Command-line verbs on the same binary as the web app: <c>dotnet run --project src/HotTopics -- VERB ...</c>
/// or <c>dotnet HotTopics.dll VERB ...</c>. Exit codes: 0 done, 1 done but some input was skipped, 2 bad usage or input.
/// </summary>
public static class Cli
{
    public const int Ok = 0;
    public const int Partial = 1;
    public const int Usage = 2;

    // A feature with verbs of its own keeps them in its folder (XxxCli.Verbs) and adds one line here.
    private static readonly CliVerb[] Verbs =
    [
        new("import", "import FILE", """
            Imports arXiv papers from a .jsonl or .jsonl.gz file (one JSON object a line: id, title, summary, authors,
            categories, comment, abs, pdf, listing_date). Importing the same file twice changes nothing; a changed
            record updates its item. A malformed line is reported with its number and skipped; the exit code is 1
            when any line was skipped.
            """, ImportAsync),
        new("search", "search QUERY [--limit N] [--page N] [--sort relevance|newest] [--category C] [--kind K] [--from D] [--to D] [--json]", """
            Searches the index with the query syntax of the search page and prints ranked results (id, title, score,
            snippet). --json prints exactly the JSON of GET /api/search. A query the syntax does not accept exits 2.
            """, SearchAsync),
        new("reindex", "reindex", """
            Rebuilds the full-text index from the items table and merges it into one segment.
            """, ReindexAsync),
        new("user", "user add EMAIL --role organizer|member [--name NAME] | user list", """
            Adds a user (or changes the role and password of an existing one) and lists users. The password is read
            from the HOTTOPICS_PASSWORD variable, or else from the first line of standard input; it needs at least
            12 characters.
            """, UserAsync),
        new("migrate", "migrate", """
            Creates the database or brings its schema up to date (the server does this on start too).
            """, MigrateAsync),
        .. Classification.ClassificationCli.Verbs,
        .. Harvesting.HarvestingCli.Verbs,
        .. Harvesting.Feeds.FeedsCli.Verbs,
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static bool IsVerb(string[] args)
    {
        var first = FirstPositional(args);
        return first is not null && (first is "help" || Verbs.Any(v => v.Name == first))
            || args.Contains("--help") || args.Contains("-h");
    }

    public static string? DataDirArgument(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--data-dir" && i + 1 < args.Length) return args[i + 1];
            if (args[i].StartsWith("--data-dir=", StringComparison.Ordinal)) return args[i]["--data-dir=".Length..];
        }
        return null;
    }

    public static string[] StripDataDir(string[] args)
    {
        var list = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--data-dir") { i++; continue; }
            if (args[i].StartsWith("--data-dir=", StringComparison.Ordinal)) continue;
            list.Add(args[i]);
        }
        return [.. list];
    }

    private static string? FirstPositional(string[] args) => StripDataDir(args).FirstOrDefault(a => !a.StartsWith('-'));

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var rest = StripDataDir(args);
        var name = rest.FirstOrDefault(a => !a.StartsWith('-'));
        var verb = Verbs.FirstOrDefault(v => v.Name == name);
        if (verb is null || name == "help")
        {
            await stdout.WriteLineAsync(UsageText());
            return name is null or "help" ? Ok : Usage;
        }
        var verbArgs = rest.SkipWhile(a => a != name).Skip(1).ToArray();
        if (verbArgs.Contains("--help") || verbArgs.Contains("-h"))
        {
            await stdout.WriteLineAsync($"usage: hottopics {verb.Synopsis}\n\n{verb.Help.Trim()}\n\nEvery verb takes --data-dir DIR (or the HOTTOPICS_DATA variable) to use another data directory.");
            return Ok;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Verbs talk to the user on stdout/stderr; the log only carries warnings, on stderr, so --json stays clean.
        builder.Configuration.AddInMemoryCollection([new("Logging:LogLevel:Default", "Warning"), new("Logging:LogLevel:Microsoft", "Warning")]);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddHotTopicsCore(args);
        using var host = builder.Build();
        host.Services.GetRequiredService<Migrator>().Migrate();
        try
        {
            return await verb.Run(host, verbArgs, stdout, stderr);
        }
        catch (CliUsageException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}\nusage: hottopics {verb.Synopsis}");
            return Usage;
        }
    }

    private static string UsageText() =>
        "HotTopics: papers and news for a research community's hot-topics block.\n\n" +
        "usage: hottopics [--data-dir DIR] VERB [options]      (no verb: start the web app)\n\nverbs:\n" +
        string.Join('\n', Verbs.Select(v => "  " + v.Synopsis)) +
        "\n\nhottopics VERB --help tells more about one verb.";

    private static async Task<int> ImportAsync(IHost host, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var files = CliArgs.Positionals(args);
        if (files.Count != 1) throw new CliUsageException("import takes one FILE.");
        var path = files[0];
        if (!File.Exists(path))
        {
            await stderr.WriteLineAsync($"error: {path}: no such file.");
            return Usage;
        }
        var importer = host.Services.GetRequiredService<ItemImporter>();
        using var progress = new CliProgress(stderr, "importing");
        var result = await importer.ImportAsync(path,
            (r, fraction) => progress.Report(r.Counts.Added + r.Counts.Updated + r.Counts.Unchanged, fraction),
            (line, reason) =>
            {
                progress.Clear();
                stderr.WriteLine($"{path}:{line}: skipped: {reason}");
            },
            CancellationToken.None);
        progress.Clear();
        var total = result.Counts.Added + result.Counts.Updated + result.Counts.Unchanged;
        var rate = total / Math.Max(result.Elapsed.TotalSeconds, 1e-3);
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{total:N0} papers read in {result.Elapsed.TotalSeconds:F1} s ({rate:N0}/s): {result.Counts.Added:N0} new, {result.Counts.Updated:N0} updated, {result.Counts.Unchanged:N0} unchanged, {result.Skipped.Count:N0} lines skipped."));
        return result.Skipped.Count > 0 ? Partial : Ok;
    }

    private static async Task<int> SearchAsync(IHost host, string[] args, TextWriter stdout, TextWriter stderr)
    {
        string[] valued = ["--limit", "--page", "--sort", "--category", "--kind", "--from", "--to"];
        var query = string.Join(' ', CliArgs.Positionals(args, valued));
        var request = new SearchRequest
        {
            Q = query,
            PageSize = CliArgs.IntOption(args, "--limit", 10),
            Page = CliArgs.IntOption(args, "--page", 1),
            Sort = CliArgs.Option(args, "--sort", null),
            Category = CliArgs.Option(args, "--category", null),
            Kind = CliArgs.Option(args, "--kind", null),
            From = CliArgs.Option(args, "--from", null),
            To = CliArgs.Option(args, "--to", null),
        };
        SearchResponse response;
        try
        {
            response = await host.Services.GetRequiredService<SearchService>().SearchAsync(request, CancellationToken.None);
        }
        catch (QuerySyntaxException ex)
        {
            await stderr.WriteLineAsync("error: " + ex.Message);
            return Usage;
        }
        if (args.Contains("--json"))
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(response, Json));
            return Ok;
        }
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{response.Total:N0} results"));
        var rank = (response.Page - 1) * response.PageSize;
        foreach (var hit in response.Items)
        {
            rank++;
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{rank,3}. {hit.Id}  {hit.Title}  (score {hit.Score:F2}, {hit.Published[..10]})"));
            await stdout.WriteLineAsync("     " + PlainSnippet(hit.Snippet));
        }
        return Ok;
    }

    /// <summary>The snippet for a terminal: tags dropped, matches in [brackets].</summary>
    private static string PlainSnippet(string html) => System.Net.WebUtility.HtmlDecode(
        html.Replace("<mark>", "[", StringComparison.Ordinal).Replace("</mark>", "]", StringComparison.Ordinal));

    private static async Task<int> ReindexAsync(IHost host, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await stderr.WriteLineAsync("rebuilding the full-text index…");
        var count = host.Services.GetRequiredService<SearchIndex>().Rebuild();
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"reindexed {count:N0} items in {started.Elapsed.TotalSeconds:F1} s."));
        return Ok;
    }

    private static async Task<int> UserAsync(IHost host, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var accounts = host.Services.GetRequiredService<Accounts.AccountStore>();
        var positionals = CliArgs.Positionals(args, "--role", "--name");
        switch (positionals.FirstOrDefault())
        {
            case "list":
                foreach (var a in await accounts.ListAsync(CancellationToken.None))
                    await stdout.WriteLineAsync($"{a.Email}\t{a.Role}\t{a.DisplayName}\tlast sign-in {a.LastLoginAt ?? "never"}");
                return Ok;
            case "add" when positionals.Count == 2:
                var password = Environment.GetEnvironmentVariable("HOTTOPICS_PASSWORD") ?? await Console.In.ReadLineAsync() ?? "";
                try
                {
                    var account = await accounts.SaveAsync(positionals[1], CliArgs.Option(args, "--name", ""), CliArgs.Option(args, "--role", Accounts.Roles.Member), password, CancellationToken.None);
                    await stdout.WriteLineAsync($"{account.Email} is saved as {account.Role}.");
                    return Ok;
                }
                catch (ArgumentException ex)
                {
                    await stderr.WriteLineAsync("error: " + ex.Message.Split(" (Parameter", StringSplitOptions.None)[0]);
                    return Usage;
                }
            default:
                throw new CliUsageException("use 'user add EMAIL --role organizer' or 'user list'.");
        }
    }

    private static async Task<int> MigrateAsync(IHost host, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var db = host.Services.GetRequiredService<Database>();
        await stdout.WriteLineAsync($"database {db.FilePath} is up to date.");
        return Ok;
    }
}

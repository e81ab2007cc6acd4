using HotTopics.Accounts;
using HotTopics.Classification;
using HotTopics.Harvesting;
using HotTopics.Harvesting.Feeds;
using HotTopics.Jobs;
using HotTopics.Search;
using Microsoft.AspNetCore.DataProtection;
using HotTopics.Storage;

namespace HotTopics;

/// <summary>What the web app and the CLI verbs share: configuration, storage, search.</summary>
public static class Composition
{
    public const string DataDirVariable = "HOTTOPICS_DATA";

    /// <summary>--data-dir beats HOTTOPICS_DATA beats Storage:DataDir in appsettings.</summary>
    public static IHostApplicationBuilder AddHotTopicsCore(this IHostApplicationBuilder builder, string[] args)
    {
        var dataDir = Cli.DataDirArgument(args) ?? Environment.GetEnvironmentVariable(DataDirVariable);
        if (!string.IsNullOrWhiteSpace(dataDir))
        {
            builder.Configuration.AddInMemoryCollection([new($"{StorageOptions.Section}:{nameof(StorageOptions.DataDir)}", dataDir)]);
        }
        builder.AddStorage();
        builder.AddSearch();
        builder.AddClassification();
        builder.AddHarvesting();
        builder.AddFeeds();
        builder.Services.AddSingleton<AccountStore>();
        return builder;
    }

    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        builder.AddAccounts();
        builder.AddJobs();
        builder.AddTopicJobs();
        // Every page under Pages/Admin is for organizers: one rule, so a new admin page cannot forget it.
        builder.Services.AddRazorPages(o => o.Conventions.AuthorizeFolder("/Admin", Roles.OrganizerPolicy));
        // Antiforgery and cookie keys live with the data, so a restart does not invalidate open forms.
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(
            Path.GetFullPath(builder.Configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.DataDir)}"] ?? "index"), "keys")));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>Migrate, then seed the demo papers into an empty database, before the first request.</summary>
    public static async Task PrepareDatabaseAsync(this IHost app)
    {
        app.Services.GetRequiredService<Migrator>().Migrate();
        await app.Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(CancellationToken.None);
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapOpenApi();
        return app;
    }
}

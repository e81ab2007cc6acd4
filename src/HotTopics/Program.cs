using HotTopics;
using HotTopics.Harvesting;
using HotTopics.Search;
using HotTopics.Storage;

if (Cli.IsVerb(args)) return await Cli.RunAsync(args);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = Cli.StripDataDir(args),
    ContentRootPath = AppContext.BaseDirectory,
});
builder.AddHotTopicsCore(args);
builder.AddWeb();

var app = builder.Build();
await app.PrepareDatabaseAsync();
app.UseWeb();
app.MapSearchApi();
app.MapHarvestingApi();
app.MapRazorPages();
await app.RunAsync();
return 0;

/// <summary>The entry point; public so the tests' WebApplicationFactory can start the real app.</summary>
public partial class Program;

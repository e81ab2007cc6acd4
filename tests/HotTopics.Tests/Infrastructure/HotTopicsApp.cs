using HotTopics.Items;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HotTopics.Tests.Infrastructure;

/// <summary>The real app on a fresh SQLite file in a temp directory, loaded with the real sample papers.</summary>
public class HotTopicsApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public TempDir Data { get; } = new();

    protected virtual bool ImportSample => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DataDir", Data.Path);
        builder.UseSetting("Storage:SeedDemoData", "false");
    }

    public async Task InitializeAsync()
    {
        StartServer(); // starts the host (in memory, or Kestrel when a subclass asked for it): migrations run
        if (ImportSample)
        {
            var result = await Services.GetRequiredService<ItemImporter>().ImportAsync(TestFiles.Sample, null, null, CancellationToken.None);
            Assert.Empty(result.Skipped);
        }
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        Data.Dispose();
    }
}

public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("hottopics-test-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public static class TestFiles
{
    public static string Dir => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData");

    /// <summary>403 real arXiv papers (every 150th of the shared corpus by listing date), CC0.</summary>
    public static string Sample => System.IO.Path.Combine(Dir, "arxiv-sample.jsonl");
}

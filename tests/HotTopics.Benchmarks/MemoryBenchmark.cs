using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Dapper;
using HotTopics.Storage;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The real server (the built HotTopics.dll) on the database in --work, asked N search queries over HTTP
/// (the benchmark's query set, all variants, in turn); then its resident memory is read from /proc.
/// </summary>
internal static class MemoryBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (Bench.ImportedWork(args, "memory") is not { } work) return 2;
        var count = int.Parse(Bench.Option(args, "--queries") ?? "1000", CultureInfo.InvariantCulture);
        // Search alone: without the scheduler, a first start on a large database does not train and tag alongside.
        var noJobs = args.Contains("--no-jobs");
        List<BenchQuery> queries;
        string windowFrom;
        long docs;
        using (var host = QueryBenchmark.BuildHost(work))
        {
            await using var db = await host.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
            queries = await QuerySet.BuildAsync(db);
            (docs, windowFrom) = await QuerySet.SizeAndWindowAsync(db);
        }

        var dll = ServerAssembly();
        var port = FreePort();
        using var server = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--data-dir", Path.GetFullPath(work), "--urls", $"http://127.0.0.1:{port}", "--Storage:SeedDemoData=false", "--Logging:LogLevel:Default=Warning", $"--Jobs:Enabled={!noJobs}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("server: " + e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
            var started = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) break;
                }
                catch (HttpRequestException)
                {
                }
                if (server.HasExited || started.Elapsed > TimeSpan.FromMinutes(2)) throw new InvalidOperationException("the server did not start");
                await Task.Delay(200);
            }
            var rssStart = Rss(server.Id);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var q = queries[i % queries.Count];
                var variant = (i / queries.Count) % 3;
                var url = "/api/search?pageSize=10&q=" + Uri.EscapeDataString(q.Q)
                    + (variant == 1 ? "&from=" + windowFrom : "") + (variant == 2 ? "&sort=newest" : "");
                var response = await http.GetAsync(url);
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{url}: {(int)response.StatusCode}");
            }
            var rss = Rss(server.Id);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| server RSS, {docs:N0} docs{(noJobs ? ", jobs off" : "")} | after start {rssStart.Rss / 1024.0:F0} MB | after {count:N0} queries ({clock.Elapsed.TotalSeconds:F0} s) {rss.Rss / 1024.0:F0} MB, peak {rss.Peak / 1024.0:F0} MB | {Bench.Load()} |"));
            return 0;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    /// <summary>The app's own build output (its runtimeconfig sits beside it).</summary>
    private static string ServerAssembly()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, $"../../../../../src/HotTopics/bin/{configuration}/net10.0/HotTopics.dll"));
        return File.Exists(path) ? path : Path.Combine(AppContext.BaseDirectory, "HotTopics.dll");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>VmRSS and VmHWM of a process, in kB.</summary>
    private static (long Rss, long Peak) Rss(int pid)
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        return (rss, peak);
    }
}

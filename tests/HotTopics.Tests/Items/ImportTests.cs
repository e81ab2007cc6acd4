using System.Text.Json;
using System.Text.Json.Nodes;
using HotTopics.Tests.Infrastructure;

namespace HotTopics.Tests.Items;

/// <summary>The import verb as a user runs it: through the CLI entry point, on a real SQLite file.</summary>
public sealed class ImportTests : IDisposable
{
    private readonly TempDir _data = new();

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Cli.RunAsync(["--data-dir", _data.Path, .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task<JsonElement> SearchJsonAsync(string query)
    {
        var (code, output, _) = await RunAsync("search", query, "--json", "--limit", "100");
        Assert.Equal(Cli.Ok, code);
        return JsonDocument.Parse(output).RootElement;
    }

    [Fact]
    public async Task Importing_the_same_file_twice_leaves_the_same_items()
    {
        var first = await RunAsync("import", TestFiles.Sample);
        Assert.Equal(Cli.Ok, first.Code);
        Assert.Contains($"{SampleCorpus.Papers.Count} new", first.Out, StringComparison.Ordinal);

        var second = await RunAsync("import", TestFiles.Sample);
        Assert.Equal(Cli.Ok, second.Code);
        Assert.Contains("0 new, 0 updated", second.Out, StringComparison.Ordinal);
        Assert.Equal(SampleCorpus.Papers.Count, (await SearchJsonAsync("after:2000")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_changed_record_updates_its_item_and_a_new_version_keeps_the_first_date()
    {
        await RunAsync("import", TestFiles.Sample);
        var original = SampleCorpus.Papers[5];
        var line = JsonNode.Parse(File.ReadLines(TestFiles.Sample).First(l => l.Contains(original.Id, StringComparison.Ordinal)))!.AsObject();
        line["id"] = original.Id + "v3";
        line["title"] = "Zyxwvut: a renamed title";
        line["listing_date"] = "2026-06-01";
        var changed = Path.Combine(_data.Path, "changed.jsonl");
        await File.WriteAllTextAsync(changed, line.ToJsonString() + "\n");

        var run = await RunAsync("import", changed);
        Assert.Equal(Cli.Ok, run.Code);
        Assert.Contains("0 new, 1 updated", run.Out, StringComparison.Ordinal);

        var hits = (await SearchJsonAsync("zyxwvut")).GetProperty("items");
        var hit = Assert.Single(hits.EnumerateArray());
        Assert.Equal(original.Id, hit.GetProperty("id").GetString());
        Assert.StartsWith(original.ListingDate, hit.GetProperty("published").GetString(), StringComparison.Ordinal);
        Assert.Equal("Zyxwvut: a renamed title", hit.GetProperty("title").GetString());
        Assert.Equal(SampleCorpus.Papers.Count, (await SearchJsonAsync("after:2000")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Two_versions_of_a_paper_in_one_file_become_one_item_with_the_newer_version()
    {
        var original = SampleCorpus.Papers[7];
        var v1 = JsonNode.Parse(File.ReadLines(TestFiles.Sample).First(l => l.Contains(original.Id, StringComparison.Ordinal)))!.AsObject();
        v1["id"] = original.Id + "v1";
        var v2 = v1.DeepClone().AsObject();
        v2["id"] = original.Id + "v2";
        v2["title"] = "Qwertzuiop: the second version";
        v2["listing_date"] = "2026-06-01";
        var file = Path.Combine(_data.Path, "versions.jsonl");
        await File.WriteAllTextAsync(file, v1.ToJsonString() + "\n" + v2.ToJsonString() + "\n");

        var run = await RunAsync("import", file);
        Assert.Equal(Cli.Ok, run.Code);
        Assert.Contains("1 new, 1 updated", run.Out, StringComparison.Ordinal);
        var hit = Assert.Single((await SearchJsonAsync("qwertzuiop")).GetProperty("items").EnumerateArray());
        Assert.Equal(original.Id, hit.GetProperty("id").GetString());
        Assert.StartsWith(original.ListingDate, hit.GetProperty("published").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await SearchJsonAsync("after:2000")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Text_outside_ASCII_and_JSON_escapes_come_back_as_written()
    {
        const string title = "Zwölf 😀 und 𝒪(n log n) “Anführung” <b>&amp; back\\slash \"quoted\"";
        var line = new JsonObject
        {
            ["id"] = "2601.00001", ["title"] = title, ["summary"] = "数学 and ünïcödé", ["authors"] = new JsonArray("Zoë Ågren"),
            ["categories"] = new JsonArray("cs.LG"), ["listing_date"] = "2026-01-02",
        };
        var file = Path.Combine(_data.Path, "text.jsonl");
        await File.WriteAllTextAsync(file, line.ToJsonString() + "\n");

        Assert.Equal(Cli.Ok, (await RunAsync("import", file)).Code);
        var hit = Assert.Single((await SearchJsonAsync("zwölf")).GetProperty("items").EnumerateArray());
        Assert.Equal(title, hit.GetProperty("title").GetString());
        Assert.Equal(["Zoë Ågren"], hit.GetProperty("authors").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Malformed_lines_are_reported_with_their_number_and_the_rest_imports()
    {
        var good = File.ReadLines(TestFiles.Sample).Take(3).ToList();
        var file = Path.Combine(_data.Path, "mixed.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            good[0],
            "{\"id\": \"2501.00001\", \"title\": \"cut off",
            "{\"id\": \"not-an-id\", \"title\": \"x\", \"listing_date\": \"2026-01-01\"}",
            "{\"id\": \"2501.00002\", \"listing_date\": \"2026-01-01\"}",
            "{\"id\": \"2501.00003\", \"title\": \"x\", \"listing_date\": \"01/02/2026\"}",
            "{\"id\": \"2501.00004\", \"title\": \"x\", \"listing_date\": \"2026-01-01\", \"authors\": \"A. Person\"}",
            "[1, 2, 3]",
            good[1],
            "",
            good[2],
        ]);

        var (code, output, errors) = await RunAsync("import", file);

        Assert.Equal(Cli.Partial, code);
        Assert.Contains("3 new", output, StringComparison.Ordinal);
        Assert.Contains("6 lines skipped", output, StringComparison.Ordinal);
        Assert.Contains("mixed.jsonl:2: skipped: invalid JSON", errors, StringComparison.Ordinal);
        Assert.Contains("mixed.jsonl:3: skipped: \"not-an-id\" is not an arXiv id", errors, StringComparison.Ordinal);
        Assert.Contains("mixed.jsonl:4: skipped: missing \"title\"", errors, StringComparison.Ordinal);
        Assert.Contains("mixed.jsonl:5: skipped: \"listing_date\" is \"01/02/2026\", expected YYYY-MM-DD", errors, StringComparison.Ordinal);
        Assert.Contains("mixed.jsonl:6: skipped: \"authors\" must be a list of strings", errors, StringComparison.Ordinal);
        Assert.Contains("mixed.jsonl:7: skipped: not a JSON object", errors, StringComparison.Ordinal);
        Assert.Equal(3, (await SearchJsonAsync("after:2000")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Byte_order_mark_windows_line_ends_a_stray_byte_and_no_final_newline_still_import()
    {
        var good = File.ReadLines(TestFiles.Sample).Take(3).ToList();
        var stray = JsonNode.Parse(good[1])!.AsObject();
        stray["title"] = "Caf# STRAYBYTE title";
        var bytes = new List<byte>();
        bytes.AddRange("\uFEFF"u8.ToArray());
        bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(good[0] + "\r\n"));
        // A Latin-1 byte where UTF-8 was expected: it reads as U+FFFD, the rest of the paper imports.
        bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(stray.ToJsonString()).Select(b => b == (byte)'#' ? (byte)0xE9 : b));
        bytes.AddRange("\r\n"u8.ToArray());
        bytes.AddRange(System.Text.Encoding.UTF8.GetBytes("{\"id\": \"2501.00009\", \"title\": \"x\", \"listing_date\": \"2026-01-01\"} trailing\r\n"));
        bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(good[2]));
        var file = Path.Combine(_data.Path, "windows.jsonl");
        await File.WriteAllBytesAsync(file, [.. bytes]);

        var (code, output, errors) = await RunAsync("import", file);

        Assert.Equal(Cli.Partial, code);
        Assert.Contains("3 new", output, StringComparison.Ordinal);
        Assert.Contains("windows.jsonl:3: skipped: invalid JSON", errors, StringComparison.Ordinal);
        Assert.Equal(3, (await SearchJsonAsync("after:2000")).GetProperty("total").GetInt32());
        var hit = Assert.Single((await SearchJsonAsync("straybyte")).GetProperty("items").EnumerateArray());
        Assert.Equal("Caf\uFFFD STRAYBYTE title", hit.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_gzip_file_imports_like_the_plain_one()
    {
        var gz = Path.Combine(_data.Path, "sample.jsonl.gz");
        await using (var output = File.Create(gz))
        await using (var zip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        await using (var input = File.OpenRead(TestFiles.Sample))
        {
            await input.CopyToAsync(zip);
        }
        var (code, output2, _) = await RunAsync("import", gz);
        Assert.Equal(Cli.Ok, code);
        Assert.Contains($"{SampleCorpus.Papers.Count} new", output2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_a_usage_error()
    {
        var (code, _, errors) = await RunAsync("import", Path.Combine(_data.Path, "nope.jsonl"));
        Assert.Equal(Cli.Usage, code);
        Assert.Contains("no such file", errors, StringComparison.Ordinal);
    }

    public void Dispose() => _data.Dispose();
}

using System.Text.Json;
using HotTopics.Tests.Infrastructure;

namespace HotTopics.Tests.Classification;

/// <summary>The train, classify and evaluate verbs on the sample file, as a user runs them.</summary>
public sealed class ClassificationCliTests : IDisposable
{
    private readonly TempDir _dir = new();

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Cli.RunAsync(["--data-dir", _dir.Path, .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string PathOf(string name) => Path.Combine(_dir.Path, name);

    [Fact]
    public async Task Train_classify_and_evaluate_a_category_model()
    {
        var (code, output, errors) = await RunAsync("train", "--data", TestFiles.Sample, "--min-examples", "20", "--out", PathOf("cats.model"));
        Assert.True(code == Cli.Ok, errors);
        Assert.Matches(@"^trained \d+ labels on \d+ papers in [\d.]+ s; thresholds tuned on \d+ papers \(2026-04\): micro-F1 0\.\d{3}, macro-F1 0\.\d{3}, samples-F1 0\.\d{3}\. Saved ", output);

        (code, output, errors) = await RunAsync("classify", "--model", PathOf("cats.model"), "--data", TestFiles.Sample, "--out", PathOf("predictions.jsonl"));
        Assert.True(code == Cli.Ok, errors);
        var lines = File.ReadAllLines(PathOf("predictions.jsonl"));
        Assert.Equal(SampleCorpus.Papers.Count, lines.Length);
        var first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(SampleCorpus.Papers[0].Id, first.GetProperty("id").GetString());
        var scores = first.GetProperty("scores").EnumerateArray().ToList();
        Assert.Contains(scores, s => s.GetProperty("label").GetString() == "cs.CV");
        Assert.All(scores, s => Assert.InRange(s.GetProperty("score").GetDouble(), 0, 1));
        Assert.NotEmpty(first.GetProperty("labels").EnumerateArray());

        (code, output, errors) = await RunAsync("evaluate", "--model", PathOf("cats.model"), "--data", TestFiles.Sample, "--json");
        Assert.True(code == Cli.Ok, errors);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.Equal(SampleCorpus.Papers.Count, report.GetProperty("items").GetInt32());
        Assert.InRange(report.GetProperty("microF1").GetDouble(), 0.6, 1);
        var cv = report.GetProperty("labels").EnumerateArray().Single(l => l.GetProperty("name").GetString() == "cs.CV");
        Assert.Equal(SampleCorpus.Papers.Count(p => p.Categories.Contains("cs.CV")), cv.GetProperty("support").GetInt32());

        (code, output, _) = await RunAsync("evaluate", "--model", PathOf("cats.model"), "--data", TestFiles.Sample);
        Assert.Equal(Cli.Ok, code);
        Assert.Matches(@"^403 papers: micro-F1 0\.\d{4}  macro-F1 0\.\d{4}  samples-F1 0\.\d{4}", output);
        Assert.Matches(@"(?m)^cs\.CV\s+0\.\d{4}\s+0\.\d{4}\s+0\.\d{4}\s+\d+$", output);
    }

    [Fact]
    public async Task Train_learns_the_configured_topics()
    {
        var (code, output, errors) = await RunAsync("train", "--data", TestFiles.Sample, "--labels", "topics", "--out", PathOf("topics.model"));
        Assert.True(code == Cli.Ok, errors);
        (code, output, errors) = await RunAsync("evaluate", "--model", PathOf("topics.model"), "--data", TestFiles.Sample, "--json");
        Assert.True(code == Cli.Ok, errors);
        var labels = JsonDocument.Parse(output).RootElement.GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("name").GetString()).ToList();
        Assert.Contains("vision", labels);
        Assert.Contains("llm-nlp", labels);
    }

    [Fact]
    public async Task A_broken_model_or_missing_file_or_bad_option_is_a_clear_error()
    {
        File.WriteAllText(PathOf("broken.model"), "HOTTOPICS-MODEL\nnot really");
        var (code, _, errors) = await RunAsync("classify", "--model", PathOf("broken.model"), "--data", TestFiles.Sample, "--out", PathOf("p.jsonl"));
        Assert.Equal(Cli.Usage, code);
        Assert.Contains("is corrupted", errors, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("p.jsonl")));

        (code, _, errors) = await RunAsync("train", "--data", PathOf("missing.jsonl"), "--out", PathOf("m.model"));
        Assert.Equal(Cli.Usage, code);
        Assert.Contains("missing.jsonl: no such file", errors, StringComparison.Ordinal);

        (code, _, errors) = await RunAsync("train", "--data", TestFiles.Sample, "--labels", "moods", "--out", PathOf("m.model"));
        Assert.Equal(Cli.Usage, code);
        Assert.Contains("--labels must be 'categories' or 'topics'", errors, StringComparison.Ordinal);

        (code, _, errors) = await RunAsync("train", "--data", TestFiles.Sample, "--min-examples", "1000", "--out", PathOf("m.model"));
        Assert.Equal(Cli.Usage, code);
        Assert.Contains("no category has 1000 or more papers", errors, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("m.model")));
    }

    public void Dispose() => _dir.Dispose();
}

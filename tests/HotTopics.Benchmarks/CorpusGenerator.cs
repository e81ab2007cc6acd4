using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using HotTopics.Items;

/// <summary>
/// A large corpus made by resampling the real papers, built the way the reference corpus was: each
/// document has a real title, sentences from its own real abstract and from two other real abstracts, the real
/// authors and categories of its paper; dates are spread from 2012 to the end date with ~18 % in the last twelve
/// months, and ids (so rowids on import) are handed out in date order. Seeded: the same seed gives the same file.
/// </summary>
internal static class CorpusGenerator
{
    public static readonly DateOnly End = new(2026, 7, 31);
    private static readonly DateOnly Start = new(2012, 1, 1);
    private const double RecentShare = 0.18;

    private sealed record Paper(string Title, string[] Sentences, string[] Authors, string[] Categories);

    public static async Task<int> RunAsync(string[] args)
    {
        var corpus = Corpus.Find(Bench.Option(args, "--corpus"));
        if (corpus is null) return 2;
        var docs = int.Parse(Bench.Option(args, "--docs") ?? "1000000", CultureInfo.InvariantCulture);
        var seed = int.Parse(Bench.Option(args, "--seed") ?? "20260731", CultureInfo.InvariantCulture);
        var output = Bench.Option(args, "--out") ?? Path.Combine(Bench.WorkRoot, $"resampled-{docs}.jsonl.gz");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var written = await GenerateAsync(corpus, output, docs, seed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| generate | {written:N0} docs from {Path.GetFileName(corpus)}, seed {seed} | {clock.Elapsed.TotalSeconds:F0} s | {new FileInfo(output).Length / 1e6:F0} MB | {output} |"));
        return 0;
    }

    public static async Task<int> GenerateAsync(string corpus, string output, int docs, int seed)
    {
        var papers = new List<Paper>();
        foreach (var line in ArxivJsonl.Read(ArxivJsonl.OpenRead(corpus)))
        {
            if (line.Record is not { } r) continue;
            var sentences = SplitSentences(r.Summary);
            if (sentences.Length == 0) continue;
            papers.Add(new Paper(r.Title, sentences, [.. r.Authors], [.. r.Categories]));
        }

        var random = new Random(seed);
        var recentStart = End.AddYears(-1).AddDays(1);
        var days = new int[docs];
        for (var i = 0; i < docs; i++)
        {
            days[i] = random.NextDouble() < RecentShare
                ? random.Next(recentStart.DayNumber, End.DayNumber + 1)
                : random.Next(Start.DayNumber, recentStart.DayNumber);
        }
        Array.Sort(days);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await using var file = File.Create(output);
        await using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var json = new Utf8JsonWriter(gzip, new JsonWriterOptions { SkipValidation = true });
        var newline = "\n"u8.ToArray();
        var month = -1;
        var serial = 0;
        var abstractText = new StringBuilder();
        for (var i = 0; i < docs; i++)
        {
            var date = DateOnly.FromDayNumber(days[i]);
            var thisMonth = (date.Year * 100) + date.Month;
            if (thisMonth != month) (month, serial) = (thisMonth, 0);
            serial++;
            var id = string.Create(CultureInfo.InvariantCulture, $"{date.Year % 100:D2}{date.Month:D2}.{serial:D5}");

            var paper = papers[random.Next(papers.Count)];
            abstractText.Clear();
            // Its own opening sentences, then a sentence or two from each of two other papers: the abstract keeps
            // its real length and vocabulary without being a copy.
            var own = Math.Max(1, paper.Sentences.Length - 2);
            for (var s = 0; s < own; s++) Append(abstractText, paper.Sentences[s]);
            for (var other = 0; other < 2; other++)
            {
                var donor = papers[random.Next(papers.Count)].Sentences;
                Append(abstractText, donor[random.Next(donor.Length)]);
            }

            json.Reset();
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("title", paper.Title);
            json.WriteString("summary", abstractText.ToString());
            json.WriteStartArray("authors");
            foreach (var a in paper.Authors) json.WriteStringValue(a);
            json.WriteEndArray();
            json.WriteStartArray("categories");
            foreach (var c in paper.Categories) json.WriteStringValue(c);
            json.WriteEndArray();
            json.WriteNull("comment");
            json.WriteString("abs", "https://arxiv.org/abs/" + id);
            json.WriteString("pdf", "https://arxiv.org/pdf/" + id);
            json.WriteString("listing_date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.Flush();
            gzip.Write(newline);
        }
        return docs;
    }

    private static void Append(StringBuilder text, string sentence)
    {
        if (text.Length > 0) text.Append(' ');
        text.Append(sentence);
    }

    private static string[] SplitSentences(string summary)
    {
        var flat = summary.Replace('\n', ' ');
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < flat.Length - 1; i++)
        {
            if (flat[i] is '.' or '?' or '!' && flat[i + 1] == ' ' && i - start > 20)
            {
                parts.Add(flat[start..(i + 1)].Trim());
                start = i + 2;
            }
        }
        if (start < flat.Length && flat[start..].Trim() is { Length: > 0 } rest) parts.Add(rest);
        return [.. parts];
    }
}

using System.Text.Json;
using HotTopics.Harvesting.Feeds;
using HotTopics.Harvesting.Html;
using Xunit.Abstractions;

namespace HotTopics.Tests.Html;

public sealed class PageMetadataTests(ITestOutputHelper output)
{
    private static string Data(string relative) => Path.Combine(AppContext.BaseDirectory, "TestData", "Html", relative);

    private static PageMetadata ReadPage(string path, string url = "https://example.com/article") =>
        PageMetadataReader.Read(File.ReadAllBytes(path), null, new Uri(url));

    [Fact]
    public void An_arxiv_abstract_page_gives_the_paper_from_its_citation_tags()
    {
        var page = ReadPage(Data("arxiv-abs-html/arxiv_abs_2106.09608v2.html"), "https://arxiv.org/abs/2106.09608v2");

        Assert.Equal("Learning Knowledge Graph-based World Models of Textual Environments", page.Title);
        Assert.Equal(["Ammanabrolu, Prithviraj", "Riedl, Mark O."], page.Authors);
        Assert.Equal(new DateTimeOffset(2021, 6, 17, 0, 0, 0, TimeSpan.Zero), page.Published);
        Assert.Equal("2106.09608", page.ArxivId);
        Assert.Equal("https://arxiv.org/pdf/2106.09608", page.PdfUrl);
        Assert.Equal("arXiv.org", page.SiteName);
        Assert.StartsWith("https://arxiv.org/abs/2106.09608", page.CanonicalUrl, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(page.Description));
    }

    /// <summary>arXiv's citation_* tags for 1,100 paper versions (classic_scholar_metadata_tags.json), as pages, read back.</summary>
    [Fact]
    public void Citation_tags_of_a_thousand_arxiv_versions_read_back_exactly()
    {
        using var oracle = JsonDocument.Parse(File.ReadAllText(Data("arxiv-abs-html/classic_scholar_metadata_tags.json")));
        var checkedCount = 0;
        foreach (var version in oracle.RootElement.EnumerateObject())
        {
            var tags = version.Value.EnumerateArray().Select(t => (Name: t.GetProperty("name").GetString()!, Content: t.GetProperty("content").GetString()!)).ToList();
            var html = "<html><head>" + string.Concat(tags.Select(t => $"<meta name=\"{t.Name}\" content=\"{System.Net.WebUtility.HtmlEncode(t.Content)}\"/>")) + "</head><body></body></html>";
            var page = PageMetadataReader.Read(System.Text.Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8", new Uri("https://arxiv.org/abs/" + version.Name));

            string? Tag(string name) => tags.FirstOrDefault(t => t.Name == name).Content;
            if (Tag("citation_title") is { } title) Assert.Equal(string.Join(' ', title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), page.Title);
            Assert.Equal(tags.Where(t => t.Name == "citation_author").Select(t => t.Content.Trim()).Distinct(), page.Authors);
            if (Tag("citation_arxiv_id") is { } arxiv) Assert.Equal(arxiv, page.ArxivId);
            if (Tag("citation_pdf_url") is { } pdf) Assert.Equal(pdf, page.PdfUrl);
            if (Tag("citation_date") is { } date) Assert.Equal(date.Replace('/', '-'), page.Published?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            // Several DOIs in one tag: the first is the paper's; a "doi:" prefix is not part of it.
            if (Tag("citation_doi") is { } doi) Assert.Equal(doi.Split(' ')[0].Replace("doi:", "", StringComparison.OrdinalIgnoreCase), page.Doi);
            checkedCount++;
        }
        Assert.True(checkedCount >= 1_000, $"{checkedCount} versions");
    }

    public static TheoryData<string> ReadabilityCases() =>
        [.. Directory.EnumerateDirectories(Data("readability")).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ReadabilityCases))]
    public void Every_readability_page_reads_without_an_exception_and_has_a_title_or_description(string name)
    {
        var page = ReadPage(Data($"readability/{name}/source.html"));
        Assert.True(page.Title is not null || page.Description is not null, name);
    }

    /// <summary>
    /// Mozilla Readability's expected metadata for 65 real pages. Accuracy per field counts the pages where the
    /// expectation is not empty; the floors are what the reader reaches today (see BENCHMARKS.md / the report).
    /// </summary>
    [Theory]
    [InlineData("title", 0.87)]
    [InlineData("byline", 0.61)]
    [InlineData("excerpt", 0.72)]
    [InlineData("siteName", 0.85)]
    [InlineData("publishedTime", 0.76)]
    public void Readability_metadata_accuracy_does_not_drop(string field, double floor)
    {
        var total = 0;
        var right = 0;
        foreach (var dir in Directory.EnumerateDirectories(Data("readability")).Order(StringComparer.Ordinal))
        {
            using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expected-metadata.json")));
            if (!expected.RootElement.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } want) continue;
            total++;
            var page = ReadPage(Path.Combine(dir, "source.html"));
            var got = field switch
            {
                "title" => page.Title,
                "byline" => page.Byline,
                "excerpt" => page.Description,
                "siteName" => page.SiteName,
                _ => page.Published is { } p ? HotTopics.Items.ItemDates.Format(p) : null,
            };
            var ok = field == "publishedTime"
                ? FeedDates.Parse(want) is { } w && got == HotTopics.Items.ItemDates.Format(w)
                : Normalize(got) == Normalize(want);
            if (ok) right++;
            else output.WriteLine($"{Path.GetFileName(dir)}: want '{want}', got '{got}'");
        }
        var accuracy = (double)right / total;
        output.WriteLine($"{field}: {right}/{total} = {accuracy:P0}");
        Assert.True(accuracy >= floor, $"{field}: {right}/{total}");
    }

    private static string Normalize(string? value) =>
        string.Join(' ', System.Net.WebUtility.HtmlDecode(value ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

using HotTopics.Harvesting.Feeds;

namespace HotTopics.Tests.Feeds;

/// <summary>Real feeds (ML blogs organizers follow; miniflux's encoding and size cases): every one reads, completely.</summary>
public sealed class RealWorldFeedTests
{
    private static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "Feeds", relative);

    [Theory]
    [InlineData("ml-blog-feeds/bair_blog_2026-04_trimmed3.xml", "rss20", 3, "Gradient-based Planning for World Models at Longer Horizons", "http://bair.berkeley.edu/blog/2026/04/20/grasp/", "2026-04-20T09:00:00Z", null)]
    [InlineData("ml-blog-feeds/deepmind_blog_2026-04_trimmed3.xml", "rss20", 3, "Announcing our partnership with the Republic of Korea", "https://deepmind.google/blog/announcing-our-partnership-with-the-republic-of-korea/", "2026-04-27T07:00:06Z", null)]
    [InlineData("ml-blog-feeds/fair_blog_2026-04_trimmed3.xml", "rss20", 3, "RCCLX: Innovating GPU Communications on AMD Platforms", "https://engineering.fb.com/2026/02/24/data-center-engineering/rrcclx-innovating-gpu-communications-amd-platforms-meta/", "2026-02-24T21:30:54Z", null)]
    [InlineData("ml-blog-feeds/gradient_blog_2026-04_trimmed3.xml", "rss20", 3, "After Orthogonality: Virtue-Ethical Agency and AI Alignment", "https://thegradient.pub/virtue-ethics-ai-alignment/", "2026-02-18T23:25:52Z", "Peli Grietzer")]
    [InlineData("ml-blog-feeds/huggingface_blog_2026-04_trimmed3.xml", "rss20", 3, "How to build scalable web apps with OpenAI's Privacy Filter", "https://huggingface.co/blog/openai-privacy-filter-web-apps", "2026-04-27T00:00:00Z", null)]
    [InlineData("ml-blog-feeds/huggingface_daily_papers_api_2026-07-31.json", "hf-daily-papers", 30, "OmniScope: Modality-Decoupled Token Compression for Omnimodal Large Language Models", "https://arxiv.org/abs/2607.23193", "2026-07-28T00:00:00Z", "Jinsen Su")]
    [InlineData("ml-blog-feeds/interconnects_ai_substack_2026-08.xml", "rss20", 20, "Latest open artifacts (#23): Laguna S2.1, Inkling, & Kimi K3 show the utility of open models on the Pareto frontier", "https://www.interconnects.ai/p/latest-open-artifacts-23-laguna-s21", "2026-08-02T13:01:40Z", "Florian Brand")]
    [InlineData("ml-blog-feeds/lilianweng_index.xml", "rss20", 53, "Harness Engineering for Self-Improvement", "https://lilianweng.github.io/posts/2026-07-04-harness/", "2026-07-04T00:00:00Z", null)]
    [InlineData("ml-blog-feeds/lilianweng_posts_index.xml", "rss20", 52, "Harness Engineering for Self-Improvement", "https://lilianweng.github.io/posts/2026-07-04-harness/", "2026-07-04T00:00:00Z", null)]
    [InlineData("ml-blog-feeds/lilianweng_tag_agent.xml", "rss20", 2, "Harness Engineering for Self-Improvement", "https://lilianweng.github.io/posts/2026-07-04-harness/", "2026-07-04T00:00:00Z", null)]
    [InlineData("ml-blog-feeds/lilianweng_tag_language-model.xml", "rss20", 16, "Harness Engineering for Self-Improvement", "https://lilianweng.github.io/posts/2026-07-04-harness/", "2026-07-04T00:00:00Z", null)]
    [InlineData("ml-blog-feeds/lilianweng_tag_reinforcement-learning.xml", "rss20", 16, "Why We Think", "https://lilianweng.github.io/posts/2025-05-01-thinking/", "2025-05-01T00:00:00Z", null)]
    [InlineData("ml-blog-feeds/lilianweng_tag_transformer.xml", "rss20", 8, "Scaling Laws, Carefully", "https://lilianweng.github.io/posts/2026-06-24-scaling-laws/", "2026-06-24T00:00:00Z", null)]
    [InlineData("ml-blog-feeds/openai_blog_2026-04_trimmed3.xml", "rss20", 3, "The next phase of the Microsoft OpenAI partnership", "https://openai.com/index/next-phase-of-microsoft-partnership", "2026-04-27T06:00:00Z", null)]
    [InlineData("ml-blog-feeds/vector_institute_2026-04_trimmed3.xml", "rss20", 3, "Vector researchers advance representation learning and deep learning research at ICLR 2026", "https://vectorinstitute.ai/vector-researchers-advance-representation-learning-and-deep-learning-research-at-iclr-2026/", "2026-04-23T13:48:00Z", "Kylie Williams")]
    [InlineData("miniflux-testdata/parser/encoding_ISO-8859-1.xml", "rss20", 40, "Red Dead Redemption 2: Hinweise auf PC-Umsetzung in App von Rockstar Games", "https://www.golem.de/news/red-dead-redemption-2-hinweise-auf-pc-umsetzung-in-app-von-rockstar-games-1810-137358-rss.html", "2018-10-28T12:48:00Z", null)]
    [InlineData("miniflux-testdata/parser/encoding_WINDOWS-1251.xml", "rss20", 50, "Цитата #17703", "http://ibash.org.ru/quote.php?id=17703", "2018-03-21T07:27:32Z", null)]
    [InlineData("miniflux-testdata/parser/large_atom.xml", "atom10", 25, "Using vale with vim", "https://dustri.org/b/using-vale-with-vim.html", "2024-03-10T16:15:00Z", "jvoisin")]
    [InlineData("miniflux-testdata/parser/large_rss.xml", "rss20", 25, "Using vale with vim", "https://dustri.org/b/using-vale-with-vim.html", "2024-03-10T16:15:00Z", "jvoisin")]
    [InlineData("miniflux-testdata/parser/no_encoding_ISO-8859-1.xml", "rss20", 10, "Perturbateurs endocriniens : quels effets sur le cerveau ?", "https://le-cercle-psy.scienceshumaines.com/perturbateurs-endocriniens-quels-effets-sur-le-cerveau_sh_39995", "2018-10-17T10:30:00Z", null)]
    [InlineData("miniflux-testdata/parser/rdf_UTF8.xml", "rss090", 60, "OLED-TVs: Vorsichtsmaßnahmen gegen Einbrennen", "https://www.heise.de/newsticker/meldung/OLED-TVs-Vorsichtsmassnahmen-gegen-Einbrennen-4205274.html?wt_mc=rss.ho.beitrag.rdf", null, null)]
    [InlineData("miniflux-testdata/parser/small_atom.xml", "atom10", 20, "Parse podcast categories", "https://github.com/miniflux/v2/commit/6d97f8b4582414b6ce69467656824690057d4793", "2024-03-12T05:30:27Z", "fguillot")]
    [InlineData("miniflux-testdata/parser/urdu_UTF8.xml", "rss20", 26, "امریکی عسکری امداد کی بندش کی وجوہات: انڈیا سے جنگ، جوہری پروگرام اور اب دہشت گردوں کی پشت پناہی", "http://www.bbc.com/urdu/pakistan-42575603", "2018-01-05T16:51:00Z", null)]
    [InlineData("miniflux-testdata/encoding/koi8r.xml", "rss20", 2, "Первая новость", "http://example.com/post1", "2026-02-15T10:00:00Z", null)]
    public void Every_entry_is_read_with_the_first_entrys_fields(string file, string format, int count, string title, string link, string? date, string? author)
    {
        var feed = FeedParser.Parse(File.ReadAllBytes(Path(file)));

        Assert.True(feed.Succeeded, feed.Error);
        Assert.False(feed.Recovered, string.Join("; ", feed.Problems));
        Assert.Equal(format, feed.Format);
        Assert.Equal(count, feed.Entries.Count);
        var first = feed.Entries[0];
        Assert.Equal(title, first.Title?.Value);
        Assert.Equal(link, first.Link);
        Assert.Equal(date, (first.Published ?? first.Updated)?.Value is { } d ? HotTopics.Items.ItemDates.Format(d) : null);
        if (author is not null) Assert.Equal(author, first.Authors[0].Name);
    }

    [Fact]
    public void Substack_full_text_comes_from_content_encoded()
    {
        var feed = FeedParser.Parse(File.ReadAllBytes(Path("ml-blog-feeds/interconnects_ai_substack_2026-08.xml")));
        var body = feed.Entries[0].Body!;
        Assert.Equal(FeedText.Html, body.Type);
        Assert.True(body.Value.Length > 5_000, "the full post, not the teaser");
        Assert.Contains("<p>", body.Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("miniflux-testdata/encoding/iso-8859-1.xml", "Café", "iso-8859-1")]
    [InlineData("miniflux-testdata/encoding/windows-1252.xml", "Euro €", "windows-1252")]
    [InlineData("miniflux-testdata/encoding/windows-1252-incorrect-prolog.xml", "Euro €", "utf-8")]
    [InlineData("miniflux-testdata/encoding/utf8-incorrect-prolog.xml", "테스트 피드", "utf-8")]
    [InlineData("miniflux-testdata/encoding/invalid-prolog.xml", "테스트 피드", "utf-8")]
    [InlineData("miniflux-testdata/encoding/utf8.xml", "테스트 피드", "utf-8")]
    [InlineData("miniflux-testdata/encoding/koi8r.xml", "Пример RSS ленты", "koi8-r")]
    public void Declarations_that_lie_about_the_encoding_do_not_garble_the_title(string file, string title, string encoding)
    {
        var feed = FeedParser.Parse(File.ReadAllBytes(Path(file)));
        Assert.Equal(title, feed.Header.Title?.Value);
        Assert.Equal(encoding, feed.Encoding);
    }

    [Theory]
    [InlineData("miniflux-testdata/xml/iso88591.xml", null, "Anaïs")]
    [InlineData("miniflux-testdata/xml/iso88591_utf8_mismatch.xml", null, "Anaïs")]
    [InlineData("miniflux-testdata/encoding/iso-8859-1.html", null, "Frédéric")]
    [InlineData("miniflux-testdata/encoding/iso-8859-1-meta-after-1024.html", "text/html; charset=iso-8859-1", "Frédéric")]
    public void Latin1_bytes_decode_whatever_the_label_says(string file, string? contentType, string expected)
    {
        var text = FeedDecoder.Decode(File.ReadAllBytes(Path(file)), contentType).Text;
        Assert.DoesNotContain('\uFFFD', text);
        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_http_charset_overrides_the_declaration_unless_the_bytes_disagree()
    {
        var koi8 = File.ReadAllBytes(Path("miniflux-testdata/xml/koi8r.xml"));
        Assert.Equal("Пример RSS ленты", FeedParser.Parse(koi8, "application/rss+xml; charset=KOI8-R").Header.Title?.Value);
        // A server that says UTF-8 for KOI8-R bytes: the bytes are not UTF-8, so the document's own label is used.
        var lying = FeedParser.Parse(koi8, "application/rss+xml; charset=utf-8");
        Assert.Equal("Пример RSS ленты", lying.Header.Title?.Value);
        Assert.True(lying.Recovered);
    }

    [Fact]
    public void Files_that_are_not_feeds_get_a_clear_error()
    {
        var note = FeedParser.Parse(File.ReadAllBytes(Path("miniflux-testdata/xml/iso88591.xml")));
        Assert.False(note.Succeeded);
        Assert.Contains("not a feed", note.Error, StringComparison.Ordinal);
        var page = FeedParser.Parse(File.ReadAllBytes(Path("miniflux-testdata/encoding/utf8.html")));
        Assert.Contains("<html>", page.Error, StringComparison.Ordinal);
    }
}

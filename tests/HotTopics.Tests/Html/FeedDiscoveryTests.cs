using HotTopics.Harvesting.Html;
using HtmlAgilityPack;

namespace HotTopics.Tests.Html;

public sealed class FeedDiscoveryTests
{
    private static IReadOnlyList<DiscoveredFeed> Discover(string file, string url)
    {
        var document = new HtmlDocument();
        document.LoadHtml(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Html", "ml-blog-html", file)));
        return FeedDiscovery.Find(document, new Uri(url));
    }

    [Fact]
    public void Lilian_wengs_home_page_announces_its_rss_feed_and_json_index_is_not_taken_for_a_feed()
    {
        var feeds = Discover("lilianweng_home.html", "https://lilianweng.github.io/");
        var feed = Assert.Single(feeds);
        Assert.Equal("https://lilianweng.github.io/index.xml", feed.Url);
        Assert.Equal("rss", feed.Type);
    }

    [Fact]
    public void A_relative_feed_link_resolves_against_the_page()
    {
        var feed = Assert.Single(Discover("huggingface_blog_smollm.html", "https://huggingface.co/blog/smollm"));
        Assert.Equal("https://huggingface.co/blog/feed.xml", feed.Url);
        Assert.Equal("Hugging Face Blog", feed.Title);
    }

    [Theory]
    [InlineData("lilianweng_post_2017-08-20-gan.html", "https://lilianweng.github.io/posts/2017-08-20-gan/")]
    [InlineData("lilianweng_post_2026-07-04-harness.html", "https://lilianweng.github.io/posts/2026-07-04-harness/")]
    public void Posts_without_a_feed_link_fall_back_to_the_usual_paths_which_include_the_blogs_feed(string file, string url)
    {
        Assert.Empty(Discover(file, url));
        Assert.Contains(new Uri("https://lilianweng.github.io/index.xml"), FeedDiscovery.CommonPaths(new Uri(url)));
    }

    [Fact]
    public void A_base_element_decides_where_relative_feed_links_point()
    {
        var document = new HtmlDocument();
        document.LoadHtml("""
            <html><head><base href="/blog/"><link rel="alternate" type="application/atom+xml" href="atom.xml" title="Atom">
            <link rel="Alternate stylesheet" type="application/feed+json" href="feed.json"><link rel="alternate" type="text/html" href="x.html">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)"></head></html>
            """);
        var feeds = FeedDiscovery.Find(document, new Uri("https://example.com/posts/1"));
        Assert.Equal(["https://example.com/blog/atom.xml", "https://example.com/blog/feed.json"], feeds.Select(f => f.Url));
    }
}

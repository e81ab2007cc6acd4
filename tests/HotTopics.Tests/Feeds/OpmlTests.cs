using HotTopics.Harvesting.Feeds;

namespace HotTopics.Tests.Feeds;

public sealed class OpmlTests
{
    [Fact]
    public void Exported_subscriptions_import_back_with_their_categories()
    {
        OpmlFeed[] feeds =
        [
            new("https://lilianweng.github.io/index.xml", "Lil'Log", "https://lilianweng.github.io/", "Blogs"),
            new("https://www.interconnects.ai/feed", "Interconnects & friends", null, "Blogs"),
            new("https://huggingface.co/blog/feed.xml", "Hugging Face", null, null),
        ];
        var xml = Opml.Write(feeds, "HotTopics sources", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var back = Opml.Read(xml, out var error);
        Assert.Null(error);
        Assert.Equal(feeds.OrderBy(f => f.XmlUrl, StringComparer.Ordinal), back.OrderBy(f => f.XmlUrl, StringComparer.Ordinal));
    }

    [Fact]
    public void A_feed_reader_export_with_nested_outlines_imports()
    {
        var feeds = Opml.Read("""
            <?xml version="1.0"?><opml version="1.0"><head><title>x</title></head><body>
            <outline text="ML"><outline text="BAIR" type="rss" xmlUrl="https://bair.berkeley.edu/blog/feed.xml" htmlUrl="https://bair.berkeley.edu/blog/"/></outline>
            <outline text="no feed here"/>
            <outline title="Top" xmlurl="https://example.com/rss"/></body></opml>
            """, out var error);
        Assert.Null(error);
        Assert.Equal(["https://bair.berkeley.edu/blog/feed.xml", "https://example.com/rss"], feeds.Select(f => f.XmlUrl));
        Assert.Equal("ML", feeds[0].Category);
        Assert.Equal("Top", feeds[1].Title);
    }

    [Fact]
    public void Something_that_is_not_opml_is_a_clear_error()
    {
        Assert.Empty(Opml.Read("<rss><channel/></rss>", out var error));
        Assert.Contains("not an OPML document", error, StringComparison.Ordinal);
        Assert.Empty(Opml.Read("", out error));
        Assert.NotNull(error);
    }
}

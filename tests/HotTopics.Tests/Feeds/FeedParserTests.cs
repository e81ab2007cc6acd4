using System.Text;
using HotTopics.Harvesting.Feeds;

namespace HotTopics.Tests.Feeds;

/// <summary>The parser's promises, one case each: formats, fields, dates, entities, hostile documents.</summary>
public sealed class FeedParserTests
{
    private static ParsedFeed Parse(string xml, string? url = "https://blog.example.com/feed.xml") =>
        FeedParser.Parse(Encoding.UTF8.GetBytes(xml), null, url is null ? null : new Uri(url));

    [Theory]
    [InlineData("Tue, 10 Jun 2003 09:41:01 GMT", "2003-06-10T09:41:01Z")]
    [InlineData("10 Jun 2003 09:41:01 +0100", "2003-06-10T08:41:01Z")]
    [InlineData("Tue, 10 Jun 03 09:41:01 EST", "2003-06-10T14:41:01Z")]
    [InlineData("Tue,10 June 2003 9:41 PM PDT", "2003-06-11T04:41:00Z")]
    [InlineData("Wed, 09 Apr 2008 09:00:00 +0100 (BST)", "2008-04-09T08:00:00Z")]
    [InlineData("2003-06-10T09:41:01Z", "2003-06-10T09:41:01Z")]
    [InlineData("2003-06-10T09:41:01.123+02:00", "2003-06-10T07:41:01Z")]
    [InlineData("2003-06-10 09:41", "2003-06-10T09:41:00Z")]
    [InlineData("20030610T094101Z", "2003-06-10T09:41:01Z")]
    [InlineData("2003-06", "2003-06-01T00:00:00Z")]
    [InlineData("Tue Jun 10 09:41:01 PDT 2003", "2003-06-10T16:41:01Z")]
    public void Dates_are_read_in_the_forms_feeds_write_them(string raw, string utc)
    {
        Assert.Equal(utc, HotTopics.Items.ItemDates.Format(FeedDates.Parse(raw)!.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("31 Feb 2003 10:00:00 GMT")]
    [InlineData("2003-13-01")]
    public void Unreadable_dates_are_null_not_errors(string raw)
    {
        Assert.Null(FeedDates.Parse(raw));
    }

    [Fact]
    public void Rss_fields_content_encoded_creator_categories_enclosures_and_relative_links()
    {
        var feed = Parse("""
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
            <channel><title>ML notes</title><link>/</link>
            <item><title>Scaling laws</title><link>/posts/scaling/</link><guid isPermaLink="false">p-1</guid>
              <dc:creator>Ada Lovelace</dc:creator><category>theory</category><category domain="tags">llm</category>
              <dc:date>2026-07-01T12:00:00+02:00</dc:date>
              <description>Short.</description>
              <content:encoded><![CDATA[<p>Long <a href="/refs">refs</a></p>]]></content:encoded>
              <enclosure url="/audio.mp3" length="123" type="audio/mpeg"/></item>
            </channel></rss>
            """);
        Assert.Equal("rss20", feed.Format);
        Assert.Equal("https://blog.example.com/", feed.Header.Link);
        var e = Assert.Single(feed.Entries);
        Assert.Equal("https://blog.example.com/posts/scaling/", e.Link);
        Assert.Equal("p-1", e.Id);
        Assert.Equal("Ada Lovelace", e.Authors[0].Name);
        Assert.Equal(["theory", "llm"], e.Categories.Select(c => c.Term));
        Assert.Equal("tags", e.Categories[1].Scheme);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 10, 0, 0, TimeSpan.Zero), e.Updated!.Value);
        Assert.Equal("Short.", e.Summary!.Value);
        Assert.Equal("<p>Long <a href=\"https://blog.example.com/refs\">refs</a></p>", e.Body!.Value);
        var enclosure = Assert.Single(e.Enclosures);
        Assert.Equal(("https://blog.example.com/audio.mp3", "audio/mpeg", "123"), (enclosure.Url, enclosure.Type, enclosure.Length));
    }

    [Fact]
    public void Atom_xml_base_resolves_links_and_xhtml_content_keeps_its_markup()
    {
        var feed = Parse("""
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://other.example.org/blog/">
              <title type="html">A &amp;lt;b&amp;gt; blog</title>
              <entry xml:base="2026/">
                <title>Entry</title><id>tag:other.example.org,2026:1</id>
                <link rel="alternate" href="entry.html"/><link rel="enclosure" href="talk.mp4" type="video/mp4" length="9"/>
                <updated>2026-07-02T00:00:00Z</updated>
                <author><name>Grace</name><email>grace@example.org</email><uri>/grace</uri></author>
                <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>See <a href="fig.png">the figure</a> <em>now</em>.</p></div></content>
              </entry>
            </feed>
            """);
        Assert.Equal("atom10", feed.Format);
        Assert.Equal("A &lt;b&gt; blog", feed.Header.Title!.Value);
        var e = Assert.Single(feed.Entries);
        Assert.Equal("https://other.example.org/blog/2026/entry.html", e.Link);
        Assert.Equal("https://other.example.org/blog/2026/talk.mp4", Assert.Single(e.Enclosures).Url);
        Assert.Equal(new FeedPerson("Grace", "grace@example.org", "https://other.example.org/grace"), e.Authors[0]);
        Assert.Equal(FeedText.Xhtml, e.Body!.Type);
        Assert.Equal("<p>See <a href=\"https://other.example.org/blog/2026/fig.png\">the figure</a> <em>now</em>.</p>", e.Body.Value);
    }

    [Fact]
    public void Rss_1_rdf_items_are_siblings_of_the_channel()
    {
        var feed = Parse("""
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel rdf:about="https://x.example/"><title>RDF</title><link>https://x.example/</link></channel>
              <item rdf:about="https://x.example/1"><title>One</title><link>https://x.example/1</link><dc:date>2026-01-01</dc:date></item>
              <item rdf:about="https://x.example/2"><title>Two</title><link>https://x.example/2</link></item>
            </rdf:RDF>
            """);
        Assert.Equal("rss10", feed.Format);
        Assert.Equal(["One", "Two"], feed.Entries.Select(e => e.Title!.Value));
        Assert.Equal("https://x.example/1", feed.Entries[0].Id);
    }

    [Fact]
    public void Json_feed_1_0_and_1_1_authors()
    {
        var feed = Parse("""
            {"version": "https://jsonfeed.org/version/1", "title": "J", "author": {"name": "Old style"},
             "items": [{"id": "a", "url": "/a", "title": "A", "content_text": "text", "tags": ["x"],
                        "attachments": [{"url": "/a.mp3", "mime_type": "audio/mpeg", "size_in_bytes": 5}]}]}
            """);
        Assert.Equal("json1", feed.Format);
        Assert.Equal("Old style", feed.Header.Authors[0].Name);
        var e = Assert.Single(feed.Entries);
        Assert.Equal("https://blog.example.com/a", e.Link);
        Assert.Equal("text", e.Body!.Value);
        Assert.Equal("https://blog.example.com/a.mp3", e.Enclosures[0].Url);
    }

    [Fact]
    public void Html_entities_in_titles_and_stray_ampersands_are_recovered()
    {
        var feed = Parse("""
            <rss version="2.0"><channel><title>Caf&eacute; &mdash; R&D</title>
            <item><title>Q&A: &ldquo;attention&rdquo; &amp; more&hellip;</title><link>https://x.example/?a=1&b=2</link></item>
            </channel></rss>
            """);
        Assert.True(feed.Succeeded);
        Assert.True(feed.Recovered);
        Assert.Equal("Café — R&D", feed.Header.Title!.Value);
        Assert.Equal("Q&A: “attention” & more…", feed.Entries[0].Title!.Value);
        Assert.Equal("https://x.example/?a=1&b=2", feed.Entries[0].Link);
    }

    [Fact]
    public void External_entities_are_never_resolved_and_entity_bombs_never_expand()
    {
        var xxe = Parse("""
            <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <rss version="2.0"><channel><title>&xxe;</title><item><title>ok</title></item></channel></rss>
            """);
        Assert.DoesNotContain("root:", xxe.Header.Title?.Value ?? "", StringComparison.Ordinal);
        Assert.Single(xxe.Entries);

        var bomb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\">");
        for (var i = 1; i < 10; i++) bomb.Append(System.Globalization.CultureInfo.InvariantCulture, $"<!ENTITY a{i} \"&a{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))};&a{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))};&a{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))};\">");
        bomb.Append("]><rss version=\"2.0\"><channel><title>&a9;</title></channel></rss>");
        var exploded = Parse(bomb.ToString());
        Assert.True((exploded.Header.Title?.Value.Length ?? 0) < 100);
    }

    [Fact]
    public void Nothing_recoverable_is_a_clear_error()
    {
        Assert.Contains("empty", Parse("   ").Error, StringComparison.Ordinal);
        Assert.Contains("not a feed", Parse("<html><body>hi</body></html>").Error, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", Parse("{\"version\": ").Error, StringComparison.Ordinal);
        Assert.Contains("not a JSON Feed", Parse("{\"hello\": 1}").Error, StringComparison.Ordinal);
        Assert.False(FeedParser.Parse([0xFF, 0xFE, 0x00]).Succeeded);
    }

    [Fact]
    public void A_truncated_feed_keeps_the_entries_that_arrived()
    {
        var feed = Parse("<rss version=\"2.0\"><channel><title>T</title><item><title>First</title><link>https://x.example/1</link></item><item><title>Sec");
        Assert.True(feed.Recovered);
        Assert.Equal("First", feed.Entries[0].Title!.Value);
        Assert.Equal(2, feed.Entries.Count);
    }
}

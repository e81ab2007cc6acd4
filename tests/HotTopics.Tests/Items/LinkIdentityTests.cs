using HotTopics.Items;

namespace HotTopics.Tests.Items;

public sealed class LinkIdentityTests
{
    [Theory]
    [InlineData("https://Example.COM:443/post/?utm_source=rss&utm_medium=feed#comments", "https://example.com/post")]
    [InlineData("http://example.com:80/a/b/", "http://example.com/a/b")]
    [InlineData("https://example.com/", "https://example.com/")]
    [InlineData("https://example.com/p?id=7&fbclid=abc&ref=hn", "https://example.com/p?id=7")]
    [InlineData("https://example.com:8443/x", "https://example.com:8443/x")]
    [InlineData("https://www.heise.de/meldung/x.html?wt_mc=rss.ho.beitrag.rdf", "https://www.heise.de/meldung/x.html")]
    public void Canonical_urls_drop_what_does_not_identify_the_page(string input, string expected)
    {
        Assert.Equal(expected, CanonicalUrl.Normalize(input));
    }

    [Fact]
    public void The_clean_url_keeps_the_path_as_written()
    {
        Assert.Equal("https://example.com/post/", CanonicalUrl.Clean("https://Example.com:443/post/?utm_source=rss#top"));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.com/x")]
    [InlineData("not a url")]
    [InlineData("")]
    public void Only_http_urls_have_a_canonical_form(string input)
    {
        Assert.Null(CanonicalUrl.Normalize(input));
    }

    [Fact]
    public void Arxiv_ids_are_found_in_every_form_people_write_them()
    {
        var text = """
            Ranger combines RAdam (arXiv:1908.03265) and LookAhead <a href="https://arxiv.org/abs/1907.08610v2">paper</a>.
            See also https://arxiv.org/pdf/2401.01234v3.pdf, arxiv.org/html/2402.00001, the classic cs/0112017 via
            arXiv:cs/0112017 and a bare 2405.12345 id; not 1234.5678 (no such month), not version 3.14159 or 10.1000/xyz123.
            DOI https://doi.org/10.18653/v1/2020.acl-main.1. and arXiv's own DOI 10.48550/arXiv.2106.09608.
            """;
        var found = PaperMentions.Find(text);
        Assert.Equal(["1908.03265", "1907.08610", "2401.01234", "2402.00001", "cs/0112017", "2405.12345", "2106.09608"], found.Arxiv.Select(a => a.Id));
        Assert.Equal(["10.1000/xyz123", "10.18653/v1/2020.acl-main.1"], found.Dois);
    }

    [Fact]
    public void Nothing_is_found_in_plain_prose()
    {
        Assert.True(PaperMentions.Find("We trained for 2.5 epochs on 1,024 GPUs in 2023.").IsEmpty);
    }
}

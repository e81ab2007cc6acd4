using HotTopics.Harvesting.Html;

namespace HotTopics.Tests.Html;

public sealed class HtmlSanitizerTests
{
    [Theory]
    [InlineData("<p>hi<script>alert(1)</script></p>", "<p>hi</p>")]
    [InlineData("<p>hi</p><style>body{display:none}</style>", "<p>hi</p>")]
    [InlineData("<img src=x onerror=alert(1)>", "<img src=\"x\" />")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>")]
    [InlineData("<a href=\"JaVa&#x09;ScRiPt:alert(1)\">x</a>", "<a>x</a>")]
    [InlineData("<a href=\" java\nscript:alert(1)\">x</a>", "<a>x</a>")]
    [InlineData("<a href=\"vbscript:msgbox(1)\">x</a>", "<a>x</a>")]
    [InlineData("<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">", "")]
    [InlineData("<a href=\"data:text/html,<script>alert(1)</script>\">x</a>", "<a>x</a>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe><p>ok</p>", "<p>ok</p>")]
    [InlineData("<div style=\"background:url(javascript:alert(1))\" onclick=\"x()\">t</div>", "<div>t</div>")]
    [InlineData("<svg><script>alert(1)</script></svg>text", "text")]
    [InlineData("<form action=\"https://evil\"><input name=p></form>after", "after")]
    [InlineData("<p onmouseover=\"alert(1)\">a<b>b</p>", "<p>a<b>b</b></p>")]
    [InlineData("<object data=\"x.swf\"></object><embed src=\"x.swf\">", "")]
    [InlineData("<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">x", "x")]
    [InlineData("<!-- <script>alert(1)</script> -->x", "x")]
    [InlineData("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("<custom-tag onclick=\"x\">kept text</custom-tag>", "kept text")]
    [InlineData("<a href=\"https://example.com/a?b=1&amp;c=2\" target=\"_blank\">ok</a>", "<a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow noopener noreferrer\">ok</a>")]
    public void Hostile_markup_is_defused(string input, string expected)
    {
        Assert.Equal(expected, HtmlSanitizer.Sanitize(input));
    }

    [Fact]
    public void Relative_links_and_images_resolve_against_the_base_and_mailto_stays_on_links_only()
    {
        var html = HtmlSanitizer.Sanitize("<a href=\"/post\">p</a><img src=\"img/a.png\" alt=\"a\"><a href=\"mailto:x@example.com\">m</a><img src=\"mailto:x@example.com\">",
            new Uri("https://blog.example.com/2024/01/"));
        Assert.Equal("<a href=\"https://blog.example.com/post\" rel=\"nofollow noopener noreferrer\">p</a><img src=\"https://blog.example.com/2024/01/img/a.png\" alt=\"a\" />"
            + "<a href=\"mailto:x@example.com\" rel=\"nofollow noopener noreferrer\">m</a>", html);
    }

    [Fact]
    public void Text_of_a_fragment_has_no_tags_and_no_entities()
    {
        Assert.Equal("Q&A: <b> is bold", HtmlSanitizer.ToText("<p>Q&amp;A: &lt;b&gt; is <b>bold</b></p><script>x()</script>"));
    }
}

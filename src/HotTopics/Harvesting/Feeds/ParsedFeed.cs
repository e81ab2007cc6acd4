namespace HotTopics.Harvesting.Feeds;

/// <summary>
/// What a feed says, whatever its format. <see cref="Recovered"/> is feedparser's "bozo": the document was not
/// well formed (or its encoding lied) and what is here came from the lenient pass. <see cref="Error"/> is set when
/// nothing usable was found; the entries are then empty.
/// </summary>
public sealed class ParsedFeed
{
    /// <summary>feedparser's version names: rss20, rss091u, rss092, rss10, rss090, atom10, atom03, json11 ...</summary>
    public string Format { get; init; } = "";
    public string Encoding { get; init; } = "";
    public bool Recovered { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];
    public string? Error { get; init; }
    public FeedHeader Header { get; init; } = new();
    public IReadOnlyList<FeedEntry> Entries { get; init; } = [];

    public bool Succeeded => Error is null;

    public static ParsedFeed Failed(string error, string encoding = "", IReadOnlyList<string>? problems = null) =>
        new() { Error = error, Encoding = encoding, Recovered = true, Problems = problems ?? [error] };
}

/// <summary>Feed-level fields (also an Atom entry's &lt;source&gt;).</summary>
public sealed class FeedHeader
{
    public FeedText? Title { get; set; }
    public FeedText? Subtitle { get; set; }
    public FeedText? Rights { get; set; }
    public string? Id { get; set; }
    public List<FeedLink> Links { get; } = [];
    public List<FeedPerson> Authors { get; } = [];
    public List<FeedPerson> Contributors { get; } = [];
    public FeedPerson? Publisher { get; set; }
    public List<FeedCategory> Categories { get; } = [];
    public string? Language { get; set; }
    public string? Generator { get; set; }
    public string? Icon { get; set; }
    public string? Logo { get; set; }
    public FeedDate? Published { get; set; }
    public FeedDate? Updated { get; set; }

    /// <summary>The alternate (HTML) link: the site or the post.</summary>
    public string? Link => FeedLink.Alternate(Links);
}

public sealed class FeedEntry
{
    public string? Id { get; set; }
    public FeedText? Title { get; set; }
    public FeedText? Summary { get; set; }
    public List<FeedText> Content { get; } = [];
    public List<FeedLink> Links { get; } = [];
    public List<FeedPerson> Authors { get; } = [];
    public List<FeedPerson> Contributors { get; } = [];
    public List<FeedCategory> Categories { get; } = [];
    public List<FeedEnclosure> Enclosures { get; } = [];
    public FeedText? Rights { get; set; }
    public FeedDate? Published { get; set; }
    public FeedDate? Updated { get; set; }
    public string? Comments { get; set; }
    /// <summary>RSS: the guid was a permalink and there was no &lt;link&gt;, so it is the link.</summary>
    public bool GuidIsLink { get; set; }
    public FeedHeader? Source { get; set; }

    public string? Link => FeedLink.Alternate(Links);

    /// <summary>The richest text of the entry: the first content, else the summary.</summary>
    public FeedText? Body => Content.Count > 0 ? Content[0] : Summary;
}

/// <summary>A text construct: the value as the feed meant it (plain text, or HTML for html/xhtml types).</summary>
public sealed record FeedText(string Value, string Type, string? Language = null, string? Base = null)
{
    public const string Plain = "text/plain";
    public const string Html = "text/html";
    public const string Xhtml = "application/xhtml+xml";

    public bool IsHtml => Type is Html or Xhtml;
}

public sealed record FeedLink(string Href, string Rel, string? Type = null, string? Title = null, string? Length = null, string? HrefLang = null)
{
    public static string? Alternate(IEnumerable<FeedLink> links) =>
        links.FirstOrDefault(l => l.Rel == "alternate")?.Href;
}

public sealed record FeedPerson(string? Name, string? Email = null, string? Uri = null)
{
    /// <summary>How feedparser writes an author: "Name (email)" or whichever part is known.</summary>
    public string Display => Name is { Length: > 0 } n
        ? Email is { Length: > 0 } e ? $"{n} ({e})" : n
        : Email ?? Uri ?? "";
}

public sealed record FeedCategory(string Term, string? Scheme = null, string? Label = null);

public sealed record FeedEnclosure(string Url, string? Type = null, string? Length = null);

/// <summary>A date as written (<see cref="Raw"/>) and as read (<see cref="Value"/>, null when unreadable).</summary>
public sealed record FeedDate(string Raw, DateTimeOffset? Value);

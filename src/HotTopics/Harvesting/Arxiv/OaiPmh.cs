using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using HotTopics.Items;

namespace HotTopics.Harvesting.Arxiv;

/// <summary>One record of a ListRecords page: its datestamp, and the paper (null when deleted or unusable).</summary>
public sealed record OaiRecord(string Identifier, string Datestamp, bool Deleted, ItemRecord? Paper, string? Problem);

/// <summary>A parsed OAI-PMH response: records and the resumption token, or an OAI error.</summary>
public sealed class OaiPage
{
    public List<OaiRecord> Records { get; } = [];
    /// <summary>Null or empty: the list is complete.</summary>
    public string? ResumptionToken { get; set; }
    public long? CompleteListSize { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
}

/// <summary>Reads OAI-PMH ListRecords responses in the arXivRaw and arXiv metadata formats (streaming, SafeXml).</summary>
public static class OaiPmh
{
    public const string OaiNs = "http://www.openarchives.org/OAI/2.0/";
    public const string RawNs = "http://arxiv.org/OAI/arXivRaw/";
    public const string ArxivNs = "http://arxiv.org/OAI/arXiv/";

    public const string NoRecordsMatch = "noRecordsMatch";
    public const string BadResumptionToken = "badResumptionToken";

    private static readonly XName Header = XName.Get("header", OaiNs);
    private static readonly XName Identifier = XName.Get("identifier", OaiNs);
    private static readonly XName Datestamp = XName.Get("datestamp", OaiNs);
    private static readonly XName Metadata = XName.Get("metadata", OaiNs);

    /// <exception cref="MalformedXmlException">the body is not well-formed XML or breaks the size limit</exception>
    public static OaiPage Parse(Stream body, string source, long maxCharacters = SafeXml.DefaultMaxCharacters)
    {
        var page = new OaiPage();
        try
        {
            using var reader = SafeXml.Create(body, maxCharacters);
            reader.MoveToContent();
            if (reader.LocalName != "OAI-PMH" || reader.NamespaceURI != OaiNs)
                throw new MalformedXmlException($"the answer is not an OAI-PMH response (root element <{reader.Name}>)");
            while (!reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != OaiNs)
                {
                    reader.Read();
                    continue;
                }
                switch (reader.LocalName)
                {
                    case "record":
                        page.Records.Add(ReadRecord((XElement)XNode.ReadFrom(reader), source));
                        continue;
                    case "resumptionToken":
                        page.CompleteListSize = long.TryParse(reader.GetAttribute("completeListSize"), NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : null;
                        var token = reader.ReadElementContentAsString().Trim();
                        page.ResumptionToken = token.Length == 0 ? null : token;
                        continue;
                    case "error":
                        page.ErrorCode = reader.GetAttribute("code") ?? "unknown";
                        page.ErrorMessage = ArxivJsonl.Collapse(reader.ReadElementContentAsString());
                        continue;
                    default:
                        reader.Read();
                        continue;
                }
            }
        }
        catch (XmlException ex)
        {
            throw MalformedXmlException.From(ex, "the OAI-PMH page");
        }
        return page;
    }

    private static OaiRecord ReadRecord(XElement record, string source)
    {
        var header = record.Element(Header);
        var identifier = header?.Element(Identifier)?.Value.Trim() ?? "";
        var datestamp = header?.Element(Datestamp)?.Value.Trim() ?? "";
        if ((string?)header?.Attribute("status") == "deleted") return new OaiRecord(identifier, datestamp, true, null, null);
        var metadata = record.Element(Metadata)?.Elements().FirstOrDefault();
        if (metadata is null) return new OaiRecord(identifier, datestamp, false, null, "no metadata");
        try
        {
            var paper = metadata.Name.NamespaceName switch
            {
                RawNs => FromArxivRaw(metadata, source),
                ArxivNs => FromArxiv(metadata, source),
                _ => throw new FormatException($"unknown metadata format {metadata.Name}"),
            };
            return new OaiRecord(identifier, datestamp, false, paper, null);
        }
        catch (FormatException ex)
        {
            return new OaiRecord(identifier, datestamp, false, null, ex.Message);
        }
    }

    /// <summary>arXivRaw: every version with its date (v1 = first submitted, the last = last updated).</summary>
    private static ItemRecord FromArxivRaw(XElement m, string source)
    {
        XNamespace ns = RawNs;
        var id = Id(m.Element(ns + "id")?.Value);
        var versions = m.Elements(ns + "version")
            .Select(v => (Number: VersionNumber((string?)v.Attribute("version")), Date: ArxivText.ParseDate(v.Element(ns + "date")?.Value)))
            .Where(v => v.Number > 0 && v.Date is not null)
            .OrderBy(v => v.Number)
            .ToList();
        if (versions.Count == 0) throw new FormatException($"{id.Id}: no versions with dates");
        var title = Required(m.Element(ns + "title")?.Value, id, "title");
        return ArxivText.Paper(new ArxivId(id.Id, versions[^1].Number), title, m.Element(ns + "abstract")?.Value,
            ArxivText.SplitAuthors(m.Element(ns + "authors")?.Value),
            (m.Element(ns + "categories")?.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            m.Element(ns + "comments")?.Value, m.Element(ns + "journal-ref")?.Value, m.Element(ns + "doi")?.Value,
            m.Element(ns + "license")?.Value, versions[0].Date!.Value, versions[^1].Date, source);
    }

    /// <summary>arXiv: created/updated days and structured authors; no version numbers.</summary>
    private static ItemRecord FromArxiv(XElement m, string source)
    {
        XNamespace ns = ArxivNs;
        var id = Id(m.Element(ns + "id")?.Value);
        var created = ArxivText.ParseDate(m.Element(ns + "created")?.Value) ?? throw new FormatException($"{id.Id}: no created date");
        var authors = m.Element(ns + "authors")?.Elements(ns + "author")
            .Select(a => string.Join(' ', new[] { a.Element(ns + "forenames")?.Value, a.Element(ns + "keyname")?.Value, a.Element(ns + "suffix")?.Value }
                .Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim())))
            .Where(n => n.Length > 0)
            .ToList() ?? [];
        return ArxivText.Paper(id, Required(m.Element(ns + "title")?.Value, id, "title"), m.Element(ns + "abstract")?.Value, authors,
            (m.Element(ns + "categories")?.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            m.Element(ns + "comments")?.Value, m.Element(ns + "journal-ref")?.Value, m.Element(ns + "doi")?.Value,
            m.Element(ns + "license")?.Value, created, ArxivText.ParseDate(m.Element(ns + "updated")?.Value), source);
    }

    private static ArxivId Id(string? text) =>
        ArxivId.TryParse(text, out var id) ? new ArxivId(id.Id, null) : throw new FormatException($"'{text}' is not an arXiv id");

    private static string Required(string? value, ArxivId id, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw new FormatException($"{id.Id}: no {what}") : value;

    private static int VersionNumber(string? text) =>
        text is ['v', .. var digits] && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}

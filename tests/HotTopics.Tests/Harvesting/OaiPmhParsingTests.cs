using HotTopics.Harvesting;
using HotTopics.Harvesting.Arxiv;
using HotTopics.Tests.Infrastructure;

namespace HotTopics.Tests.Harvesting;

/// <summary>The real recorded OAI-PMH responses read into papers: ids, versions, dates, authors, categories, references.</summary>
public sealed class OaiPmhParsingTests
{
    private static string File(string name) => Path.Combine(TestFiles.Dir, "Arxiv", name);

    private static OaiPage Parse(string name)
    {
        using var stream = System.IO.File.OpenRead(File(name));
        return OaiPmh.Parse(stream, "test");
    }

    [Fact]
    public void A_real_arXivRaw_page_gives_every_record_with_its_versions_and_dates()
    {
        var page = Parse("ListRecordsResponse.xml");
        Assert.Equal(["oai:arXiv.org:0704.0471", "oai:arXiv.org:0704.0716", "oai:arXiv.org:0704.0874", "oai:arXiv.org:0704.1109", "oai:arXiv.org:0704.1114", "oai:arXiv.org:0704.1586"],
            page.Records.Select(r => r.Identifier));
        Assert.Equal(58011, page.CompleteListSize);
        Assert.False(string.IsNullOrEmpty(page.ResumptionToken));

        var limit = page.Records[1].Paper!;
        Assert.Equal("arxiv:0704.0716", limit.Key);
        Assert.Equal(4, limit.Version);
        Assert.Equal(new DateTimeOffset(2007, 4, 5, 12, 45, 3, TimeSpan.Zero), limit.Published);
        Assert.Equal(new DateTimeOffset(2008, 11, 14, 9, 7, 25, TimeSpan.Zero), limit.Updated);
        Assert.Equal(["math-ph", "math.MP"], limit.Categories);
        Assert.Equal("Limit distributions and scaling functions", limit.Title);
        Assert.Equal("Polygons, polyominoes and polycubes, 247-299, Lecture Notes in Phys., 775, Springer, Dordrecht, 2009", limit.JournalRef);
        Assert.Equal("http://arxiv.org/licenses/nonexclusive-distrib/1.0/", limit.License);
        Assert.StartsWith("54 pages, 2 figures; v2 updated", limit.Comment, StringComparison.Ordinal);
        Assert.StartsWith("We discuss the asymptotic behaviour", limit.Summary, StringComparison.Ordinal);
        Assert.Equal("2014-12-22", page.Records[1].Datestamp);
    }

    [Fact]
    public void Authors_stay_in_order_and_the_first_of_several_DOIs_is_the_article()
    {
        var page = Parse("ListRecordsResponse.xml");
        var symmetry = page.Records[0].Paper!;
        Assert.Equal(["D.V. Shetty", "S.J. Yennello", "G.A. Souliotis"], symmetry.Authors);
        Assert.Equal("10.1103/PhysRevC.76.024606", symmetry.Doi);
        Assert.Equal(["nucl-ex", "nucl-th"], symmetry.Categories);
        Assert.Equal(1, symmetry.Version);
        Assert.Equal(["Valeria M. Rosa", "Patricio S. letelier"], page.Records[3].Paper!.Authors);
    }

    [Theory]
    [InlineData("ErrorResponseNoRecordsMatch.xml", "noRecordsMatch")]
    [InlineData("ErrorResponseBadResumptionToken.xml", "badResumptionToken")]
    [InlineData("ErrorResponseBadArgument.xml", "badArgument")]
    public void Error_responses_are_read_as_errors(string file, string code)
    {
        var page = Parse(file);
        Assert.Equal(code, page.ErrorCode);
        Assert.Empty(page.Records);
        Assert.False(string.IsNullOrWhiteSpace(page.ErrorMessage));
    }

    [Fact]
    public void The_arXiv_metadata_format_gives_structured_authors_and_created_updated_dates()
    {
        var xml = """
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><record>
            <header><identifier>oai:arXiv.org:0704.0001</identifier><datestamp>2008-11-13</datestamp><setSpec>physics:hep-ph</setSpec></header>
            <metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>0704.0001</id><created>2007-04-02</created><updated>2007-07-24</updated>
            <authors><author><keyname>Balázs</keyname><forenames>C.</forenames></author><author><keyname>Berger</keyname><forenames>E. L.</forenames></author><author><keyname>Yuan</keyname><forenames>C. -P.</forenames><suffix>Jr</suffix></author></authors>
            <title>Calculation of prompt diphoton production cross sections at Tevatron and
              LHC energies</title><categories>hep-ph</categories><comments>37 pages, 15 figures</comments><journal-ref>Phys.Rev.D76:013009,2007</journal-ref><doi>10.1103/PhysRevD.76.013009</doi>
            <license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license><abstract>A fully differential calculation in perturbative QCD is presented.</abstract></arXiv></metadata>
            </record><resumptionToken cursor="0" completeListSize="1"></resumptionToken></ListRecords></OAI-PMH>
            """;
        var page = OaiPmh.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml)), "test");
        var paper = Assert.Single(page.Records).Paper!;
        Assert.Equal(["C. Balázs", "E. L. Berger", "C. -P. Yuan Jr"], paper.Authors);
        Assert.Equal("Calculation of prompt diphoton production cross sections at Tevatron and LHC energies", paper.Title);
        Assert.Equal(new DateTimeOffset(2007, 4, 2, 0, 0, 0, TimeSpan.Zero), paper.Published);
        Assert.Equal(new DateTimeOffset(2007, 7, 24, 0, 0, 0, TimeSpan.Zero), paper.Updated);
        Assert.Null(paper.Version);
        Assert.Null(page.ResumptionToken);
    }

    [Fact]
    public void A_page_cut_short_is_a_clear_error_with_its_position()
    {
        var bytes = System.IO.File.ReadAllBytes(File("ListRecordsResponse.xml"));
        var ex = Assert.Throws<MalformedXmlException>(() => OaiPmh.Parse(new MemoryStream(bytes[..(bytes.Length / 2)]), "test"));
        Assert.Matches(@"not well-formed XML \(line \d+, position \d+\)", ex.Message);
    }

    [Fact]
    public void A_document_type_definition_is_refused_so_entities_never_expand()
    {
        var xml = """
            <?xml version="1.0"?>
            <!DOCTYPE OAI-PMH [ <!ENTITY secret SYSTEM "file:///etc/passwd"> <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"> ]>
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="x">&secret;&b;</error></OAI-PMH>
            """;
        var ex = Assert.Throws<MalformedXmlException>(() => OaiPmh.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml)), "test"));
        Assert.Contains("DTD", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_over_the_character_limit_is_refused()
    {
        var bytes = System.IO.File.ReadAllBytes(File("ListRecordsResponse.xml"));
        var ex = Assert.Throws<MalformedXmlException>(() => OaiPmh.Parse(new MemoryStream(bytes), "test", maxCharacters: 2_000));
        Assert.Contains("not well-formed XML", ex.Message, StringComparison.Ordinal);
    }
}

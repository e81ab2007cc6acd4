using System.Xml;
using System.Xml.Linq;

namespace HotTopics.Harvesting;

/// <summary>
/// The one way HotTopics reads XML from outside: no DTDs (no entity expansion bombs), no resolver (no external
/// entities or schema fetches), a cap on the characters of one document.
/// </summary>
public static class SafeXml
{
    public const long DefaultMaxCharacters = 64L << 20;

    public static XmlReaderSettings Settings(long maxCharacters = DefaultMaxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        MaxCharactersFromEntities = 1_024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,
        CloseInput = false,
        Async = false,
    };

    /// <summary>A reader over bytes; the encoding comes from the BOM or the XML declaration.</summary>
    public static XmlReader Create(Stream stream, long maxCharacters = DefaultMaxCharacters) => XmlReader.Create(stream, Settings(maxCharacters));

    public static XmlReader Create(TextReader text, long maxCharacters = DefaultMaxCharacters) => XmlReader.Create(text, Settings(maxCharacters));

    /// <summary>Loads a whole document (a page or a feed; the character cap applies).</summary>
    /// <param name="what">names the document in the error ("the arXiv RSS feed")</param>
    /// <exception cref="MalformedXmlException">not well-formed, a DTD, or over the cap</exception>
    public static XDocument Load(Stream stream, string what, long maxCharacters = DefaultMaxCharacters)
    {
        try
        {
            using var reader = Create(stream, maxCharacters);
            return XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw MalformedXmlException.From(ex, what);
        }
    }
}

/// <summary>A document that is not well-formed XML or breaks a limit; the message says where.</summary>
public sealed class MalformedXmlException(string message, Exception? inner = null) : Exception(message, inner)
{
    public static MalformedXmlException From(XmlException ex, string what) =>
        new($"{what} is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}): {ex.Message.Split(" Line ", StringSplitOptions.None)[0]}", ex);
}

using System.Net;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace HotTopics.Harvesting.Feeds;

/// <summary>
/// Reads XML into a tree the way a lenient feed reader does: strictly first (<see cref="SafeXml"/>: DTDs prohibited,
/// no resolver, a character limit); when that fails, repaired (HTML entities made numeric, stray ampersands escaped, illegal
/// characters removed) and strictly again; when that fails too, with a recovering tokenizer that closes what is
/// left open, ignores end tags that match nothing, declares the usual prefixes a feed forgot to declare and stops
/// at the end of a truncated document. The reader never throws; <see cref="Read"/> says which pass succeeded.
/// </summary>
internal static partial class LenientXml
{
    /// <summary>Bigger documents are refused: 16 M characters is far beyond any real feed (they are rarely over 1 MB).</summary>
    public const int MaxCharacters = 16_000_000;

    private static readonly XmlReaderSettings Strict = SafeXml.Settings(MaxCharacters);

    public sealed record Result(XElement? Root, bool Recovered, string? Problem);

    public static Result Read(string text)
    {
        if (text.Length > MaxCharacters) return new Result(null, true, $"the document is larger than {MaxCharacters:N0} characters");
        text = StripDoctype(text);
        string? problem;
        try
        {
            return new Result(Load(text), false, null);
        }
        catch (XmlException e)
        {
            problem = e.Message;
        }
        var repaired = Repair(text);
        if (!ReferenceEquals(repaired, text))
        {
            try
            {
                return new Result(Load(repaired), true, problem);
            }
            catch (XmlException)
            {
                // fall through to the recovering tokenizer
            }
        }
        return new Result(new Recovering(text).Parse(), true, problem);
    }

    private static XElement? Load(string text)
    {
        using var reader = XmlReader.Create(new StringReader(text), Strict);
        return XDocument.Load(reader, LoadOptions.PreserveWhitespace).Root;
    }

    /// <summary>
    /// The DOCTYPE is dropped before parsing (feedparser does the same): DTDs stay prohibited, and a Netscape RSS 0.91
    /// DOCTYPE should not cost the strict pass. An internal subset goes with it, so its entities are never expanded.
    /// </summary>
    private static string StripDoctype(string text)
    {
        // A DOCTYPE comes before the root element: only the head of the document is searched.
        var start = text.AsSpan(0, Math.Min(text.Length, 2048)).IndexOf("<!DOCTYPE", StringComparison.OrdinalIgnoreCase);
        if (start < 0) return text;
        var depth = 0;
        for (var i = start + 9; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (c == '>' && depth <= 0)
            {
                var rest = string.Concat(text.AsSpan(0, start), text.AsSpan(i + 1));
                return ExpandSimpleEntities(text[start..(i + 1)], rest, start);
            }
        }
        return text;
    }

    [System.Text.RegularExpressions.GeneratedRegex("""<!ENTITY\s+(?<name>[A-Za-z_][\w.-]*)\s+(?:"(?<v>[^"&%<]{0,200})"|'(?<v>[^'&%<]{0,200})')\s*>""", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex EntityDeclaration();

    /// <summary>
    /// Internal entities that are plain text (no references, no markup, at most 200 characters) are substituted once,
    /// as feedparser does; anything else in the subset is ignored, so entity expansion cannot blow up.
    /// </summary>
    private static string ExpandSimpleEntities(string doctype, string text, int from)
    {
        var matches = EntityDeclaration().Matches(doctype);
        if (matches.Count == 0) return text;
        var head = text[..from];
        var body = text[from..];
        foreach (System.Text.RegularExpressions.Match m in matches)
        {
            var name = m.Groups["name"].Value;
            if (name is "amp" or "lt" or "gt" or "quot" or "apos") continue;
            body = body.Replace("&" + name + ";", System.Security.SecurityElement.Escape(m.Groups["v"].Value), StringComparison.Ordinal);
            if (body.Length > MaxCharacters) return text;
        }
        return head + body;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"&(?:(?<name>[A-Za-z][A-Za-z0-9]{1,31});|(?!#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};))", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex Ampersand();

    /// <summary>HTML named entities become numeric references; an ampersand that starts no reference is escaped.</summary>
    internal static string Repair(string text)
    {
        var changed = false;
        var fixedEntities = Ampersand().Replace(text, m =>
        {
            var name = m.Groups["name"];
            if (name.Success)
            {
                if (name.Value is "amp" or "lt" or "gt" or "quot" or "apos") return m.Value;
                var decoded = WebUtility.HtmlDecode(m.Value);
                changed = true;
                return decoded == m.Value ? "&amp;" + m.Value[1..] : string.Concat(decoded.EnumerateRunes().Select(r => $"&#{r.Value};"));
            }
            changed = true;
            return "&amp;";
        });
        var builder = new StringBuilder(fixedEntities.Length);
        foreach (var c in fixedEntities)
        {
            if (XmlConvert.IsXmlChar(c) || char.IsSurrogate(c)) builder.Append(c);
            else changed = true;
        }
        return changed ? builder.ToString() : text;
    }

    /// <summary>A tag-soup tokenizer that builds a tree from whatever it finds.</summary>
    private sealed class Recovering(string text)
    {
        private static readonly Dictionary<string, string> KnownPrefixes = new(StringComparer.OrdinalIgnoreCase)
        {
            ["dc"] = FeedNamespaces.Dc,
            ["dcterms"] = FeedNamespaces.DcTerms,
            ["content"] = FeedNamespaces.Content,
            ["atom"] = FeedNamespaces.Atom10,
            ["rdf"] = FeedNamespaces.Rdf,
            ["media"] = FeedNamespaces.Media,
            ["itunes"] = FeedNamespaces.Itunes,
            ["xhtml"] = FeedNamespaces.Xhtml,
        };

        private readonly List<(XElement Element, string RawName, Dictionary<string, string>? Scope)> _stack = [];
        private int _pos;

        public XElement? Parse()
        {
            var document = new XElement("document");
            _stack.Add((document, "", null));
            while (_pos < text.Length)
            {
                var lt = text.IndexOf('<', _pos);
                if (lt < 0)
                {
                    AddText(text[_pos..]);
                    break;
                }
                if (lt > _pos) AddText(text[_pos..lt]);
                _pos = lt;
                if (Starts("<!--")) Skip("-->");
                else if (Starts("<![CDATA[")) Cdata();
                else if (Starts("<?") || Starts("<!")) Skip(">");
                else if (Starts("</")) EndTag();
                else if (lt + 1 < text.Length && IsNameStart(text[lt + 1])) StartTag();
                else
                {
                    AddText("<");
                    _pos++;
                }
            }
            return document.Elements().FirstOrDefault();
        }

        private bool Starts(string s) => string.CompareOrdinal(text, _pos, s, 0, s.Length) == 0;

        private void Skip(string terminator)
        {
            var end = text.IndexOf(terminator, _pos + 2, StringComparison.Ordinal);
            _pos = end < 0 ? text.Length : end + terminator.Length;
        }

        private void Cdata()
        {
            var start = _pos + 9;
            var end = text.IndexOf("]]>", start, StringComparison.Ordinal);
            Current.Add(new XText(Clean(end < 0 ? text[start..] : text[start..end])));
            _pos = end < 0 ? text.Length : end + 3;
        }

        private XElement Current => _stack[^1].Element;

        private void AddText(string raw) => Current.Add(new XText(Clean(WebUtility.HtmlDecode(raw))));

        private void EndTag()
        {
            var end = text.IndexOf('>', _pos);
            var name = (end < 0 ? text[(_pos + 2)..] : text[(_pos + 2)..end]).Trim();
            _pos = end < 0 ? text.Length : end + 1;
            for (var i = _stack.Count - 1; i > 0; i--)
            {
                if (!_stack[i].RawName.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
                _stack.RemoveRange(i, _stack.Count - i);
                return;
            }
        }

        private void StartTag()
        {
            var i = _pos + 1;
            var nameStart = i;
            while (i < text.Length && IsNameChar(text[i])) i++;
            var rawName = text[nameStart..i];
            var attributes = new List<(string Name, string Value)>();
            var selfClosing = false;
            while (i < text.Length)
            {
                while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
                if (i >= text.Length) break;
                if (text[i] == '>') { i++; break; }
                if (text[i] == '/') { selfClosing = true; i++; continue; }
                if (text[i] == '<') break; // an unclosed tag: the next one starts here
                var attrStart = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('=' or '>' or '/' or '<')) i++;
                var attrName = text[attrStart..i];
                if (attrName.Length == 0) { i++; continue; }
                while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
                var value = "";
                if (i < text.Length && text[i] == '=')
                {
                    i++;
                    while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
                    if (i < text.Length && text[i] is '"' or '\'')
                    {
                        var quote = text[i];
                        var close = text.IndexOf(quote, i + 1);
                        value = close < 0 ? text[(i + 1)..] : text[(i + 1)..close];
                        i = close < 0 ? text.Length : close + 1;
                    }
                    else
                    {
                        var vs = i;
                        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '>') i++;
                        value = text[vs..i];
                    }
                }
                attributes.Add((attrName, Clean(WebUtility.HtmlDecode(value))));
            }
            _pos = i;

            Dictionary<string, string>? scope = null;
            foreach (var (name, value) in attributes)
            {
                if (name.Equals("xmlns", StringComparison.OrdinalIgnoreCase)) (scope ??= [])[""] = value;
                else if (name.StartsWith("xmlns:", StringComparison.OrdinalIgnoreCase)) (scope ??= [])[name[6..]] = value;
            }
            _stack.Add((new XElement("placeholder"), rawName, scope));
            var element = new XElement(Resolve(rawName, isAttribute: false));
            foreach (var (name, value) in attributes)
            {
                if (name.StartsWith("xmlns", StringComparison.OrdinalIgnoreCase)) continue;
                var xname = Resolve(name, isAttribute: true);
                if (element.Attribute(xname) is null) element.SetAttributeValue(xname, value);
            }
            _stack.RemoveAt(_stack.Count - 1);
            Current.Add(element);
            if (!selfClosing) _stack.Add((element, rawName, scope));
        }

        private XName Resolve(string rawName, bool isAttribute)
        {
            var colon = rawName.IndexOf(':', StringComparison.Ordinal);
            var prefix = colon < 0 ? "" : rawName[..colon];
            var local = Sanitize(colon < 0 ? rawName : rawName[(colon + 1)..]);
            if (prefix.Equals("xml", StringComparison.OrdinalIgnoreCase)) return XNamespace.Xml + local;
            if (isAttribute && prefix.Length == 0) return local;
            for (var i = _stack.Count - 1; i >= 0; i--)
            {
                if (_stack[i].Scope is { } scope && scope.TryGetValue(prefix, out var uri)) return XName.Get(local, uri);
            }
            if (prefix.Length == 0) return local;
            return XName.Get(local, KnownPrefixes.TryGetValue(prefix, out var known) ? known : "urn:undeclared:" + Sanitize(prefix));
        }

        private static string Sanitize(string name)
        {
            if (name.Length == 0) return "_";
            var chars = name.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                if (!(i == 0 ? XmlConvert.IsStartNCNameChar(chars[i]) : XmlConvert.IsNCNameChar(chars[i]))) chars[i] = '_';
            }
            return new string(chars);
        }

        private static bool IsNameStart(char c) => char.IsLetter(c) || c is '_' or ':';

        private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or ':' or '-' or '.';

        private static string Clean(string value)
        {
            foreach (var c in value)
            {
                if (!XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c)) return new string([.. value.Where(ch => XmlConvert.IsXmlChar(ch) || char.IsSurrogate(ch))]);
            }
            return value;
        }
    }
}

internal static class FeedNamespaces
{
    public const string Atom10 = "http://www.w3.org/2005/Atom";
    public const string Atom03 = "http://purl.org/atom/ns#";
    public const string Rss10 = "http://purl.org/rss/1.0/";
    public const string Rss090 = "http://my.netscape.com/rdf/simple/0.9/";
    public const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public const string Dc = "http://purl.org/dc/elements/1.1/";
    public const string DcTerms = "http://purl.org/dc/terms/";
    public const string Content = "http://purl.org/rss/1.0/modules/content/";
    public const string Xhtml = "http://www.w3.org/1999/xhtml";
    public const string Media = "http://search.yahoo.com/mrss/";
    public const string Itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";
}

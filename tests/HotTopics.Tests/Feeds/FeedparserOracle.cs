using System.Globalization;
using System.Text;
using HotTopics.Harvesting.Feeds;

namespace HotTopics.Tests.Feeds;

/// <summary>
/// feedparser's test files carry their oracle as a Python expression over feedparser's result
/// (<c>Expect: not bozo and entries[0]['title'] == 'x'</c>). This evaluates the subset of Python those oracles use
/// (and/or/not, == and != with chaining, subscripts, attribute access, len(), has_key(), string/number/tuple/dict
/// literals) against our <see cref="ParsedFeed"/> projected onto feedparser's names. A missing key is a failure,
/// as it would be a KeyError in Python.
/// </summary>
internal static class FeedparserOracle
{
    public sealed record Case(string Path, string Expect, string? ContentType, byte[] Bytes);

    public static Case Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = FeedDecoder.Decode(bytes).Text;
        string? expect = null, contentType = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("Expect:", StringComparison.Ordinal)) expect ??= line[7..].Trim();
            else if (line.StartsWith("Header:", StringComparison.Ordinal))
            {
                var header = line[7..].Trim();
                if (header.StartsWith("Content-type:", StringComparison.OrdinalIgnoreCase)) contentType = header[13..].Trim();
            }
        }
        return new Case(path, expect ?? "1", contentType, bytes);
    }

    /// <summary>Runs the case: true when the oracle holds; <paramref name="why"/> says what went wrong otherwise.</summary>
    public static bool Holds(Case c, out string why)
    {
        var feed = FeedParser.Parse(c.Bytes, c.ContentType, new Uri("http://127.0.0.1/feed.xml"));
        var root = Project(feed);
        try
        {
            var result = new Evaluator(c.Expect, root).Run();
            why = Truthy(result) ? "" : $"{c.Expect} is false; problems: {string.Join("; ", feed.Problems)}";
            return Truthy(result);
        }
        catch (KeyNotFoundException e)
        {
            why = $"{c.Expect}: {e.Message}";
            return false;
        }
        catch (ArgumentOutOfRangeException)
        {
            why = $"{c.Expect}: index out of range";
            return false;
        }
    }

    // ---- feedparser's view of our result ----

    public static Dictionary<string, object?> Project(ParsedFeed f)
    {
        var root = new Dictionary<string, object?>
        {
            ["bozo"] = f.Recovered,
            ["encoding"] = f.Encoding,
            ["version"] = f.Format,
            ["feed"] = Header(f.Header),
            ["entries"] = f.Entries.Select(Entry).Cast<object?>().ToList(),
        };
        return root;
    }

    private static Dictionary<string, object?> Header(FeedHeader h)
    {
        var d = new Dictionary<string, object?>();
        Text(d, "title", h.Title);
        Text(d, "subtitle", h.Subtitle);
        Text(d, "tagline", h.Subtitle);
        Text(d, "description", h.Subtitle);
        Text(d, "rights", h.Rights);
        Text(d, "copyright", h.Rights);
        Links(d, h.Links, h.Link);
        Set(d, "id", h.Id);
        Set(d, "guid", h.Id);
        People(d, "author", "authors", h.Authors);
        People(d, "contributor", "contributors", h.Contributors);
        if (h.Publisher is { } p)
        {
            d["publisher"] = p.Display;
            d["publisher_detail"] = Person(p);
        }
        Tags(d, h.Categories);
        Set(d, "language", h.Language);
        Set(d, "generator", h.Generator);
        Set(d, "icon", h.Icon);
        Set(d, "logo", h.Logo);
        Date(d, "published", h.Published);
        Date(d, "updated", h.Updated);
        return d;
    }

    private static Dictionary<string, object?> Entry(FeedEntry e)
    {
        var d = new Dictionary<string, object?>();
        Text(d, "title", e.Title);
        Text(d, "summary", e.Summary);
        Text(d, "description", e.Summary);
        if (e.Content.Count > 0) d["content"] = e.Content.Select(c => (object?)TextDetail(c)).ToList();
        Links(d, e.Links, e.Link);
        Set(d, "id", e.Id);
        Set(d, "guid", e.Id);
        d["guidislink"] = e.GuidIsLink;
        People(d, "author", "authors", e.Authors);
        People(d, "contributor", "contributors", e.Contributors);
        Tags(d, e.Categories);
        if (e.Enclosures.Count > 0)
        {
            d["enclosures"] = e.Enclosures.Select(x => (object?)Compact(new() { ["href"] = x.Url, ["type"] = x.Type, ["length"] = x.Length })).ToList();
        }
        Text(d, "rights", e.Rights);
        Set(d, "comments", e.Comments);
        Date(d, "published", e.Published);
        Date(d, "updated", e.Updated);
        if (e.Source is { } s) d["source"] = Header(s);
        return d;
    }

    private static void Set(Dictionary<string, object?> d, string key, string? value)
    {
        if (value is not null) d[key] = value;
    }

    private static void Text(Dictionary<string, object?> d, string key, FeedText? text)
    {
        if (text is null) return;
        d[key] = text.Value;
        d[key + "_detail"] = TextDetail(text);
    }

    private static Dictionary<string, object?> TextDetail(FeedText t) =>
        Compact(new() { ["value"] = t.Value, ["type"] = t.Type, ["language"] = t.Language, ["base"] = t.Base });

    private static void Links(Dictionary<string, object?> d, List<FeedLink> links, string? alternate)
    {
        if (links.Count > 0)
        {
            d["links"] = links.Select(l => (object?)Compact(new()
            {
                ["href"] = l.Href, ["rel"] = l.Rel, ["type"] = l.Type, ["title"] = l.Title, ["length"] = l.Length, ["hreflang"] = l.HrefLang,
            })).ToList();
        }
        Set(d, "link", alternate);
    }

    private static void People(Dictionary<string, object?> d, string single, string plural, List<FeedPerson> people)
    {
        if (people.Count == 0) return;
        d[plural] = people.Select(p => (object?)Person(p)).ToList();
        d[single] = people[0].Display;
        d[single + "_detail"] = Person(people[0]);
    }

    private static Dictionary<string, object?> Person(FeedPerson p) =>
        Compact(new() { ["name"] = p.Name, ["email"] = p.Email, ["href"] = p.Uri });

    private static void Tags(Dictionary<string, object?> d, List<FeedCategory> categories)
    {
        if (categories.Count == 0) return;
        d["tags"] = categories.Select(c => (object?)new Dictionary<string, object?> { ["term"] = c.Term, ["scheme"] = c.Scheme, ["label"] = c.Label }).ToList();
        d["category"] = categories[0].Term;
    }

    private static void Date(Dictionary<string, object?> d, string key, FeedDate? date)
    {
        if (date is null) return;
        d[key] = date.Raw;
        if (date.Value is { } v)
        {
            var u = v.UtcDateTime;
            d[key + "_parsed"] = new List<object?>
            {
                (long)u.Year, (long)u.Month, (long)u.Day, (long)u.Hour, (long)u.Minute, (long)u.Second,
                (long)(((int)u.DayOfWeek + 6) % 7), (long)u.DayOfYear, 0L,
            };
        }
    }

    private static Dictionary<string, object?> Compact(Dictionary<string, object?> d)
    {
        foreach (var key in d.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList()) d.Remove(key);
        return d;
    }

    // ---- the Python subset ----

    private static bool Truthy(object? v) => v switch
    {
        null => false,
        bool b => b,
        long n => n != 0,
        string s => s.Length > 0,
        System.Collections.ICollection c => c.Count > 0,
        _ => true,
    };

    private static bool PyEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (bool x, long y) => (x ? 1 : 0) == y,
        (long x, bool y) => x == (y ? 1 : 0),
        (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => PyEquals(p.First, p.Second)),
        (Dictionary<string, object?> x, Dictionary<string, object?> y) =>
            x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var other) && PyEquals(kv.Value, other)),
        _ => a.Equals(b),
    };

    private sealed class Evaluator(string source, Dictionary<string, object?> root)
    {
        private int _pos;

        public object? Run()
        {
            var value = Or();
            Space();
            if (_pos < source.Length) throw new KeyNotFoundException($"unsupported oracle syntax at '{source[_pos..]}'");
            return value;
        }

        private void Space()
        {
            while (_pos < source.Length && char.IsWhiteSpace(source[_pos])) _pos++;
        }

        private bool Keyword(string word)
        {
            Space();
            if (string.CompareOrdinal(source, _pos, word, 0, word.Length) != 0) return false;
            var end = _pos + word.Length;
            if (end < source.Length && (char.IsLetterOrDigit(source[end]) || source[end] == '_')) return false;
            _pos = end;
            return true;
        }

        private bool Symbol(string symbol)
        {
            Space();
            if (string.CompareOrdinal(source, _pos, symbol, 0, symbol.Length) != 0) return false;
            _pos += symbol.Length;
            return true;
        }

        private object? Or()
        {
            var left = And();
            while (Keyword("or"))
            {
                var right = And();
                left = Truthy(left) ? left : right;
            }
            return left;
        }

        private object? And()
        {
            var left = Not();
            while (Keyword("and"))
            {
                // Python short-circuits: a false left side means the right is never evaluated (no KeyError).
                if (!Truthy(left))
                {
                    SkipOperand();
                    continue;
                }
                left = Not();
            }
            return left;
        }

        private void SkipOperand()
        {
            try
            {
                Not();
            }
            catch (KeyNotFoundException)
            {
                // the value is not needed
            }
            catch (ArgumentOutOfRangeException)
            {
                // the value is not needed
            }
        }

        private object? Not() => Keyword("not") ? !Truthy(Not()) : Comparison();

        private object? Comparison()
        {
            var left = Postfix();
            object? result = null;
            while (true)
            {
                bool equal;
                if (Symbol("==")) equal = true;
                else if (Symbol("!=")) equal = false;
                else break;
                var right = Postfix();
                var holds = PyEquals(left, right) == equal;
                result = result is null ? holds : (bool)result && holds;
                left = right;
            }
            return result ?? left;
        }

        private object? Postfix()
        {
            var value = Primary();
            while (true)
            {
                if (Symbol("["))
                {
                    var index = Or();
                    if (!Symbol("]")) throw new KeyNotFoundException("expected ]");
                    value = Index(value, index);
                }
                else if (Symbol("."))
                {
                    var name = Name();
                    if (name == "has_key" && Symbol("("))
                    {
                        var key = Or();
                        Symbol(")");
                        value = value is Dictionary<string, object?> d && key is string k && d.ContainsKey(k);
                    }
                    else value = Index(value, name);
                }
                else return value;
            }
        }

        private static object? Index(object? value, object? index) => (value, index) switch
        {
            // feedparser's dictionaries answer to old names too ('url' is 'href').
            (Dictionary<string, object?> d, string key) => d.TryGetValue(key, out var v) || (key == "url" && d.TryGetValue("href", out v))
                ? v : throw new KeyNotFoundException($"no key '{key}'"),
            (List<object?> list, long i) => i >= 0 && i < list.Count ? list[(int)i] : throw new ArgumentOutOfRangeException(nameof(index)),
            _ => throw new KeyNotFoundException($"cannot index {value?.GetType().Name ?? "None"} with {index}"),
        };

        private string Name()
        {
            Space();
            var start = _pos;
            while (_pos < source.Length && (char.IsLetterOrDigit(source[_pos]) || source[_pos] == '_')) _pos++;
            return source[start.._pos];
        }

        private object? Primary()
        {
            Space();
            if (_pos >= source.Length) throw new KeyNotFoundException("unexpected end of oracle");
            var c = source[_pos];
            if (c is '\'' or '"' || ((c is 'u' or 'b') && _pos + 1 < source.Length && source[_pos + 1] is '\'' or '"'))
            {
                if (c is 'u' or 'b') _pos++;
                return StringLiteral();
            }
            if (char.IsDigit(c) || (c == '-' && _pos + 1 < source.Length && char.IsDigit(source[_pos + 1])))
            {
                var start = _pos++;
                while (_pos < source.Length && char.IsDigit(source[_pos])) _pos++;
                return long.Parse(source[start.._pos], CultureInfo.InvariantCulture);
            }
            if (Symbol("("))
            {
                var items = new List<object?>();
                if (Symbol(")")) return items;
                items.Add(Or());
                var tuple = false;
                while (Symbol(","))
                {
                    tuple = true;
                    if (Symbol(")")) return items;
                    items.Add(Or());
                }
                if (!Symbol(")")) throw new KeyNotFoundException("expected )");
                return tuple ? items : items[0];
            }
            if (Symbol("{"))
            {
                var dict = new Dictionary<string, object?>();
                while (!Symbol("}"))
                {
                    var key = (string)Or()!;
                    Symbol(":");
                    dict[key] = Or();
                    Symbol(",");
                }
                return dict;
            }
            if (Symbol("["))
            {
                var list = new List<object?>();
                while (!Symbol("]"))
                {
                    list.Add(Or());
                    Symbol(",");
                }
                return list;
            }
            var name = Name();
            switch (name)
            {
                case "None": return null;
                case "True": return true;
                case "False": return false;
                case "len":
                    Symbol("(");
                    var arg = Or();
                    Symbol(")");
                    return arg switch
                    {
                        string s => (long)s.Length,
                        System.Collections.ICollection col => (long)col.Count,
                        _ => throw new KeyNotFoundException("len of None"),
                    };
                case "":
                    throw new KeyNotFoundException($"unsupported oracle syntax at '{source[_pos..]}'");
                default:
                    return root.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"no result field '{name}'");
            }
        }

        private string StringLiteral()
        {
            var quote = source[_pos];
            var triple = string.CompareOrdinal(source, _pos, new string(quote, 3), 0, 3) == 0;
            _pos += triple ? 3 : 1;
            var builder = new StringBuilder();
            while (_pos < source.Length)
            {
                if (triple ? string.CompareOrdinal(source, _pos, new string(quote, 3), 0, 3) == 0 : source[_pos] == quote)
                {
                    _pos += triple ? 3 : 1;
                    return builder.ToString();
                }
                var c = source[_pos++];
                if (c != '\\' || _pos >= source.Length)
                {
                    builder.Append(c);
                    continue;
                }
                var e = source[_pos++];
                switch (e)
                {
                    case 'n': builder.Append('\n'); break;
                    case 't': builder.Append('\t'); break;
                    case 'r': builder.Append('\r'); break;
                    case 'x': builder.Append((char)Convert.ToInt32(source.Substring(_pos, 2), 16)); _pos += 2; break;
                    case 'u': builder.Append((char)Convert.ToInt32(source.Substring(_pos, 4), 16)); _pos += 4; break;
                    case 'U': builder.Append(char.ConvertFromUtf32(Convert.ToInt32(source.Substring(_pos, 8), 16))); _pos += 8; break;
                    default: builder.Append(e); break;
                }
            }
            throw new KeyNotFoundException("unterminated string in oracle");
        }
    }
}

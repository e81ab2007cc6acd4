using System.Globalization;
using System.Text;

namespace HotTopics.Search;

/// <summary>
/// Our query syntax, turned into an FTS5 MATCH expression plus filters.
/// <code>
/// words            all must match (stemmed: "models" finds "model")
/// a OR b           either
/// -word, NOT word  exclude
/// "exact phrase"   words next to each other
/// optim*           prefix (at least 2 letters)
/// title: abstract: author: category:   limit a word, phrase or (group) to one field
/// after:2026-01-01 before:2026-03-01    published on/after, before (also 2026-01 or 2026)
/// kind:paper|post|link                  only that kind
/// topic:vision                         only items with that topic (a key of the taxonomy)
/// ( )              grouping
/// </code>
/// Every token is re-quoted before it reaches FTS5, so FTS5's own operators (NEAR, {col}, ^, +) are never live.
/// </summary>
public static class QueryParser
{
    public const int MaxLength = 1000;

    private static readonly Dictionary<string, string> TextFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["title"] = "title",
        ["abstract"] = "summary",
        ["summary"] = "summary",
        ["author"] = "authors",
        ["authors"] = "authors",
        ["category"] = "categories",
        ["cat"] = "categories",
    };

    private static readonly string[] FilterFields = ["after", "before", "kind", "topic"];

    public static string KnownFields => "title, abstract, author, category, after, before, kind, topic";

    public static ParsedQuery Parse(string? text, DateOnly? from = null, DateOnly? to = null, IReadOnlyList<string>? categories = null, IReadOnlyList<string>? kinds = null)
    {
        text ??= "";
        if (text.Length > MaxLength)
            throw new QuerySyntaxException($"The query is {text.Length:N0} characters long; the limit is {MaxLength:N0}. Search for the few words that matter.");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
                throw new QuerySyntaxException($"The query contains an invisible control character (U+{(int)c:X4}) at position {i + 1}. Retype the query without it.");
        }

        var parser = new Parser(Lex(text));
        var node = parser.ParseQuery();
        var filters = parser.Filters;

        var fromDay = Max(from, filters.After);
        DateOnly? untilDay = filters.Before;
        if (to is { } t) untilDay = Min(untilDay, t.AddDays(1));
        if (fromDay is { } f && untilDay is { } u && f >= u)
            throw new QuerySyntaxException($"The date window is empty: it starts {f:yyyy-MM-dd} and ends before {u:yyyy-MM-dd}.");

        var parts = new List<Node>();
        if (node is not null) parts.Add(node);
        foreach (var category in categories ?? [])
        {
            if (string.IsNullOrWhiteSpace(category)) continue;
            parts.Add(new FieldNode("categories", TermFromWord(category.Trim(), allowPrefix: false)
                ?? throw new QuerySyntaxException($"'{category}' is not a category such as cs.LG.")));
        }
        var allKinds = filters.Kinds.Concat(kinds ?? []).Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim().ToLowerInvariant()).Distinct().ToList();
        foreach (var kind in allKinds)
        {
            if (!Items.ItemKind.IsKnown(kind))
                throw new QuerySyntaxException($"'{kind}' is not a kind: use paper, post or link.");
        }

        var root = parts.Count switch
        {
            0 => null,
            1 => parts[0],
            _ => new AndNode(parts),
        };
        if (root is not null && !root.HasPositive)
            throw new QuerySyntaxException("The query only excludes words (NOT or -). Add at least one word to search for.");

        var titleLeaves = new List<string>();
        root?.CollectTitleLeaves(titleLeaves);
        var phrases = new List<string>();
        root?.CollectPhrases(phrases, field: null);
        var match = root?.ToFts();
        return new ParsedQuery
        {
            Match = match,
            TitleMatch = titleLeaves.Count == 0 ? null : $"({match}) AND title : ({string.Join(" OR ", titleLeaves)})",
            Phrases = phrases,
            From = fromDay,
            Until = untilDay,
            Kinds = allKinds,
            Topics = [.. filters.Topics.Distinct(StringComparer.Ordinal)],
        };
    }

    private static DateOnly? Max(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    private static DateOnly? Min(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : (a < b ? a : b);

    // ---- lexing ---------------------------------------------------------------------------------------------

    private enum Kind { Word, Phrase, Open, Close, Or, And, Not, Minus, Field }

    private readonly record struct Token(Kind Kind, string Text, int Position, bool Prefix = false);

    private static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            switch (c)
            {
                case '(':
                    tokens.Add(new Token(Kind.Open, "(", i));
                    i++;
                    continue;
                case ')':
                    tokens.Add(new Token(Kind.Close, ")", i));
                    i++;
                    continue;
                case '"':
                {
                    var end = text.IndexOf('"', i + 1);
                    if (end < 0)
                        throw new QuerySyntaxException($"The quote at position {i + 1} is never closed. Add a closing \" after the phrase.");
                    var prefix = end + 1 < text.Length && text[end + 1] == '*';
                    tokens.Add(new Token(Kind.Phrase, text[(i + 1)..end], i, prefix));
                    i = end + (prefix ? 2 : 1);
                    continue;
                }
                case '{' or '}':
                    throw new QuerySyntaxException($"'{c}' at position {i + 1} is not part of the query syntax. To search one field write title:word, abstract:word, author:name or category:cs.LG.");
                case '^':
                    throw new QuerySyntaxException($"'^' at position {i + 1} is not part of the query syntax. Use a phrase in quotes or title:word instead.");
                case '-' when i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]) && (i == 0 || char.IsWhiteSpace(text[i - 1]) || text[i - 1] == '('):
                    tokens.Add(new Token(Kind.Minus, "-", i));
                    i++;
                    continue;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or '"' or '{' or '}' or '^')) i++;
            var word = text[start..i];
            var colon = word.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && word[..colon].All(char.IsAsciiLetter))
            {
                var name = word[..colon];
                if (!TextFields.ContainsKey(name) && !FilterFields.Contains(name, StringComparer.OrdinalIgnoreCase))
                    throw new QuerySyntaxException($"'{name}:' at position {start + 1} is not a field. Known fields: {KnownFields}.");
                tokens.Add(new Token(Kind.Field, name.ToLowerInvariant(), start));
                var rest = word[(colon + 1)..];
                if (rest.Length > 0) tokens.Add(new Token(Kind.Word, rest, start + colon + 1));
                else if (i >= text.Length || char.IsWhiteSpace(text[i]))
                    throw new QuerySyntaxException($"'{name}:' at position {start + 1} has nothing after it. Write it without a space, e.g. {name}:{Example(name)}.");
                continue;
            }
            if (word == "NEAR" && i < text.Length && text[i] == '(')
                throw new QuerySyntaxException($"NEAR( at position {start + 1} is not part of the query syntax. Use a phrase in quotes for words next to each other.");
            tokens.Add(word switch
            {
                "OR" or "|" => new Token(Kind.Or, word, start),
                "AND" or "&&" => new Token(Kind.And, word, start),
                "NOT" => new Token(Kind.Not, word, start),
                _ => new Token(Kind.Word, word, start),
            });
        }
        return tokens;
    }

    private static string Example(string field) => field.ToLowerInvariant() switch
    {
        "after" or "before" => "2026-01-01",
        "kind" => "paper",
        "topic" => "vision",
        "category" or "cat" => "cs.LG",
        "author" or "authors" => "hinton",
        _ => "transformer",
    };

    // ---- parsing --------------------------------------------------------------------------------------------

    private sealed class FilterSet
    {
        public DateOnly? After { get; set; }
        public DateOnly? Before { get; set; }
        public List<string> Kinds { get; } = [];
        public List<string> Topics { get; } = [];
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int _pos;

        public FilterSet Filters { get; } = new();

        private Token? Peek => _pos < tokens.Count ? tokens[_pos] : null;

        public Node? ParseQuery()
        {
            if (tokens.Count == 0) return null;
            var node = ParseOr(depth: 0, field: null, topLevel: true);
            if (Peek is { } extra)
            {
                throw extra.Kind == Kind.Close
                    ? new QuerySyntaxException($"The ')' at position {extra.Position + 1} has no matching '('. Remove it or add a '(' before it.")
                    : new QuerySyntaxException($"Unexpected '{extra.Text}' at position {extra.Position + 1}.");
            }
            return node;
        }

        private Node? ParseOr(int depth, string? field, bool topLevel)
        {
            if (depth > 20) throw new QuerySyntaxException("The query nests parentheses too deeply.");
            var first = Peek;
            if (first is { Kind: Kind.Or })
                throw new QuerySyntaxException($"OR at position {first.Value.Position + 1} needs a word on each side, e.g. rlhf OR dpo.");
            var branches = new List<Node?> { ParseAnd(depth, field, topLevel) };
            while (Peek is { Kind: Kind.Or } or)
            {
                _pos++;
                if (Peek is null or { Kind: Kind.Close or Kind.Or })
                    throw new QuerySyntaxException($"OR at position {or.Position + 1} needs a word on each side, e.g. rlhf OR dpo.");
                branches.Add(ParseAnd(depth, field, topLevel: false));
                if (branches[0] is null || branches[^1] is null)
                    throw new QuerySyntaxException($"OR at position {or.Position + 1} joins a date or kind filter; filters always narrow the whole search, so write them outside the OR.");
            }
            if (branches.Count == 1) return branches[0];
            foreach (var b in branches)
            {
                if (!b!.HasPositive)
                    throw new QuerySyntaxException("Each side of an OR needs a word to search for, not only excluded words.");
            }
            return new OrNode([.. branches.Select(b => b!)]);
        }

        private Node? ParseAnd(int depth, string? field, bool topLevel)
        {
            var parts = new List<Node>();
            while (Peek is { } t && t.Kind is not (Kind.Or or Kind.Close))
            {
                if (t.Kind == Kind.And)
                {
                    _pos++;
                    if (parts.Count == 0 || Peek is null or { Kind: Kind.Or or Kind.Close or Kind.And })
                        throw new QuerySyntaxException($"AND at position {t.Position + 1} needs a word on each side (words are joined by AND anyway).");
                    continue;
                }
                var node = ParseUnary(depth, field, topLevel);
                if (node is not null) parts.Add(node);
            }
            if (parts.Count == 0)
            {
                if (Peek is { Kind: Kind.Or } or) throw new QuerySyntaxException($"OR at position {or.Position + 1} needs a word on each side, e.g. rlhf OR dpo.");
                return null;
            }
            return parts.Count == 1 ? parts[0] : new AndNode(parts);
        }

        private Node? ParseUnary(int depth, string? field, bool topLevel)
        {
            var t = Peek!.Value;
            if (t.Kind is Kind.Not or Kind.Minus)
            {
                _pos++;
                if (Peek is null or { Kind: Kind.Or or Kind.Close or Kind.And or Kind.Not or Kind.Minus })
                    throw new QuerySyntaxException($"{(t.Kind == Kind.Not ? "NOT" : "'-'")} at position {t.Position + 1} needs a word after it, e.g. -survey.");
                var inner = ParseUnary(depth, field, topLevel: false)
                    ?? throw new QuerySyntaxException($"{(t.Kind == Kind.Not ? "NOT" : "'-'")} at position {t.Position + 1} cannot exclude a filter.");
                return new NotNode(inner);
            }
            return ParsePrimary(depth, field, topLevel);
        }

        private Node? ParsePrimary(int depth, string? field, bool topLevel)
        {
            var t = Peek!.Value;
            _pos++;
            switch (t.Kind)
            {
                case Kind.Open:
                {
                    if (Peek is { Kind: Kind.Close })
                        throw new QuerySyntaxException($"The parentheses at position {t.Position + 1} are empty.");
                    var inner = ParseOr(depth + 1, field, topLevel: false);
                    if (Peek is not { Kind: Kind.Close })
                        throw new QuerySyntaxException($"The '(' at position {t.Position + 1} is never closed. Add a ')'.");
                    _pos++;
                    return inner ?? throw new QuerySyntaxException($"The parentheses at position {t.Position + 1} hold only filters; write filters outside parentheses.");
                }
                case Kind.Phrase:
                {
                    var tokensOfPhrase = Tokenize(t.Text);
                    if (tokensOfPhrase.Count == 0)
                        throw new QuerySyntaxException($"The phrase at position {t.Position + 1} has no words in it.");
                    return new PhraseNode(tokensOfPhrase, t.Prefix);
                }
                case Kind.Word:
                {
                    var node = TermFromWord(t.Text, allowPrefix: true, t.Position);
                    // A word that is only punctuation ("&", "--") carries nothing to search for.
                    return node;
                }
                case Kind.Field:
                    return ParseField(t, depth, field, topLevel);
                default:
                    throw t.Kind == Kind.Close
                        ? new QuerySyntaxException($"The ')' at position {t.Position + 1} has no matching '('. Remove it or add a '(' before it.")
                        : new QuerySyntaxException($"'{t.Text}' at position {t.Position + 1} needs a word on each side.");
            }
        }

        private Node? ParseField(Token t, int depth, string? field, bool topLevel)
        {
            if (FilterFields.Contains(t.Text))
            {
                if (!topLevel)
                    throw new QuerySyntaxException($"'{t.Text}:' at position {t.Position + 1} is a filter: it always narrows the whole search, so it cannot be inside parentheses, OR or NOT.");
                if (Peek is not { Kind: Kind.Word } value)
                    throw new QuerySyntaxException($"'{t.Text}:' at position {t.Position + 1} needs a value, e.g. {t.Text}:{Example(t.Text)}.");
                _pos++;
                ApplyFilter(t.Text, value.Text);
                return null;
            }
            if (field is not null)
                throw new QuerySyntaxException($"'{t.Text}:' at position {t.Position + 1} is inside another field; a word can be limited to one field only.");
            var column = TextFields[t.Text];
            if (Peek is null)
                throw new QuerySyntaxException($"'{t.Text}:' at position {t.Position + 1} needs a value, e.g. {t.Text}:{Example(t.Text)}.");
            var inner = ParsePrimary(depth, column, topLevel: false)
                ?? throw new QuerySyntaxException($"'{t.Text}:' at position {t.Position + 1} needs a word to search for.");
            return Wrap(column, inner);
        }

        /// <summary>title:(-x) means "x not in the title": the NOT stays outside the field so its AND can render it.</summary>
        private static Node Wrap(string field, Node node) =>
            node is NotNode not ? new NotNode(new FieldNode(field, not.Inner)) : new FieldNode(field, node);

        private void ApplyFilter(string name, string value)
        {
            switch (name)
            {
                case "after":
                    Filters.After = ParseDay(name, value, end: false);
                    break;
                case "before":
                    Filters.Before = ParseDay(name, value, end: false);
                    break;
                case "topic":
                    Filters.Topics.Add(value.Trim().ToLowerInvariant());
                    break;
                default:
                    foreach (var k in value.Split('|', ',')) Filters.Kinds.Add(k);
                    break;
            }
        }
    }

    /// <summary>2026-01-15, 2026-01 (its first day) or 2026 (January 1st).</summary>
    public static DateOnly ParseDay(string name, string value, bool end)
    {
        _ = end;
        string[] formats = ["yyyy-MM-dd", "yyyy-MM", "yyyy"];
        if (DateTime.TryParseExact(value, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= 1990)
            return DateOnly.FromDateTime(date);
        throw new QuerySyntaxException($"{name}: expects a date such as 2026-01-15, 2026-01 or 2026, not '{value}'.");
    }

    /// <summary>A word as FTS5 will see it: its letter/digit runs. One run is a term; several are a phrase (state-of-the-art).</summary>
    private static Node? TermFromWord(string word, bool allowPrefix, int position = 0)
    {
        var prefix = allowPrefix && word.EndsWith('*');
        var body = prefix ? word.TrimEnd('*') : word;
        var parts = Tokenize(body);
        if (parts.Count == 0)
        {
            if (prefix) throw new QuerySyntaxException($"'*' at position {position + 1} must follow at least two letters, e.g. optim*.");
            return null;
        }
        if (prefix && parts[^1].Length < 2)
            throw new QuerySyntaxException($"The prefix '{word}' at position {position + 1} is too short: give at least two letters before '*'.");
        return parts.Count == 1 ? new TermNode(parts[0], prefix) : new PhraseNode(parts, prefix);
    }

    /// <summary>Splits like FTS5's unicode61 tokenizer: letters and digits make tokens, everything else separates.</summary>
    public static List<string> Tokenize(string text)
    {
        var list = new List<string>();
        var sb = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var isTokenChar = Rune.IsLetterOrDigit(rune) || category is UnicodeCategory.OtherNumber or UnicodeCategory.LetterNumber or UnicodeCategory.PrivateUse or UnicodeCategory.NonSpacingMark;
            if (isTokenChar)
            {
                sb.Append(rune.ToString().ToLowerInvariant());
            }
            else if (sb.Length > 0)
            {
                list.Add(sb.ToString());
                sb.Clear();
            }
        }
        if (sb.Length > 0) list.Add(sb.ToString());
        return list;
    }

    // ---- the tree -------------------------------------------------------------------------------------------

    private abstract class Node
    {
        public virtual bool HasPositive => true;

        public abstract string ToFts();

        /// <summary>The words and phrases that can make the query match through the title (not excluded, not limited to another field).</summary>
        public virtual void CollectTitleLeaves(List<string> leaves) => leaves.Add(ToFts());

        /// <summary>The phrases bm25 sums over that can match (not the excluded ones), each with its column filter.</summary>
        public virtual void CollectPhrases(List<string> phrases, string? field) =>
            phrases.Add(field is null ? ToFts() : $"{field} : ({ToFts()})");

        protected static string Quote(string token) => "\"" + token.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private sealed class TermNode(string token, bool prefix) : Node
    {
        public override string ToFts() => Quote(token) + (prefix ? "*" : "");
    }

    private sealed class PhraseNode(List<string> tokens, bool prefix) : Node
    {
        public override string ToFts() => Quote(string.Join(' ', tokens)) + (prefix ? "*" : "");
    }

    private sealed class FieldNode(string column, Node inner) : Node
    {
        public override bool HasPositive => inner.HasPositive;

        public override string ToFts() => $"{column} : ({inner.ToFts()})";

        public override void CollectTitleLeaves(List<string> leaves)
        {
            if (column == "title") leaves.Add(inner.ToFts());
        }

        public override void CollectPhrases(List<string> phrases, string? field) => inner.CollectPhrases(phrases, column);
    }

    private sealed class NotNode(Node inner) : Node
    {
        public Node Inner => inner;

        public override bool HasPositive => false;

        public override string ToFts() => throw new InvalidOperationException("NOT is rendered by its AND.");

        public override void CollectTitleLeaves(List<string> leaves)
        {
        }

        public override void CollectPhrases(List<string> phrases, string? field)
        {
        }
    }

    private sealed class AndNode(List<Node> parts) : Node
    {
        public override bool HasPositive => parts.Any(p => p.HasPositive);

        public override void CollectTitleLeaves(List<string> leaves)
        {
            foreach (var part in parts) part.CollectTitleLeaves(leaves);
        }

        public override void CollectPhrases(List<string> phrases, string? field)
        {
            foreach (var part in parts) part.CollectPhrases(phrases, field);
        }

        public override string ToFts()
        {
            var positives = parts.Where(p => p is not NotNode).Select(p => p.ToFts()).ToList();
            var negatives = parts.OfType<NotNode>().Select(n => n.Inner.ToFts()).ToList();
            if (positives.Count == 0)
                throw new QuerySyntaxException("A group only excludes words (NOT or -). Add a word to search for.");
            var positive = positives.Count == 1 ? positives[0] : "(" + string.Join(" AND ", positives) + ")";
            return negatives.Count == 0 ? positive : $"({positive} NOT ({string.Join(" OR ", negatives)}))";
        }
    }

    private sealed class OrNode(List<Node> branches) : Node
    {
        public override string ToFts() => "(" + string.Join(" OR ", branches.Select(b => b.ToFts())) + ")";

        public override void CollectTitleLeaves(List<string> leaves)
        {
            foreach (var branch in branches) branch.CollectTitleLeaves(leaves);
        }

        public override void CollectPhrases(List<string> phrases, string? field)
        {
            foreach (var branch in branches) branch.CollectPhrases(phrases, field);
        }
    }
}

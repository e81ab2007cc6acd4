using System.Globalization;
using System.Text;

namespace HotTopics.Classification;

/// <summary>
/// Turns a title and abstract into the tokens the featurizer counts: lower-case, LaTeX commands and <c>$...$</c> math
/// removed, diacritics folded (<c>é</c> → <c>e</c>), words of at least two letters or digits.
/// </summary>
internal static class TextNormalizer
{
    /// <summary>A stray <c>$</c> must not swallow the rest of an abstract: math longer than this is not math.</summary>
    private const int MaxMathLength = 300;

    // The app runs with invariant globalization, where string.Normalize does not decompose: fold Latin letters
    // with diacritics through a table instead (generated from Unicode's decompositions of U+00C0..U+024F).
    private const string Accented = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳØøĐđŁłĦħı";
    private const string Folded = "aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzsoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyooddllhhi";
    private static readonly char[] FoldTable = BuildFoldTable();

    private static char[] BuildFoldTable()
    {
        var table = new char[0x250];
        for (var c = 0; c < table.Length; c++) table[c] = char.ToLowerInvariant((char)c);
        for (var i = 0; i < Accented.Length; i++) table[Accented[i]] = Folded[i];
        return table;
    }

    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '$')
            {
                var close = text.IndexOf('$', i + 1);
                if (close == i + 1) close = text.IndexOf("$$", i + 2, StringComparison.Ordinal) is var d and >= 0 ? d + 1 : -1;
                if (close > 0 && close - i <= MaxMathLength)
                {
                    i = close;
                    sb.Append(' ');
                }
                continue;
            }
            if (c == '\\')
            {
                // \command: drop the command word, keep its {argument}; \% \& \_ and the like: keep the character.
                var j = i + 1;
                while (j < text.Length && char.IsAsciiLetter(text[j])) j++;
                if (j == i + 1 && j < text.Length && !char.IsLetterOrDigit(text[j])) j++;
                i = j - 1;
                sb.Append(' ');
                continue;
            }
            switch (c)
            {
                case 'ß': sb.Append("ss"); continue;
                case 'æ' or 'Æ': sb.Append("ae"); continue;
                case 'œ' or 'Œ': sb.Append("oe"); continue;
            }
            if (c < FoldTable.Length)
            {
                sb.Append(char.IsWhiteSpace(c) ? ' ' : FoldTable[c]);
                continue;
            }
            // Combining marks (text that arrives already decomposed) fold away with the letter they sit on.
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) continue;
            sb.Append(char.IsWhiteSpace(c) ? ' ' : char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>Words of at least two letters or digits, in order (one-letter words carry no topic).</summary>
    public static List<string> Tokenize(string text)
    {
        var normalized = Normalize(text);
        var tokens = new List<string>(normalized.Length / 6);
        var start = -1;
        for (var i = 0; i <= normalized.Length; i++)
        {
            var word = i < normalized.Length && char.IsLetterOrDigit(normalized[i]);
            if (word && start < 0) start = i;
            else if (!word && start >= 0)
            {
                if (i - start >= 2) tokens.Add(normalized[start..i]);
                start = -1;
            }
        }
        return tokens;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace HotTopics.Harvesting.Feeds;

/// <summary>
/// Dates as feeds write them: RFC 822 (with the usual mistakes: no weekday, two-digit years, single-digit hours,
/// full month names, named or missing zones), ISO 8601 / W3C-DTF (partial dates, no separators, a space for T),
/// asctime, and anything .NET's invariant parser understands. A date that cannot be read is null, never an error.
/// </summary>
public static partial class FeedDates
{
    [GeneratedRegex(@"^(?<y>\d{4})(?:-?(?<mo>\d{2})(?:-?(?<d>\d{2}))?)?(?:(?:T|\s+)(?<h>\d{1,2})(?::?(?<mi>\d{2})(?::?(?<s>\d{2})(?:[.,](?<f>\d+))?)?)?)?\s*(?<z>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Iso();

    [GeneratedRegex(@"^(?:[A-Za-z]{2,}\.?,?\s*)?(?<d>\d{1,2})(?:st|nd|rd|th)?[\s\-]+(?<mo>[A-Za-z]{3,})\.?,?[\s\-]+(?<y>\d{2,4})(?:,?\s+(?:at\s+)?(?<h>\d{1,2}):(?<mi>\d{1,2})(?::(?<s>\d{1,2})(?:\.\d+)?)?\s*(?<ampm>[AaPp][Mm])?)?\s*(?<z>[A-Za-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{1,2}:?\d{2})?(?:\s*\(.*\))?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc822();

    // asctime and its cousins: "Sun Jan  4 16:29:06 PST 2004", "Mon Jan 12 2004 10:00:00 GMT+0100".
    [GeneratedRegex(@"^(?:[A-Za-z]{3,},?\s+)?(?<mo>[A-Za-z]{3,})\.?\s+(?<d>\d{1,2}),?\s+(?:(?<y>\d{4})\s+)?(?<h>\d{1,2}):(?<mi>\d{2})(?::(?<s>\d{2}))?\s*(?<z>[A-Za-z]{1,5}(?:[+-]\d{2}:?\d{2})?|[+-]\d{2}:?\d{2})?\s*(?<y2>\d{4})?", RegexOptions.CultureInvariant)]
    private static partial Regex AscTime();

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var value = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (value.Length > 100) return null;
        var m = Iso().Match(value);
        if (m.Success) return FromIso(m);
        m = Rfc822().Match(value);
        if (m.Success) return FromParts(m, m.Groups["y"].Value);
        m = AscTime().Match(value);
        if (m.Success) return FromParts(m, m.Groups["y"].Success ? m.Groups["y"].Value : m.Groups["y2"].Value);
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && parsed.Year > 1
            ? parsed.ToUniversalTime()
            : null;
    }

    private static DateTimeOffset? FromIso(Match m)
    {
        var year = Int(m, "y") ?? 0;
        var month = Int(m, "mo") ?? 1;
        var day = Int(m, "d") ?? 1;
        var hour = Int(m, "h") ?? 0;
        var minute = Int(m, "mi") ?? 0;
        var second = Int(m, "s") ?? 0;
        var fraction = m.Groups["f"].Success ? double.Parse("0." + m.Groups["f"].Value, CultureInfo.InvariantCulture) : 0;
        var offset = Zone(m.Groups["z"].Value);
        return Build(year, month, day, hour, minute, second, offset, fraction);
    }

    private static DateTimeOffset? FromParts(Match m, string yearText)
    {
        if (yearText.Length == 0) return null;
        var year = int.Parse(yearText, CultureInfo.InvariantCulture);
        if (yearText.Length == 2) year += year < 70 ? 2000 : 1900;
        else if (yearText.Length == 3) year += 1900; // "104" from a broken strftime: years since 1900
        var monthName = m.Groups["mo"].Value.ToLowerInvariant();
        var month = Array.FindIndex(Months, p => monthName.StartsWith(p, StringComparison.Ordinal)) + 1;
        if (month == 0) return null;
        var hour = Int(m, "h") ?? 0;
        if (m.Groups["ampm"].Success)
        {
            var pm = m.Groups["ampm"].Value.Equals("pm", StringComparison.OrdinalIgnoreCase);
            if (hour == 12) hour = pm ? 12 : 0;
            else if (pm) hour += 12;
        }
        return Build(year, month, Int(m, "d") ?? 1, hour, Int(m, "mi") ?? 0, Int(m, "s") ?? 0, Zone(m.Groups["z"].Value), 0);
    }

    private static DateTimeOffset? Build(int year, int month, int day, int hour, int minute, int second, TimeSpan offset, double fraction)
    {
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return null;
        if (hour > 24 || minute > 59 || second > 60) return null;
        var extra = TimeSpan.Zero;
        if (hour == 24) { hour = 0; extra = TimeSpan.FromDays(1); }
        if (second == 60) { second = 59; extra += TimeSpan.FromSeconds(1); }
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Add(extra).AddTicks((long)(fraction * TimeSpan.TicksPerSecond));
        var utc = local - offset;
        if (utc.Year is < 1 or > 9999) return null;
        return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Unspecified), TimeSpan.Zero);
    }

    private static int? Int(Match m, string group) =>
        m.Groups[group].Success && m.Groups[group].Value.Length > 0 ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : null;

    /// <summary>A zone as written: Z, UT/GMT, US names, military letters, +hhmm, +hh:mm, GMT+hh:mm; unknown names are UTC.</summary>
    private static TimeSpan Zone(string zone)
    {
        if (zone.Length == 0) return TimeSpan.Zero;
        var sign = zone.IndexOfAny(['+', '-']);
        if (sign >= 0)
        {
            var digits = zone[(sign + 1)..].Replace(":", "", StringComparison.Ordinal);
            if (digits.Length is 1 or 2) digits = digits.PadLeft(2, '0') + "00";
            if (digits.Length == 3) digits = "0" + digits;
            if (digits.Length != 4 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var hhmm)) return TimeSpan.Zero;
            var span = new TimeSpan(hhmm / 100, hhmm % 100, 0);
            if (span > TimeSpan.FromHours(14)) return TimeSpan.Zero;
            return zone[sign] == '-' ? -span : span;
        }
        return zone.ToUpperInvariant() switch
        {
            "EST" => TimeSpan.FromHours(-5),
            "EDT" => TimeSpan.FromHours(-4),
            "CST" => TimeSpan.FromHours(-6),
            "CDT" => TimeSpan.FromHours(-5),
            "MST" => TimeSpan.FromHours(-7),
            "MDT" => TimeSpan.FromHours(-6),
            "PST" => TimeSpan.FromHours(-8),
            "PDT" => TimeSpan.FromHours(-7),
            "CET" => TimeSpan.FromHours(1),
            "CEST" => TimeSpan.FromHours(2),
            "BST" => TimeSpan.FromHours(1),
            "IST" => new TimeSpan(5, 30, 0),
            "JST" => TimeSpan.FromHours(9),
            "AEST" => TimeSpan.FromHours(10),
            "ET" => TimeSpan.FromHours(-5),
            "PT" => TimeSpan.FromHours(-8),
            // Military zones (RFC 822): A-I = +1..+9, K-M = +10..+12, N-Y = -1..-12, Z = 0 (J is unused).
            [var c] when c is >= 'A' and <= 'I' => TimeSpan.FromHours(c - 'A' + 1),
            [var c] when c is >= 'K' and <= 'M' => TimeSpan.FromHours(c - 'K' + 10),
            [var c] when c is >= 'N' and <= 'Y' => TimeSpan.FromHours(-(c - 'N' + 1)),
            _ => TimeSpan.Zero,
        };
    }
}

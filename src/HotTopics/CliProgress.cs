using System.Diagnostics;
using System.Globalization;

namespace HotTopics;

/// <summary>One self-rewriting status line (count, rate, ETA) on a terminal; silent when output is redirected.</summary>
public sealed class CliProgress(TextWriter writer, string label) : IDisposable
{
    private readonly bool _enabled = ReferenceEquals(writer, Console.Error) ? !Console.IsErrorRedirected : false;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDraw;
    private bool _drawn;

    /// <param name="done">items so far</param>
    /// <param name="fraction">how much of the input is read (0..1), NaN when unknown</param>
    public void Report(long done, double fraction)
    {
        if (!_enabled) return;
        var now = _clock.ElapsedMilliseconds;
        if (now - _lastDraw < 250 && fraction < 1) return;
        _lastDraw = now;
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        var rate = done / seconds;
        var eta = fraction is > 0 and < 1 && !double.IsNaN(fraction)
            ? TimeSpan.FromSeconds(seconds * (1 - fraction) / fraction).ToString(@"m\:ss", CultureInfo.InvariantCulture)
            : "?";
        var pct = double.IsNaN(fraction) ? "" : string.Create(CultureInfo.InvariantCulture, $" {fraction:P0}");
        writer.Write(string.Create(CultureInfo.InvariantCulture, $"\r{label}: {done:N0} items, {rate:N0}/s{pct}, ETA {eta}   "));
        _drawn = true;
    }

    public void Clear()
    {
        if (!_drawn) return;
        writer.Write("\r" + new string(' ', 79) + "\r");
        _drawn = false;
    }

    public void Dispose() => Clear();
}

using System.Globalization;

namespace HotTopics;

/// <summary>A command-line verb: its name, a one-line synopsis, the text of <c>VERB --help</c>, and what it runs.</summary>
internal sealed record CliVerb(string Name, string Synopsis, string Help, Func<IHost, string[], TextWriter, TextWriter, Task<int>> Run);

/// <summary>Thrown by a verb for wrong usage: the CLI prints the message and the verb's synopsis and exits 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);

/// <summary>The argument conventions every verb shares: <c>--name value</c> options, flags, positionals.</summary>
internal static class CliArgs
{
    public static string Option(string[] args, string name, string? fallback = null)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0) return fallback!;
        if (i + 1 >= args.Length) throw new CliUsageException($"{name} needs a value.");
        return args[i + 1];
    }

    public static int IntOption(string[] args, string name, int fallback)
    {
        var text = Option(args, name, null);
        if (text is null) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new CliUsageException($"{name} must be a positive whole number, not '{text}'.");
    }

    public static bool Flag(string[] args, string name) => args.Contains(name);

    /// <summary>The arguments that are neither options nor the values of <paramref name="optionsWithValue"/>.</summary>
    public static List<string> Positionals(string[] args, params string[] optionsWithValue)
    {
        var list = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (optionsWithValue.Contains(args[i])) { i++; continue; }
            if (args[i].StartsWith("--", StringComparison.Ordinal)) continue;
            list.Add(args[i]);
        }
        return list;
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using PaddleNet.IO;

namespace PaddleNet.Cli;

/// <summary>
/// On Windows, checks every file or folder the command line names before anything opens it: <c>-c CON</c> would
/// otherwise read the console (and wait), <c>--output-dir a?b</c> would fail deep in I/O with "syntax is incorrect".
/// See <see cref="WindowsPath"/>.
/// </summary>
internal static class PathArguments
{
    /// <summary>Options whose values are paths, in every command that has them.</summary>
    private static readonly HashSet<string> PathOptions = new(StringComparer.Ordinal)
    {
        "--config", "--image", "--image-dir", "--output-dir", "--list", "--root", "--params", "--out",
    };

    /// <summary>Positional arguments that are paths.</summary>
    private static readonly HashSet<string> PathArgumentNames = new(StringComparer.Ordinal) { "model", "folder" };

    /// <summary>Throws <see cref="InvalidWindowsPathException"/> for the first path Windows cannot open; Windows only.</summary>
    public static void CheckOnWindows(ParseResult parse)
    {
        if (OperatingSystem.IsWindows())
        {
            foreach (string path in Paths(parse))
            {
                WindowsPath.ThrowIfInvalid(path);
            }
        }
    }

    /// <summary>The paths given on the command line, in order (<c>--input NAME=FILE</c> contributes FILE).</summary>
    public static IEnumerable<string> Paths(ParseResult parse)
    {
        foreach (SymbolResult child in parse.CommandResult.Children)
        {
            switch (child)
            {
                case OptionResult o when PathOptions.Contains(o.Option.Name):
                    foreach (Token t in o.Tokens)
                    {
                        yield return t.Value;
                    }

                    break;
                case OptionResult o when o.Option.Name == "--input":
                    foreach (Token t in o.Tokens)
                    {
                        int eq = t.Value.IndexOf('=', StringComparison.Ordinal);
                        yield return eq < 0 ? t.Value : t.Value[(eq + 1)..];
                    }

                    break;
                case ArgumentResult a when PathArgumentNames.Contains(a.Argument.Name):
                    foreach (Token t in a.Tokens)
                    {
                        yield return t.Value;
                    }

                    break;
            }
        }
    }
}

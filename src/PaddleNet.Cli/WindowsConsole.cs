using System.Text;

namespace PaddleNet.Cli;

/// <summary>
/// Console settings that make Windows output the same bytes as Linux output.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>UTF-8 without BOM: Chinese label names print as themselves, in a console window and in a redirected file
/// alike (Windows' default is the OEM code page, which turns them into '?'). In a console window this is what
/// <c>chcp 65001</c> does; the previous code page is restored on exit.</item>
/// <item>Line ends are LF, on Windows too: every line PaddleNet prints is byte-identical to Linux, so one golden file
/// serves both, and PowerShell, cmd and Notepad read LF. (Python's PaddleClas on Windows would write CRLF; compare
/// against it ignoring CR.)</item>
/// </list>
/// </remarks>
internal static class WindowsConsole
{
    /// <summary>Applies the settings on Windows; dispose to restore the console's code page. No-op elsewhere.</summary>
    public static IDisposable Configure()
    {
        if (!OperatingSystem.IsWindows())
        {
            return NoOp.Instance;
        }

        Encoding? previous = null;
        try
        {
            previous = Console.OutputEncoding;
            Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        }
        catch (IOException)
        {
            // No console attached (a service, a detached process): output is a pipe or file, written as set below.
            Console.SetOut(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true });
            Console.SetError(new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true });
        }

        Console.Out.NewLine = "\n";
        Console.Error.NewLine = "\n";
        return new Restore(previous);
    }

    private sealed class NoOp : IDisposable
    {
        public static readonly NoOp Instance = new();

        public void Dispose()
        {
        }
    }

    private sealed class Restore(Encoding? previous) : IDisposable
    {
        public void Dispose()
        {
            Console.Out.Flush();
            Console.Error.Flush();
            if (previous is not null && !Console.IsOutputRedirected)
            {
                try
                {
                    Console.OutputEncoding = previous;
                }
                catch (IOException)
                {
                    // The console went away; nothing to restore.
                }
            }
        }
    }
}

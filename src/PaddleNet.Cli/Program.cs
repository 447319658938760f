using System.CommandLine;
using PaddleNet.Cli.Commands;

namespace PaddleNet.Cli;

/// <summary>The <c>paddlenet</c> command. Exit codes: 0 success, 1 user error (bad input, bad model), 2 internal error.</summary>
public static class Program
{
    /// <summary>Exit code of a command that did what it was asked.</summary>
    public const int Ok = 0;
    /// <summary>Exit code for a mistake in the input (bad argument, missing or malformed file, unsupported model): the message says which.</summary>
    public const int UserError = 1;
    /// <summary>Exit code for a failure that is a bug in PaddleNet, not in the input.</summary>
    public const int InternalError = 2;

    /// <summary>The <c>paddlenet</c> command; returns its exit code.</summary>
    public static int Main(string[] args)
    {
        using var console = WindowsConsole.Configure();
        return Run(args, Console.Out, Console.Error);
    }

    /// <summary>Runs the command line <paramref name="args"/> writing to the given streams instead of the console; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("PaddleNet: run PaddlePaddle vision models from .NET")
        {
            InspectCommand.Create(stdout),
            RunCommand.Create(stdout, stderr),
            BenchCommand.Create(stdout, stderr),
            PredictCommand.Create(stdout, stderr),
            EvalCommand.Create(stdout, stderr),
            DatasetCommand.Create(stdout),
            DetectCommand.Create(stdout),
            ServeCommand.Create(stdout),
            OcrCommand.Create(stdout),
            CheckCommand.Create(stdout),
            OpsCommand.Create(stdout),
            ClasSystemCommand.Create(stdout, stderr),
        };
        if (SyntheticWeightsOption.Refuses(args, stderr)) return UserError;
        try
        {
            // No @response files: Paddle names can start with '@' (PaddleHub exports: --shape @HUB_…@image=1x3x240x320).
            var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            PathArguments.CheckOnWindows(parse);
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (PaddleNetException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return UserError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return UserError;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"internal error: {e}");
            return InternalError;
        }
    }
}

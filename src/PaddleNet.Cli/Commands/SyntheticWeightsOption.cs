using System.CommandLine;

namespace PaddleNet.Cli.Commands;

/// <summary>
/// <c>--synthetic-weights [SEED]</c> for the commands that only measure or exercise an architecture (run, bench,
/// check): one line to add it to a command (<see cref="Create"/>), one to read it (<see cref="Get"/>), one to
/// report it (<see cref="Report(PaddleModel, TextWriter, TextWriter)"/>). Commands whose output a user would take as a real answer refuse it.
/// </summary>
internal static class SyntheticWeightsOption
{
    public const string Name = "--synthetic-weights";

    /// <summary>Commands that print predictions: synthetic weights would make them lie.</summary>
    private static readonly string[] Refusing = ["predict", "detect", "serve", "eval"];

    public static Option<int?> Create() => new(Name)
    {
        Description = "Run on seeded synthetic weights of the declared shapes (program-only files too); outputs are meaningless. Optional seed (default 0)",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>Null when the option is absent; seed 0 when it is given without a value.</summary>
    public static SyntheticWeightOptions? Get(ParseResult result, Option<int?> option) =>
        result.GetResult(option) is { Implicit: false } ? new SyntheticWeightOptions { Seed = result.GetValue(option) ?? 0 } : null;

    /// <summary>Says the weights are synthetic (stdout, with the results) and, when they replaced real ones, which are used (stderr).</summary>
    public static void Report(InferenceSession session, TextWriter stdout, TextWriter stderr) => Report(session.Model, stdout, stderr);

    public static void Report(PaddleModel model, TextWriter stdout, TextWriter stderr)
    {
        if (model.Synthetic is not { } s) return;
        if (model.ReplacedWeights)
        {
            stderr.WriteLine($"note: {model.Source ?? "the model"} has its own weights; using synthetic weights instead, as {Name} asks");
        }
        stdout.WriteLine($"weights: synthetic (seed {s.Seed}); outputs are meaningless");
    }

    /// <summary>True (after printing why) when a predicting command was given the option.</summary>
    public static bool Refuses(string[] args, TextWriter stderr)
    {
        if (args.Length == 0 || !Refusing.Contains(args[0])) return false;
        if (!args.Any(a => a == Name || a.StartsWith(Name + "=", StringComparison.Ordinal))) return false;
        stderr.WriteLine($"error: {args[0]} prints predictions, so it refuses {Name} (they would be meaningless); use run, bench or check to try an architecture on synthetic weights");
        return true;
    }
}

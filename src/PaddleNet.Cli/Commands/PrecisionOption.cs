using System.CommandLine;

namespace PaddleNet.Cli.Commands;

/// <summary>
/// <c>--precision fp32|bf16</c> on bench, run, predict and serve: one line to add it (<see cref="Create"/>), one to read it
/// (<see cref="Get"/>), which refuses a precision this machine cannot run before any model is loaded.
/// </summary>
internal static class PrecisionOption
{
    public static Option<Precision> Create() => new("--precision")
    {
        Description = "Arithmetic of the heavy operators: fp32 (default) or bf16 (needs a CPU with AVX512_BF16; refused with the reason otherwise)",
        DefaultValueFactory = _ => Precision.Fp32,
        CustomParser = r =>
        {
            string v = r.Tokens.Count == 1 ? r.Tokens[0].Value.ToLowerInvariant() : "";
            if (v == "fp32") return Precision.Fp32;
            if (v == "bf16") return Precision.Bf16;
            r.AddError($"--precision: expected fp32 or bf16, got '{string.Join(" ", r.Tokens.Select(t => t.Value))}'");
            return Precision.Fp32;
        },
    };

    /// <summary>The precision asked for, after checking that this machine can run it (<see cref="UnsupportedPrecisionException"/> otherwise).</summary>
    public static Precision Get(ParseResult result, Option<Precision> option)
    {
        var precision = result.GetValue(option);
        InferenceSession.EnsureSupported(precision);
        return precision;
    }
}

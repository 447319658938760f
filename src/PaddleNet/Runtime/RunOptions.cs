using PaddleNet.Runtime;

namespace PaddleNet;

/// <summary>Settings of one <see cref="InferenceSession"/> run (the session's own settings are in <see cref="SessionOptions"/>).</summary>
public sealed class RunOptions
{
    /// <summary>
    /// Checked before each operator: a cancelled run stops between operators with
    /// <see cref="OperationCanceledException"/> (an operator already started finishes first).
    /// </summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>When set, each operator's elapsed time is added to it, by operator type.</summary>
    public RunProfile? Profile { get; init; }
}

/// <summary>Elapsed time per operator type, summed over the runs it was passed to (not thread-safe: one per run or per thread).</summary>
public sealed class RunProfile
{
    private readonly Dictionary<string, OperatorTiming> _operators = new(StringComparer.Ordinal);

    /// <summary>Operator type → its timings.</summary>
    public IReadOnlyDictionary<string, OperatorTiming> Operators => _operators;

    /// <summary>Operator type → total milliseconds.</summary>
    public IReadOnlyDictionary<string, double> Milliseconds => _operators.ToDictionary(kv => kv.Key, kv => kv.Value.Milliseconds, StringComparer.Ordinal);

    /// <summary>Number of runs that added to this profile.</summary>
    public int Runs { get; private set; }

    internal void CountRun() => Runs++;

    /// <summary>Diagnostics (benchmarks): also called with each step's time, for per-layer figures.</summary>
    internal Action<PlanStep, RunContext, double>? OnStep { get; init; }

    internal void Add(PlanStep step, RunContext ctx, double milliseconds)
    {
        OnStep?.Invoke(step, ctx, milliseconds);
        if (!_operators.TryGetValue(step.OpType, out var t)) _operators[step.OpType] = t = new OperatorTiming();
        t.Milliseconds += milliseconds;
        t.Calls++;
        double flops = step.Kernel.Flops(ctx);
        t.Flops += flops;
        if (flops == 0)
        {
            // Memory-bound: bytes of every value read and written once.
            foreach (var id in step.Reads.Concat(step.Writes))
            {
                if (ctx.IsDefined(id)) t.Bytes += ctx.ElementCount(id) * ctx.Type(id).SizeOf();
            }
        }
    }
}

/// <summary>One operator type's share of a <see cref="RunProfile"/>.</summary>
public sealed class OperatorTiming
{
    /// <summary>Total elapsed milliseconds.</summary>
    public double Milliseconds { get; internal set; }

    /// <summary>Number of operators of this type executed.</summary>
    public long Calls { get; internal set; }

    /// <summary>Floating-point operations counted by compute-bound kernels (0 for the rest).</summary>
    public double Flops { get; internal set; }

    /// <summary>Bytes read and written by memory-bound kernels (each value once).</summary>
    public double Bytes { get; internal set; }

    /// <summary>GFLOP/s for compute-bound ops, GB/s for the rest, over the measured time.</summary>
    public string Rate => Milliseconds <= 0 ? "" : Flops > 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Flops / Milliseconds / 1e6,8:0.0} GFLOP/s")
        : Bytes > 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Bytes / Milliseconds / 1e6,8:0.0} GB/s") : "";
}

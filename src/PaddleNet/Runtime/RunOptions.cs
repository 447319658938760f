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
    private readonly Dictionary<string, double> _milliseconds = new(StringComparer.Ordinal);

    /// <summary>Operator type → total milliseconds.</summary>
    public IReadOnlyDictionary<string, double> Milliseconds => _milliseconds;

    /// <summary>Number of runs that added to this profile.</summary>
    public int Runs { get; private set; }

    internal void Add(string opType, double milliseconds) =>
        _milliseconds[opType] = _milliseconds.GetValueOrDefault(opType) + milliseconds;

    internal void CountRun() => Runs++;
}

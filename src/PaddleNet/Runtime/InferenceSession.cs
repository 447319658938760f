using PaddleNet.Runtime;

namespace PaddleNet;

/// <summary>Options for an <see cref="InferenceSession"/>.</summary>
public sealed class SessionOptions
{
    /// <summary>Threads one run may use (the calling thread included). Default: 1.</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Apply load-time graph rewrites (identity removal, batch-norm folding). Default: true.</summary>
    public bool OptimizeGraph { get; init; } = true;

    /// <summary>
    /// Run on synthetic weights instead of the model's own (or where it has none): see
    /// <see cref="PaddleModel.WithSyntheticWeights"/>. Null (default): the model's weights.
    /// </summary>
    public SyntheticWeightOptions? SyntheticWeights { get; init; }

    /// <summary>
    /// Most passes one <c>while</c> op may make in one run; a loop still running after that many stops
    /// with a <see cref="PaddleNetException"/> naming the op. Default: 100,000.
    /// </summary>
    public int MaxLoopIterations { get; init; } = ExecutionPlan.DefaultMaxLoopIterations;

    /// <summary>
    /// Arithmetic of the heavy operators. Default: <see cref="PaddleNet.Precision.Fp32"/>. A precision this machine cannot
    /// run makes the session constructor throw <see cref="UnsupportedPrecisionException"/> (naming what is missing).
    /// </summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>
    /// Most bytes the computed values of one run may hold (buffers are reused between runs; constants and inputs are not
    /// counted). A run that would need more stops with a <see cref="ShapeMismatchException"/> naming the operator and
    /// the value, before anything is allocated: a hostile or mistaken model (absurd shapes) is refused instead of
    /// exhausting the machine. Default: 4 GiB, far above the bench classifiers (tens of MB per image) and a batch of 64.
    /// </summary>
    public long MaxRunMemoryBytes { get; init; } = DefaultMaxRunMemoryBytes;

    /// <summary>Default of <see cref="MaxRunMemoryBytes"/>: 4 GiB.</summary>
    public const long DefaultMaxRunMemoryBytes = 4L << 30;
}

/// <summary>
/// A loaded model ready to run. Immutable after construction: weights and the plan are shared,
/// and <see cref="Run(IReadOnlyDictionary{string, Tensor})"/> may be called from many threads at once
/// (each run rents its own per-run buffers).
/// <code>
/// using var session = new InferenceSession("models/PPLCNet_x0_25");
/// var x = Tensor.FromSpan&lt;float&gt;(pixels, [1, 3, 224, 224]);
/// var scores = session.Run(new Dictionary&lt;string, Tensor&gt; { ["x"] = x })[0].AsSpan&lt;float&gt;();
/// </code>
/// </summary>
public sealed class InferenceSession : IDisposable
{
    private readonly ExecutionPlan _plan;
    private readonly IntraOpPool _pool;
    // Idle run contexts. A fixed set of slots claimed with Interlocked.Exchange: renting and returning take no
    // lock and allocate nothing (ConcurrentBag locks its per-thread queue to take its last item); a context
    // returned when every slot is full is dropped.
    private readonly RunContext?[] _idle = new RunContext?[Math.Max(4, Environment.ProcessorCount)];
    private readonly IntraOpPool.Owner _poolOwner;
    private bool _disposed;

    /// <summary>Loads the model at <paramref name="modelPath"/> (a folder or a model file) and plans it.</summary>
    /// <exception cref="UnsupportedPrecisionException"><see cref="SessionOptions.Precision"/> cannot run on this machine (checked before loading).</exception>
    public InferenceSession(string modelPath, SessionOptions? options = null)
        : this(PaddleModel.Load(CheckPrecision(modelPath, options)), options)
    {
    }

    /// <summary>Throws <see cref="UnsupportedPrecisionException"/> when <paramref name="precision"/> cannot run on this machine (for callers that check before loading anything).</summary>
    public static void EnsureSupported(Precision precision) => PrecisionSupport.Require(precision);

    private static string CheckPrecision(string modelPath, SessionOptions? options)
    {
        PrecisionSupport.Require(options?.Precision ?? Precision.Fp32);
        return modelPath;
    }

    /// <summary>Plans an already loaded <paramref name="model"/>.</summary>
    public InferenceSession(PaddleModel model, SessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Options = options ?? new SessionOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxRunMemoryBytes, "options.MaxRunMemoryBytes");
        PrecisionSupport.Require(Options.Precision);
        if (Options.SyntheticWeights is { } synthetic) model = model.WithSyntheticWeights(synthetic);
        Model = model;
        _plan = ExecutionPlan.Build(model, Options.OptimizeGraph, Options.MaxLoopIterations);
        _poolOwner = new IntraOpPool.Owner(Options.IntraOpThreads);
        _pool = _poolOwner.Pool;
        Inputs = _plan.Inputs.Select(i => i.Info).ToArray();
        Outputs = _plan.Outputs.Select(o => o.Info).ToArray();
    }

    /// <summary>The model it runs (with synthetic weights, when the options asked for them).</summary>
    public PaddleModel Model { get; }

    /// <summary>The options it was built with.</summary>
    public SessionOptions Options { get; }

    /// <summary>Inputs in feed order; shapes use -1 for dynamic dimensions.</summary>
    public IReadOnlyList<TensorInfo> Inputs { get; }

    /// <summary>Outputs in fetch order.</summary>
    public IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>Runs the model on named inputs and returns new output tensors in fetch order.</summary>
    public IReadOnlyList<Tensor> Run(IReadOnlyDictionary<string, Tensor> inputs) => Run(inputs, null);

    /// <summary>Runs the model on named inputs and returns new output tensors in fetch order (names in <see cref="Outputs"/>).</summary>
    /// <exception cref="OperationCanceledException"><see cref="RunOptions.CancellationToken"/> was cancelled.</exception>
    public IReadOnlyList<Tensor> Run(IReadOnlyDictionary<string, Tensor> inputs, RunOptions? options)
    {
        var all = new int[_plan.Outputs.Length];
        for (int k = 0; k < all.Length; k++) all[k] = k;
        return RunSelected(inputs, all, options);
    }

    /// <summary>
    /// Runs the model and returns outputs by name, as Paddle Inference's <c>GetOutputNames()</c> and
    /// <c>GetOutputHandle(name)</c> give them: the outputs named in <paramref name="outputNames"/> (all of
    /// <see cref="Outputs"/> when null), keyed by name. Outputs not asked for are not copied out.
    /// </summary>
    /// <exception cref="ShapeMismatchException">A name is not one of <see cref="Outputs"/> (checked before running).</exception>
    /// <exception cref="OperationCanceledException"><see cref="RunOptions.CancellationToken"/> was cancelled.</exception>
    public IReadOnlyDictionary<string, Tensor> RunNamed(IReadOnlyDictionary<string, Tensor> inputs, IEnumerable<string>? outputNames = null, RunOptions? options = null)
    {
        var names = outputNames?.ToArray() ?? Outputs.Select(o => o.Name).ToArray();
        var which = Array.ConvertAll(names, OutputIndex);
        var tensors = RunSelected(inputs, which, options);
        var result = new Dictionary<string, Tensor>(names.Length, StringComparer.Ordinal);
        for (int k = 0; k < names.Length; k++) result.TryAdd(names[k], tensors[k]);
        return result;
    }

    /// <summary>Position in <see cref="Outputs"/> of the output called <paramref name="name"/> (the first, if fetched twice).</summary>
    /// <exception cref="ShapeMismatchException">No output has that name.</exception>
    public int OutputIndex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int k = 0; k < Outputs.Count; k++)
        {
            if (Outputs[k].Name == name) return k;
        }
        throw new ShapeMismatchException(name, $"one of the outputs {string.Join(", ", Outputs.Select(o => o.Name))}", "an unknown output name");
    }

    // A hostile program can fetch a name no operator writes (an unset optional output, or an alias of one): a
    // broken model, reported as such rather than as the run context's internal error.
    private int ComputedOutput(RunContext ctx, int k)
    {
        int id = _plan.Outputs[k].Id;
        return ctx.IsDefined(id) ? id
            : throw new ModelFormatException(Model.Source, $"output '{Outputs[k].Name}' was not computed: no operator of the program writes it", field: Outputs[k].Name);
    }

    // Runs once and copies out the outputs at the given positions of _plan.Outputs, in that order.
    private Tensor[] RunSelected(IReadOnlyDictionary<string, Tensor> inputs, int[] which, RunOptions? options)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (var name in inputs.Keys)
        {
            if (!Inputs.Any(i => i.Name == name)) throw new ShapeMismatchException(name, $"one of the inputs {string.Join(", ", Inputs.Select(i => i.Name))}", "an unknown input name");
        }
        var ordered = new Tensor[Inputs.Count];
        for (int i = 0; i < ordered.Length; i++)
        {
            ordered[i] = inputs.TryGetValue(Inputs[i].Name, out var t) ? t : throw new ShapeMismatchException(Inputs[i].Name, "a tensor for this input", "none given");
        }
        var ctx = Rent();
        try
        {
            Execute(ctx, ordered, options);
            var result = new Tensor[which.Length];
            for (int k = 0; k < result.Length; k++)
            {
                int id = ComputedOutput(ctx, which[k]);
                result[k] = new Tensor(ctx.Type(id), ctx.Shape(id).ToArray(), ctx.ReadBytes(id).ToArray());
            }
            return result;
        }
        finally
        {
            Return(ctx);
        }
    }

    /// <summary>
    /// Runs on inputs in <see cref="Inputs"/> order and copies the results into <paramref name="outputs"/>
    /// (in <see cref="Outputs"/> order), which must already have the right types and shapes. Allocates
    /// nothing once the session has seen these input shapes.
    /// </summary>
    public void Run(ReadOnlySpan<Tensor> inputs, ReadOnlySpan<Tensor> outputs) => Run(inputs, outputs, null);

    /// <summary>The same, with per-run <paramref name="options"/> (cancellation between operators, profiling).</summary>
    /// <exception cref="OperationCanceledException"><see cref="RunOptions.CancellationToken"/> was cancelled.</exception>
    public void Run(ReadOnlySpan<Tensor> inputs, ReadOnlySpan<Tensor> outputs, RunOptions? options)
    {
        if (inputs.Length != Inputs.Count) throw new ShapeMismatchException("inputs", $"{Inputs.Count} tensors", $"{inputs.Length}");
        if (outputs.Length != Outputs.Count) throw new ShapeMismatchException("outputs", $"{Outputs.Count} tensors", $"{outputs.Length}");
        var ctx = Rent();
        try
        {
            Execute(ctx, inputs, options);
            for (int k = 0; k < outputs.Length; k++)
            {
                int id = ComputedOutput(ctx, k);
                var dst = outputs[k];
                if (dst.DataType != ctx.Type(id) || !dst.Shape.SequenceEqual(ctx.Shape(id)))
                {
                    throw new ShapeMismatchException(Outputs[k].Name, $"{ctx.Type(id).Name()}[{string.Join(", ", ctx.Shape(id).ToArray())}]", $"{dst.DataType.Name()}[{string.Join(", ", dst.Shape.ToArray())}]");
                }
                ctx.ReadBytes(id).CopyTo(dst.RawData);
            }
        }
        finally
        {
            Return(ctx);
        }
    }


    private RunContext Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var idle = _idle;
        for (int i = 0; i < idle.Length; i++)
        {
            if (Volatile.Read(ref idle[i]) is not null && Interlocked.Exchange(ref idle[i], null) is { } found) return found;
        }
        var ctx = new RunContext(_plan.ValueCount, _plan.SlotOf, _plan.SlotCount, _pool, Options.MaxRunMemoryBytes);
        foreach (var (id, tensor) in _plan.Constants) ctx.BindConstant(id, tensor);
        return ctx;
    }

    /// <summary>Value bytes held by the idle run contexts (tests of <see cref="SessionOptions.MaxRunMemoryBytes"/>).</summary>
    internal long IdleValueBytes()
    {
        long b = 0;
        foreach (var ctx in _idle) b = Math.Max(b, ctx?.OwnedBytes ?? 0);
        return b;
    }

    /// <summary>Scratch bytes held by the idle run contexts (tests: a steady-state run grows none).</summary>
    internal long IdleScratchBytes()
    {
        long b = 0;
        foreach (var ctx in _idle) b += ctx?.Scratch.Bytes ?? 0;
        return b;
    }

    private void Return(RunContext ctx)
    {
        var idle = _idle;
        for (int i = 0; i < idle.Length; i++)
        {
            if (Volatile.Read(ref idle[i]) is null && Interlocked.CompareExchange(ref idle[i], ctx, null) is null) return;
        }
    }

    private void Execute(RunContext ctx, ReadOnlySpan<Tensor> inputs, RunOptions? options)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            var (info, id) = _plan.Inputs[i];
            var t = inputs[i] ?? throw new ShapeMismatchException(info.Name, "a tensor", "null");
            if (t.DataType != info.DataType) throw new ShapeMismatchException(info.Name, $"element type {info.DataType.Name()}", t.DataType.Name());
            if (t.Shape.Length != info.Shape.Count) throw new ShapeMismatchException(info.Name, $"rank {info.Shape.Count} ([{string.Join(", ", info.Shape)}])", $"rank {t.Shape.Length} ([{string.Join(", ", t.Shape.ToArray())}])");
            ctx.BindInput(id, t);
        }
        if (_plan.ArrayIds.Length > 0) ctx.ClearArrays(_plan.ArrayIds);
        options?.Profile?.CountRun();
        StepRunner.Run(_plan.Steps, ctx, 0, options);
        ctx.Scratch.Settle();
    }

    /// <summary>Stops the session's worker threads; runs after this throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _poolOwner.Dispose();
    }
}

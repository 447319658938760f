using PaddleNet.Model;

namespace PaddleNet.Runtime;

/// <summary>
/// One operator instance, configured once at session load (attributes parsed, weights packed)
/// and then executed many times, possibly from several threads at once: a kernel must not keep
/// per-run state in fields. Everything per-run lives in the <see cref="RunContext"/>.
/// </summary>
internal abstract class Kernel
{
    /// <summary>Computes the outputs from the inputs. Output buffers come from <see cref="RunContext.Allocate{T}"/>.</summary>
    public abstract void Execute(RunContext ctx);

    /// <summary>
    /// Floating-point operations (2 per multiply-add) of the last <see cref="Execute"/> on <paramref name="ctx"/>, for
    /// `bench --profile`'s GFLOP/s; 0 for ops reported as memory-bound (GB/s of their inputs and outputs instead).
    /// </summary>
    public virtual double Flops(RunContext ctx) => 0;
}

/// <summary>Creates a kernel for one operator. Throw <see cref="UnsupportedOperatorException"/> (via <see cref="KernelBuilder.Unsupported"/>) for attribute combinations not handled.</summary>
internal delegate Kernel KernelFactory(KernelBuilder b);

/// <summary>
/// What a kernel factory sees: the operator, its attributes, and value ids for its slots.
/// Value ids index the run context's values; -1 means "slot absent or empty".
/// </summary>
internal sealed class KernelBuilder
{
    private readonly Func<string, int> _resolve;
    private readonly Func<string, int> _resolveOutput;
    private readonly Func<int, Tensor?> _constant;
    private readonly Func<string, DataType?>? _declared;

    internal KernelBuilder(Operator op, int blockIndex, int opIndex, string? modelPath, Func<string, int> resolve, Func<int, Tensor?> constant, Func<string, DataType?>? declared = null, Func<string, int>? resolveOutput = null)
    {
        _declared = declared;
        Op = op;
        BlockIndex = blockIndex;
        OpIndex = opIndex;
        ModelPath = modelPath;
        _resolve = resolve;
        // Inputs and outputs resolve separately: in-place ops (batch_norm's MeanOut = Mean) reuse a
        // name, and the input must still mean the value before this op.
        _resolveOutput = resolveOutput ?? resolve;
        _constant = constant;
    }

    public Operator Op { get; }
    public int BlockIndex { get; }
    public int OpIndex { get; }
    public string? ModelPath { get; }
    public AttributeMap Attrs => Op.Attributes;

    /// <summary>Value id of the first variable in an input slot, or -1.</summary>
    public int Input(string slot) => Op.Input(slot) is string n ? _resolve(n) : -1;

    /// <summary>Value id of an input slot that must be present.</summary>
    public int RequiredInput(string slot) => Input(slot) is var id and >= 0 ? id : throw Unsupported($"input slot '{slot}' is missing");

    public int[] InputList(string slot) => Op.InputList(slot).Select(_resolve).ToArray();

    public int Output(string slot) => Op.Output(slot) is string n ? _resolveOutput(n) : -1;

    public int RequiredOutput(string slot) => Output(slot) is var id and >= 0 ? id : throw Unsupported($"output slot '{slot}' is missing");

    public int[] OutputList(string slot) => Op.OutputList(slot).Select(_resolveOutput).ToArray();

    /// <summary>The declared data type of the program variable in an output slot (e.g. int64 for PIR shape64), or null when undeclared.</summary>
    public DataType? DeclaredType(string outputSlot) => Op.Output(outputSlot) is string n ? _declared?.Invoke(n) : null;

    /// <summary>The parameter tensor behind a value id, when it is a constant (weights), else null.</summary>
    public Tensor? Constant(int valueId) => valueId < 0 ? null : _constant(valueId);

    public UnsupportedOperatorException Unsupported(string detail) => new(ModelPath, Op.Type, BlockIndex, OpIndex, detail);
}

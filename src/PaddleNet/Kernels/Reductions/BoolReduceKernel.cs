using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Shared body of the bool reductions <c>reduce_all</c> / <c>reduce_any</c> (see <see cref="ReduceKernelBase"/>):
/// X must be bool (any non-zero byte is true), Out is bool; <typeparamref name="TOp"/> is the byte fold.
/// </summary>
internal abstract class BoolReduceKernel<TOp> : ReduceKernelBase where TOp : IReducer<byte>
{
    private readonly string _op;

    protected BoolReduceKernel(KernelBuilder b, string op) : base(b) => _op = op;

    public override void Execute(RunContext ctx)
    {
        if (ctx.Type(X) != DataType.Bool) throw new ShapeMismatchException($"{_op} X", "bool", ctx.Type(X).Name());
        CheckOutDtype(ctx);
        var xs = ctx.Shape(X);
        int mask = Mask(ctx);
        Span<int> os = stackalloc int[RunContext.MaxRank];
        int orank = ReduceEngine.OutShape(xs, mask, KeepDim, os);
        var y = ctx.AllocateBytes(Out, DataType.Bool, os[..orank]);
        ReduceEngine.Reduce<byte, TOp>(ctx.ReadBytes(X), ctx.Shape(X), mask, y, fast: false);
    }
}

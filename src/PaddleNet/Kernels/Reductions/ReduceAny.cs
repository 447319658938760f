using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Paddle <c>reduce_any</c> (PIR <c>any</c>): Out = OR of X over <c>dim</c> (see <see cref="ReduceKernelBase"/>).
/// X bool (any non-zero byte is true); Out bool.
/// </summary>
internal sealed class ReduceAnyKernel : ReduceKernelBase
{
    private ReduceAnyKernel(KernelBuilder b) : base(b) { }

    public static Kernel Create(KernelBuilder b) => new ReduceAnyKernel(b);

    public override void Execute(RunContext ctx)
    {
        if (ctx.Type(X) != DataType.Bool) throw new ShapeMismatchException("reduce_any X", "bool", ctx.Type(X).Name());
        CheckOutDtype(ctx);
        var xs = ctx.Shape(X);
        int mask = Mask(ctx);
        Span<int> os = stackalloc int[RunContext.MaxRank];
        int orank = ReduceEngine.OutShape(xs, mask, KeepDim, os);
        var y = ctx.AllocateBytes(Out, DataType.Bool, os[..orank]);
        ReduceEngine.Reduce<byte, AnyB>(ctx.ReadBytes(X), ctx.Shape(X), mask, y, fast: false);
    }
}

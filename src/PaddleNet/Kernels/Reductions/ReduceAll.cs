using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Paddle <c>reduce_all</c> (PIR <c>all</c>): Out = AND of X over <c>dim</c> (see <see cref="ReduceKernelBase"/>).
/// X bool (any non-zero byte is true); Out bool; an empty reduction is true.
/// </summary>
internal sealed class ReduceAllKernel : ReduceKernelBase
{
    private ReduceAllKernel(KernelBuilder b) : base(b) { }

    public static Kernel Create(KernelBuilder b) => new ReduceAllKernel(b);

    public override void Execute(RunContext ctx)
    {
        if (ctx.Type(X) != DataType.Bool) throw new ShapeMismatchException("reduce_all X", "bool", ctx.Type(X).Name());
        CheckOutDtype(ctx);
        var xs = ctx.Shape(X);
        int mask = Mask(ctx);
        Span<int> os = stackalloc int[RunContext.MaxRank];
        int orank = ReduceEngine.OutShape(xs, mask, KeepDim, os);
        var y = ctx.AllocateBytes(Out, DataType.Bool, os[..orank]);
        ReduceEngine.Reduce<byte, AllB>(ctx.ReadBytes(X), ctx.Shape(X), mask, y, fast: false);
    }
}

/// <summary>Logical AND over bytes (non-zero is true).</summary>
internal struct AllB : IReducer<byte>
{
    public static byte Identity => 1;
    public static byte Combine(byte a, byte x) => (byte)(a & (x != 0 ? 1 : 0));
    public static byte Finish(byte a, long n) => a;
}

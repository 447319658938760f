using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Paddle <c>reduce_min</c> (PIR <c>min</c>): Out = min X over <c>dim</c> (see <see cref="ReduceKernelBase"/>).
/// Equal values: the LAST one in input order is kept (signed zeros); NaN propagates. Dtypes float32, int32, int64.
/// </summary>
internal sealed class ReduceMinKernel : ReduceKernelBase
{
    private ReduceMinKernel(KernelBuilder b) : base(b) { }

    public static Kernel Create(KernelBuilder b) => new ReduceMinKernel(b);

    public override void Execute(RunContext ctx)
    {
        switch (ctx.Type(X))
        {
            case DataType.Float32: Run<float, MinF>(ctx); break;
            case DataType.Int32: Run<int, MinI>(ctx); break;
            case DataType.Int64: Run<long, MinL>(ctx); break;
            default: throw new ShapeMismatchException("reduce_min X", "float32/int32/int64", ctx.Type(X).Name());
        }
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Paddle <c>reduce_max</c> (PIR <c>max</c>): Out = max X over <c>dim</c> (see <see cref="ReduceKernelBase"/>).
/// Equal values: the LAST one in input order is kept (signed zeros); NaN propagates. Dtypes float32, int32, int64.
/// </summary>
internal sealed class ReduceMaxKernel : ReduceKernelBase
{
    private ReduceMaxKernel(KernelBuilder b) : base(b) { }

    public static Kernel Create(KernelBuilder b) => new ReduceMaxKernel(b);

    public override void Execute(RunContext ctx)
    {
        switch (ctx.Type(X))
        {
            case DataType.Float32: Run<float, MaxF>(ctx); break;
            case DataType.Int32: Run<int, MaxI>(ctx); break;
            case DataType.Int64: Run<long, MaxL>(ctx); break;
            default: throw new ShapeMismatchException("reduce_max X", "float32/int32/int64", ctx.Type(X).Name());
        }
    }
}

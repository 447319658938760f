using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Paddle <c>reduce_sum</c> (PIR <c>sum</c>): Out = Σ X over <c>dim</c> (see <see cref="ReduceKernelBase"/> for
/// dim/keep_dim/reduce_all). Dtypes float32, float64, int32, int64 (same dtype out; out_dtype ignored).
/// </summary>
internal sealed class ReduceSumKernel : ReduceKernelBase
{
    private ReduceSumKernel(KernelBuilder b) : base(b) { }

    public static Kernel Create(KernelBuilder b) => new ReduceSumKernel(b);

    public override void Execute(RunContext ctx)
    {
        switch (ctx.Type(X))
        {
            case DataType.Float32: Run<float, SumF>(ctx); break;
            case DataType.Float64: Run<double, SumD>(ctx); break;
            case DataType.Int32: Run<int, SumI>(ctx); break;
            case DataType.Int64: Run<long, SumL>(ctx); break;
            default: throw new ShapeMismatchException("reduce_sum X", "float32/float64/int32/int64", ctx.Type(X).Name());
        }
    }
}

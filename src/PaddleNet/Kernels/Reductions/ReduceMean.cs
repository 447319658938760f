using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Paddle <c>reduce_mean</c> (PIR <c>mean</c>): Out = Σ X / count over <c>dim</c> (see <see cref="ReduceKernelBase"/>).
/// Dtypes float32, float64.
/// </summary>
internal sealed class ReduceMeanKernel : ReduceKernelBase
{
    private ReduceMeanKernel(KernelBuilder b) : base(b) { }

    public static Kernel Create(KernelBuilder b) => new ReduceMeanKernel(b);

    public override void Execute(RunContext ctx)
    {
        switch (ctx.Type(X))
        {
            case DataType.Float32: Run<float, MeanF>(ctx); break;
            case DataType.Float64: Run<double, MeanD>(ctx); break;
            default: throw new ShapeMismatchException("reduce_mean X", "float32/float64", ctx.Type(X).Name());
        }
    }
}

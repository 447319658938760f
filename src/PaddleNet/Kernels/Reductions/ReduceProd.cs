using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Paddle <c>reduce_prod</c> (PIR <c>prod</c>): Out = Π X over <c>dim</c> (see <see cref="ReduceKernelBase"/>).
/// Dtypes float32, int32, int64.
/// </summary>
internal sealed class ReduceProdKernel : ReduceKernelBase
{
    private ReduceProdKernel(KernelBuilder b) : base(b) { }

    public static Kernel Create(KernelBuilder b) => new ReduceProdKernel(b);

    public override void Execute(RunContext ctx)
    {
        switch (ctx.Type(X))
        {
            case DataType.Float32: Run<float, ProdF>(ctx); break;
            case DataType.Int32: Run<int, ProdI>(ctx); break;
            case DataType.Int64: Run<long, ProdL>(ctx); break;
            default: throw new ShapeMismatchException("reduce_prod X", "float32/int32/int64", ctx.Type(X).Name());
        }
    }
}

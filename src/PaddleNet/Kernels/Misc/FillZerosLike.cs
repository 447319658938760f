using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>Paddle <c>fill_zeros_like</c> (and <c>fill_zeros_like2</c>, whose <c>dtype</c> may change the type): X → zeros of X's shape and dtype.</summary>
internal sealed class FillZerosLikeKernel(int x, int output, long dtype, KernelBuilder b) : Kernel
{
    private readonly DataType? _type = dtype < 0 ? null : DataMove.FromPaddle(b, dtype);

    public static Kernel Create(KernelBuilder b) => new FillZerosLikeKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), b.Attrs.GetLong("dtype", -1), b);

    public override void Execute(RunContext ctx) => ctx.AllocateBytes(output, _type ?? ctx.Type(x), ctx.Shape(x)).Clear();
}

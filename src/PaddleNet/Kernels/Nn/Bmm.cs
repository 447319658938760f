using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>Paddle <c>bmm</c>: X [B,M,K], Y [B,K,N] → Out [B,M,N], batched matrix product (no attributes). float32.</summary>
internal sealed class BmmKernel : Kernel
{
    private readonly int _x, _y, _out;
    private readonly MatMulCore _core;

    private BmmKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _y = b.RequiredInput("Y");
        _out = b.RequiredOutput("Out");
        _core = new MatMulCore(b, _y, false, false, 1f, v1: false);
    }

    public static Kernel Create(KernelBuilder b) => new BmmKernel(b);

    public override double Flops(RunContext ctx) => _core.Flops(ctx, _x, _out);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        var ys = ctx.Shape(_y);
        if (xs.Length != 3 || ys.Length != 3 || xs[0] != ys[0]) throw new ShapeMismatchException("bmm operands", "[B,M,K] and [B,K,N]", $"ranks {xs.Length}, {ys.Length}");
        _core.Execute(ctx, _x, _y, _out, "bmm");
    }
}

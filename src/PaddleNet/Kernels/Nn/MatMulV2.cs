using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>matmul_v2</c> (PIR <c>matmul</c>): X, Y → Out = X'·Y' with numpy matmul semantics
/// (1-D operands promoted then squeezed, batch broadcasting). Attributes: trans_x false, trans_y false.
/// float32. Packed SGEMM; a constant Y is packed once at load.
/// </summary>
internal sealed class MatMulV2Kernel : Kernel
{
    private readonly int _x, _y, _out;
    private readonly MatMulCore _core;

    private MatMulV2Kernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _y = b.RequiredInput("Y");
        _out = b.RequiredOutput("Out");
        _core = new MatMulCore(b, _y, b.Attrs.GetBool("trans_x", false), b.Attrs.GetBool("trans_y", false), 1f, v1: false);
    }

    public static Kernel Create(KernelBuilder b) => new MatMulV2Kernel(b);

    public override double Flops(RunContext ctx) => _core.Flops(ctx, _x, _out);

    public override void Execute(RunContext ctx) => _core.Execute(ctx, _x, _y, _out, "matmul_v2");
}

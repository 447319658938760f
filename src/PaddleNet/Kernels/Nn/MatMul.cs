using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle legacy <c>matmul</c> (v1): X, Y → Out = alpha·X'·Y' with the same broadcasting as matmul_v2
/// (two 1-D operands give [1]). Attributes: transpose_X false, transpose_Y false, alpha 1.0;
/// head_number must be 1 and the fused_reshape/transpose extras empty. float32.
/// </summary>
internal sealed class MatMulKernel : Kernel
{
    private readonly int _x, _y, _out;
    private readonly MatMulCore _core;

    private MatMulKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _y = b.RequiredInput("Y");
        _out = b.RequiredOutput("Out");
        if (b.Attrs.GetInt("head_number", 1) != 1) throw b.Unsupported("head_number > 1");
        foreach (var extra in new[] { "fused_reshape_X", "fused_reshape_Y", "fused_transpose_X", "fused_transpose_Y", "fused_reshape_Out", "fused_transpose_Out" })
        {
            if (b.Attrs.Has(extra) && b.Attrs.GetLongs(extra).Length > 0) throw b.Unsupported($"{extra}");
        }
        _core = new MatMulCore(b, _y, b.Attrs.GetBool("transpose_X", false), b.Attrs.GetBool("transpose_Y", false), b.Attrs.GetFloat("alpha", 1f), v1: true);
    }

    public static Kernel Create(KernelBuilder b) => new MatMulKernel(b);

    public override double Flops(RunContext ctx) => _core.Flops(ctx, _x, _out);

    public override void Execute(RunContext ctx) => _core.Execute(ctx, _x, _y, _out, "matmul");
}

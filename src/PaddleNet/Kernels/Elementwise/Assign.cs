using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>Paddle op assign: Out = X (any dtype, exact copy).</summary>
internal sealed class AssignKernel(int x, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new AssignKernel(b.RequiredInput("X"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx) => ctx.CopyValue(x, output, ctx.Shape(x));
}

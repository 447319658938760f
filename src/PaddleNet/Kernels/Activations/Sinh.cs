using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op sinh: Out = sinh X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class SinhKernel(int x, int output, SinhOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new SinhKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "sinh");
}

/// <summary>The scalar form of <c>sinh</c> (plain loop; no model needs it fast yet).</summary>
internal struct SinhOp : IUnaryOp
{
    public readonly float Invoke(float x) => MathF.Sinh(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

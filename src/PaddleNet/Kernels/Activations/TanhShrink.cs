using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op tanh_shrink: Out = X − tanh X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class TanhShrinkKernel(int x, int output, TanhShrinkOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new TanhShrinkKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "tanh_shrink");
}

/// <summary>The scalar form of <c>tanh_shrink</c> (plain loop; no model needs it fast yet).</summary>
internal struct TanhShrinkOp : IUnaryOp
{
    public readonly float Invoke(float x) => x - MathF.Tanh(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

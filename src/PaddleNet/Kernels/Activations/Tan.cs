using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op tan: Out = tan X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class TanKernel(int x, int output, TanOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new TanKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "tan");
}

/// <summary>The scalar form of <c>tan</c> (plain loop; no model needs it fast yet).</summary>
internal struct TanOp : IUnaryOp
{
    public readonly float Invoke(float x) => MathF.Tan(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op asin: Out = arcsin X (NaN outside [−1, 1]).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class AsinKernel(int x, int output, AsinOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new AsinKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "asin");
}

/// <summary>The scalar form of <c>asin</c> (plain loop; no model needs it fast yet).</summary>
internal struct AsinOp : IUnaryOp
{
    public readonly float Invoke(float x) => MathF.Asin(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

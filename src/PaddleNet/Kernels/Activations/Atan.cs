using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op atan: Out = arctan X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class AtanKernel(int x, int output, AtanOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new AtanKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "atan");
}

/// <summary>The scalar form of <c>atan</c> (plain loop; no model needs it fast yet).</summary>
internal struct AtanOp : IUnaryOp
{
    public readonly float Invoke(float x) => MathF.Atan(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

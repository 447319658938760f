using System.Runtime.Intrinsics;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op hard_swish: Out = X·min(max(X + 3, 0), 6) / 6. Paddle 3.3.1 IGNORES the legacy threshold/scale/offset attributes (hard_swish/custom proves it).
/// Attributes: threshold, scale, offset (ignored).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class HardSwishKernel(int x, int output, HardSwishOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new HardSwishKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "hard_swish");
}

/// <summary>The scalar and fast forms of <c>hard_swish</c>.</summary>
internal struct HardSwishOp : IVectorUnaryOp
{
    public readonly float Invoke(float x) => x * MathF.Min(MathF.Max(x + 3f, 0f), 6f) / 6f;

    public readonly Vector256<float> Invoke(Vector256<float> x) => x * Vector256.Min(Vector256.Max(x + Vector256.Create(3f), Vector256<float>.Zero), Vector256.Create(6f)) / Vector256.Create(6f);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

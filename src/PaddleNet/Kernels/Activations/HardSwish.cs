using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => x * TV.Min(TV.Max(x + TV.Create(3f), TV.Zero), TV.Create(6f)) / TV.Create(6f);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

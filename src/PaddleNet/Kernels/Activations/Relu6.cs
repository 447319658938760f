using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op relu6: Out = min(max(X, 0), 6). Paddle 3.3.1 IGNORES the legacy <c>threshold</c> attribute (the threshold3 case outputs up to 6); PIR relu6 has none.
/// Attributes: threshold (6.0, ignored).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class Relu6Kernel(int x, int output, Relu6Op op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new Relu6Kernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "relu6");
}

/// <summary>The scalar and fast forms of <c>relu6</c>.</summary>
internal struct Relu6Op : IVectorUnaryOp
{
    public readonly float Invoke(float x) => MathF.Min(x > 0 ? x : 0f, 6f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => TV.Min(TV.Select(TV.GreaterThan(x, TV.Zero), x, TV.Zero), TV.Create(6f));

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

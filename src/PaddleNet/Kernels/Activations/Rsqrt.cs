using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op rsqrt: Out = 1 / √X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class RsqrtKernel(int x, int output, RsqrtOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new RsqrtKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "rsqrt");
}

/// <summary>The scalar and fast forms of <c>rsqrt</c>.</summary>
internal struct RsqrtOp : IVectorUnaryOp
{
    public readonly float Invoke(float x) => 1f / MathF.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => TV.One / TV.Sqrt(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op sign: Out = 1 for X &gt; 0, −1 for X &lt; 0, 0 otherwise.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class SignKernel(int x, int output, SignOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new SignKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "sign");
}

/// <summary>The scalar and fast forms of <c>sign</c>.</summary>
internal struct SignOp : IVectorUnaryOp
{
    public readonly float Invoke(float x) => x > 0 ? 1f : x < 0 ? -1f : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => TV.Select(TV.GreaterThan(x, TV.Zero), TV.One, TV.Zero) - TV.Select(TV.LessThan(x, TV.Zero), TV.One, TV.Zero);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

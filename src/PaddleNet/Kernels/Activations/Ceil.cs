using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op ceil: Out = ⌈X⌉.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class CeilKernel(int x, int output, CeilOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new CeilKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "ceil");
}

/// <summary>The scalar and fast forms of <c>ceil</c>.</summary>
internal struct CeilOp : IVectorUnaryOp
{
    public readonly float Invoke(float x) => MathF.Ceiling(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => TV.Ceiling(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op reciprocal: Out = 1 / X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class ReciprocalKernel(int x, int output, ReciprocalOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new ReciprocalKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "reciprocal");
}

/// <summary>The scalar and fast forms of <c>reciprocal</c>.</summary>
internal struct ReciprocalOp : IVectorUnaryOp
{
    public readonly float Invoke(float x) => 1f / x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => TV.One / x;

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

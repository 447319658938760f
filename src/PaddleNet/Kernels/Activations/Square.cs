using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op square: Out = X².
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class SquareKernel(int x, int output, SquareOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new SquareKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "square");
}

/// <summary>The scalar and fast forms of <c>square</c>.</summary>
internal struct SquareOp : IVectorUnaryOp
{
    public readonly float Invoke(float x) => x * x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => x * x;

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

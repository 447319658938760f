using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op sqrt: Out = √X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class SqrtKernel(int x, int output, SqrtOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new SqrtKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "sqrt");
}

/// <summary>The scalar and fast forms of <c>sqrt</c>.</summary>
internal struct SqrtOp : IVectorUnaryOp
{
    public readonly float Invoke(float x) => MathF.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => TV.Sqrt(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op abs: Out = |X|.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class AbsKernel(int x, int output, AbsOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new AbsKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "abs");
}

/// <summary>The scalar and fast forms of <c>abs</c>.</summary>
internal struct AbsOp : IVectorUnaryOp
{
    public readonly float Invoke(float x) => MathF.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => TV.Abs(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

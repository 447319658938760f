using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op relu: Out = X &gt; 0 ? X : 0 (relu(−0) = +0).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class ReluKernel(int x, int output, ReluOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new ReluKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "relu");
}

/// <summary>The scalar and fast forms of <c>relu</c>.</summary>
internal struct ReluOp : IVectorUnaryOp
{
    public readonly float Invoke(float x) => x > 0 ? x : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => TV.Select(TV.GreaterThan(x, TV.Zero), x, TV.Zero);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

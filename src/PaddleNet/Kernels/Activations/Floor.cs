using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op floor: Out = ⌊X⌋ (floor(−0) = −0).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class FloorKernel(int x, int output, FloorOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new FloorKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "floor");
}

/// <summary>The scalar and fast forms of <c>floor</c>.</summary>
internal struct FloorOp : IVectorUnaryOp
{
    public readonly float Invoke(float x) => MathF.Floor(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => TV.Floor(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op hard_sigmoid: Out = max(0, min(1, slope·X + offset)).
/// Attributes: slope (0.2), offset (0.5).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class HardSigmoidKernel(int x, int output, HardSigmoidOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        return new HardSigmoidKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), new HardSigmoidOp { Slope = a.GetFloat("slope", 0.2f), Offset = a.GetFloat("offset", 0.5f) });
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "hard_sigmoid");
}

/// <summary>The scalar and fast forms of <c>hard_sigmoid</c>.</summary>
internal struct HardSigmoidOp : IVectorUnaryOp
{
    public float Slope;
    public float Offset;

    public readonly float Invoke(float x) => MathF.Max(0f, MathF.Min(1f, Slope * x + Offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => TV.Max(TV.Zero, TV.Min(TV.One, TV.Create(Slope) * x + TV.Create(Offset)));

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op hard_shrink: Out = X where |X| &gt; threshold, else 0. Attribute: threshold (0.5).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class HardShrinkKernel(int x, int output, HardShrinkOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        return new HardShrinkKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), new HardShrinkOp { Threshold = a.GetFloat("threshold", 0.5f) });
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "hard_shrink");
}

/// <summary>The scalar form of <c>hard_shrink</c> (plain loop; no model needs it fast yet).</summary>
internal struct HardShrinkOp : IUnaryOp
{
    public float Threshold;

    public readonly float Invoke(float x) => x > Threshold || x < -Threshold ? x : 0f;

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

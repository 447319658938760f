using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op thresholded_relu: Out = X where X &gt; threshold, else value. Attributes: threshold (1.0), value (0.0, newer Paddle).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class ThresholdedReluKernel(int x, int output, ThresholdedReluOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        return new ThresholdedReluKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), new ThresholdedReluOp { Threshold = a.GetFloat("threshold", 1f), Value = a.GetFloat("value", 0f) });
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "thresholded_relu");
}

/// <summary>The scalar form of <c>thresholded_relu</c> (plain loop; no model needs it fast yet).</summary>
internal struct ThresholdedReluOp : IUnaryOp
{
    public float Threshold;
    public float Value;

    public readonly float Invoke(float x) => x > Threshold ? x : Value;

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

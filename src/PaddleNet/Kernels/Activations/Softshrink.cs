using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op softshrink: Out = X − λ where X &gt; λ, X + λ where X &lt; −λ, else 0. Attribute: lambda (0.5).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class SoftshrinkKernel(int x, int output, SoftshrinkOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        return new SoftshrinkKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), new SoftshrinkOp { Lambda = a.GetFloat("lambda", 0.5f) });
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "softshrink");
}

/// <summary>The scalar form of <c>softshrink</c> (plain loop; no model needs it fast yet).</summary>
internal struct SoftshrinkOp : IUnaryOp
{
    public float Lambda;

    public readonly float Invoke(float x) => x > Lambda ? x - Lambda : x < -Lambda ? x + Lambda : 0f;

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op mish: Out = X·tanh(sp), sp = X if X &gt; threshold, e^X if X &lt; −threshold, else log1p(e^X) (threshold &gt; 0).
/// Attributes: threshold (20; PIR lambda).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class MishKernel(int x, int output, MishOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        return new MishKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), new MishOp { Threshold = a.GetFloat("threshold", 20f) });
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "mish");
}

/// <summary>The scalar and fast forms of <c>mish</c>.</summary>
internal struct MishOp : IUnaryOp
{
    public float Threshold;

    public readonly float Invoke(float x) => x * MathF.Tanh(Threshold > 0 && x > Threshold ? x : Threshold > 0 && x < -Threshold ? MathF.Exp(x) : (float)Math.Log(1.0 + (double)MathF.Exp(x)));

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

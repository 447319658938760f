using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op elu: Out = X &gt; 0 ? X : alpha·(e^X − 1).
/// Attributes: alpha (1.0).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class EluKernel(int x, int output, EluOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        return new EluKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), new EluOp { Alpha = a.GetFloat("alpha", 1f) });
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "elu");
}

/// <summary>The scalar and fast forms of <c>elu</c>.</summary>
internal struct EluOp : IUnaryOp
{
    public float Alpha;

    public readonly float Invoke(float x) => x > 0 ? x : Alpha * (MathF.Exp(x) - 1f);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

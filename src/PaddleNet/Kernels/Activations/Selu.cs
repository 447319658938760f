using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op selu: Out = scale·(X &gt; 0 ? X : alpha·(e^X − 1)).
/// Attributes: scale (1.0507009873554805), alpha (1.6732632423543772).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class SeluKernel(int x, int output, SeluOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        return new SeluKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), new SeluOp { Scale = a.GetFloat("scale", 1.0507009873554805f), Alpha = a.GetFloat("alpha", 1.6732632423543772f) });
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "selu");
}

/// <summary>The scalar and fast forms of <c>selu</c>.</summary>
internal struct SeluOp : IUnaryOp
{
    public float Scale;
    public float Alpha;

    public readonly float Invoke(float x) => x > 0 ? Scale * x : Scale * (Alpha * MathF.Exp(x) - Alpha);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

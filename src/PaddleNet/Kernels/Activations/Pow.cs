using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op pow: Out = X^factor (std::pow). Attribute factor (1.0; PIR y); an optional
/// FactorTensor input overrides it. X (float32) → Out (same shape).
/// </summary>
internal sealed class PowKernel(int x, int factorTensor, int output, float factor) : Kernel
{
    public static Kernel Create(KernelBuilder b) =>
        new PowKernel(b.RequiredInput("X"), b.Input("FactorTensor"), b.RequiredOutput("Out"), b.Attrs.GetFloat("factor", 1f));

    public override void Execute(RunContext ctx)
    {
        float f = factorTensor >= 0 ? (float)ctx.ReadDouble(factorTensor, 0) : factor;
        UnaryDriver.Run(ctx, x, output, new PowOp { Factor = f }, "pow");
    }
}

/// <summary>The scalar and fast forms of <c>pow</c>.</summary>
internal struct PowOp : IUnaryOp
{
    public float Factor;

    public readonly float Invoke(float x) => MathF.Pow(x, Factor);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        if (Factor == 2f)
        {
            for (int i = 0; i < x.Length; i++) y[i] = x[i] * x[i];
        }
        else if (Factor == 1f)
        {
            x.CopyTo(y);
        }
        else
        {
            UnaryDriver.Reference(this, x, y);
        }
    }
}

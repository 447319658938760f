using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op gelu: approximate=false: Out = 0.5·X·(1 + erf(X/√2)); approximate=true: 0.5·X·(1 + tanh(√(2/π)·(X + 0.044715·X³))).
/// Attributes: approximate (false).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class GeluKernel(int x, int output, GeluOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        return new GeluKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), new GeluOp { Approximate = a.GetBool("approximate", false) });
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "gelu");
}

/// <summary>The scalar and fast forms of <c>gelu</c>.</summary>
internal struct GeluOp : IUnaryOp
{
    public bool Approximate;

    public readonly float Invoke(float x) => Approximate ? 0.5f * x * (1f + MathF.Tanh(0.7978845608028654f * (x + 0.044715f * x * x * x))) : 0.5f * x * (1f + SpecialFunctions.Erf(x * 0.70710678118654752f));

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

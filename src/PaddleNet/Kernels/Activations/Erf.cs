using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op erf: Out = erf X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class ErfKernel(int x, int output, ErfOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new ErfKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "erf");
}

/// <summary>The scalar and fast forms of <c>erf</c>.</summary>
internal struct ErfOp : IUnaryOp
{
    public readonly float Invoke(float x) => SpecialFunctions.Erf(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

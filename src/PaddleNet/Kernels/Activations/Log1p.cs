using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op log1p: Out = ln(1 + X), evaluated in double so small X keep their precision.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class Log1pKernel(int x, int output, Log1pOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new Log1pKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "log1p");
}

/// <summary>The scalar form of <c>log1p</c> (plain loop; no model needs it fast yet).</summary>
internal struct Log1pOp : IUnaryOp
{
    public readonly float Invoke(float x) => (float)Math.Log(1.0 + x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

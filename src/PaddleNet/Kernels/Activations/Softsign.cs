using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op softsign: Out = X / (1 + |X|).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class SoftsignKernel(int x, int output, SoftsignOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new SoftsignKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "softsign");
}

/// <summary>The scalar form of <c>softsign</c> (plain loop; no model needs it fast yet).</summary>
internal struct SoftsignOp : IUnaryOp
{
    public readonly float Invoke(float x) => x / (1 + Math.Abs(x));

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

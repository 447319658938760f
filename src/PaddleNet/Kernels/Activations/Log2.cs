using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op log2: Out = log2 X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class Log2Kernel(int x, int output, Log2Op op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new Log2Kernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "log2");
}

/// <summary>The scalar form of <c>log2</c> (plain loop; no model needs it fast yet).</summary>
internal struct Log2Op : IUnaryOp
{
    public readonly float Invoke(float x) => MathF.Log2(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

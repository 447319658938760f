using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op log10: Out = log10 X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class Log10Kernel(int x, int output, Log10Op op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new Log10Kernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "log10");
}

/// <summary>The scalar form of <c>log10</c> (plain loop; no model needs it fast yet).</summary>
internal struct Log10Op : IUnaryOp
{
    public readonly float Invoke(float x) => MathF.Log10(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

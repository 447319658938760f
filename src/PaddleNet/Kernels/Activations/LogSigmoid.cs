using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op logsigmoid: Out = log(1 / (1 + e^−X)), in the overflow-free form −(m + log(e^−m + e^(−X−m))), m = max(−X, 0), as Paddle's functor.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class LogSigmoidKernel(int x, int output, LogSigmoidOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new LogSigmoidKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "logsigmoid");
}

/// <summary>The scalar form of <c>logsigmoid</c> (plain loop; no model needs it fast yet).</summary>
internal struct LogSigmoidOp : IUnaryOp
{
    public readonly float Invoke(float x) => LogSigmoid(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);

    private static float LogSigmoid(float x)
    {
        double m = Math.Max(-(double)x, 0);
        return (float)-(m + Math.Log(Math.Exp(-m) + Math.Exp(-x - m)));
    }
}

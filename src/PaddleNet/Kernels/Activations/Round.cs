using System.Numerics.Tensors;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op round: Out = X rounded half to EVEN (0.5 → 0, 2.5 → 2, −0.5 → −0), as paddle 3.3.1 CPU.
/// Attributes: decimals (0; other values unsupported).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class RoundKernel(int x, int output, RoundOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        if (a.GetInt("decimals", 0) != 0) throw b.Unsupported("round with decimals != 0");
        return new RoundKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "round");
}

/// <summary>The scalar and fast forms of <c>round</c>.</summary>
internal struct RoundOp : IUnaryOp
{
    public readonly float Invoke(float x) => MathF.Round(x, MidpointRounding.ToEven);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Round(x, y);
}

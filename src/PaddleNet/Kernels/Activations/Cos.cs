using System.Numerics.Tensors;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op cos: Out = cos X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class CosKernel(int x, int output, CosOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new CosKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "cos");
}

/// <summary>The scalar and fast forms of <c>cos</c>.</summary>
internal struct CosOp : IUnaryOp
{
    public readonly float Invoke(float x) => MathF.Cos(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Cos(x, y);
}

using System.Numerics.Tensors;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op tanh: Out = tanh X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class TanhKernel(int x, int output, TanhOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new TanhKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "tanh");
}

/// <summary>The scalar and fast forms of <c>tanh</c>.</summary>
internal struct TanhOp : IUnaryOp
{
    public readonly float Invoke(float x) => MathF.Tanh(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Tanh(x, y);
}

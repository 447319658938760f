using System.Numerics.Tensors;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op sigmoid: Out = 1 / (1 + e^−X).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class SigmoidKernel(int x, int output, SigmoidOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new SigmoidKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "sigmoid");
}

/// <summary>The scalar and fast forms of <c>sigmoid</c>.</summary>
internal struct SigmoidOp : IUnaryOp
{
    public readonly float Invoke(float x) => 1f / (1f + MathF.Exp(-x));

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length > 0) TensorPrimitives.Sigmoid(x, y); // Sigmoid rejects empty spans
    }
}

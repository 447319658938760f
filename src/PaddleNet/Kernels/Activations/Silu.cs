using System.Numerics.Tensors;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op silu: Out = X / (1 + e^−X).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class SiluKernel(int x, int output, SiluOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new SiluKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "silu");
}

/// <summary>The scalar and fast forms of <c>silu</c>.</summary>
internal struct SiluOp : IUnaryOp
{
    public readonly float Invoke(float x) => x / (1f + MathF.Exp(-x));

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length == 0) return; // TensorPrimitives.Sigmoid rejects empty spans
        TensorPrimitives.Sigmoid(x, y);
        TensorPrimitives.Multiply(x, y, y);
    }
}

using System.Numerics.Tensors;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op sin: Out = sin X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class SinKernel(int x, int output, SinOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new SinKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "sin");
}

/// <summary>The scalar and fast forms of <c>sin</c>.</summary>
internal struct SinOp : IUnaryOp
{
    public readonly float Invoke(float x) => MathF.Sin(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Sin(x, y);
}

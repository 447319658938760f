using System.Numerics.Tensors;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op exp: Out = e^X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class ExpKernel(int x, int output, ExpOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new ExpKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "exp");
}

/// <summary>The scalar and fast forms of <c>exp</c>.</summary>
internal struct ExpOp : IUnaryOp
{
    public readonly float Invoke(float x) => MathF.Exp(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Exp(x, y);
}

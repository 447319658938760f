using System.Numerics.Tensors;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op log: Out = ln X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class LogKernel(int x, int output, LogOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new LogKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "log");
}

/// <summary>The scalar and fast forms of <c>log</c>.</summary>
internal struct LogOp : IUnaryOp
{
    public readonly float Invoke(float x) => MathF.Log(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Log(x, y);
}

using System.Numerics.Tensors;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op swish: Out = X / (1 + e^(−beta·X)).
/// Attributes: beta (1.0; PIR swish has none).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class SwishKernel(int x, int output, SwishOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        return new SwishKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), new SwishOp { Beta = a.GetFloat("beta", 1f) });
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "swish");
}

/// <summary>The scalar and fast forms of <c>swish</c>.</summary>
internal struct SwishOp : IUnaryOp
{
    public float Beta;

    public readonly float Invoke(float x) => x / (1f + MathF.Exp(-Beta * x));

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length == 0) return; // TensorPrimitives.Sigmoid rejects empty spans
        TensorPrimitives.Multiply(x, Beta, y);
        TensorPrimitives.Sigmoid(y, y);
        TensorPrimitives.Multiply(x, y, y);
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op cosh: Out = cosh X.
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class CoshKernel(int x, int output, CoshOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new CoshKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "cosh");
}

/// <summary>The scalar form of <c>cosh</c> (plain loop; no model needs it fast yet).</summary>
internal struct CoshOp : IUnaryOp
{
    public readonly float Invoke(float x) => MathF.Cosh(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

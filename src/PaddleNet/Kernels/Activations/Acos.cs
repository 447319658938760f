using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op acos: Out = arccos X (NaN outside [−1, 1]).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class AcosKernel(int x, int output, AcosOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        return new AcosKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), default);
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "acos");
}

/// <summary>The scalar form of <c>acos</c> (plain loop; no model needs it fast yet).</summary>
internal struct AcosOp : IUnaryOp
{
    public readonly float Invoke(float x) => MathF.Acos(x);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

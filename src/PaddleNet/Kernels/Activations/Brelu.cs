using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op brelu: Out = min(max(X, t_min), t_max). Attributes: t_min (0), t_max (24).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class BreluKernel(int x, int output, BreluOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        return new BreluKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), new BreluOp { TMin = a.GetFloat("t_min", 0f), TMax = a.GetFloat("t_max", 24f) });
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "brelu");
}

/// <summary>The scalar form of <c>brelu</c> (plain loop; no model needs it fast yet).</summary>
internal struct BreluOp : IUnaryOp
{
    public float TMin;
    public float TMax;

    public readonly float Invoke(float x) => Math.Min(Math.Max(x, TMin), TMax);

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op softplus: Out = X if beta·X &gt; threshold, else log(1 + e^(beta·X)) / beta.
/// Attributes: beta (1.0), threshold (20.0).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class SoftplusKernel(int x, int output, SoftplusOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        return new SoftplusKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), new SoftplusOp { Beta = a.GetFloat("beta", 1f), Threshold = a.GetFloat("threshold", 20f) });
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "softplus");
}

/// <summary>The scalar and fast forms of <c>softplus</c>.</summary>
internal struct SoftplusOp : IUnaryOp
{
    public float Beta;
    public float Threshold;

    public readonly float Invoke(float x) => Beta * x > Threshold ? x : (float)Math.Log(1.0 + (double)MathF.Exp(Beta * x)) / Beta;

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Reference(this, x, y);
}

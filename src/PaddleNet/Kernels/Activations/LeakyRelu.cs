using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op leaky_relu: Out = X &gt; 0 ? X : alpha·X.
/// Attributes: alpha (0.02; PIR negative_slope).
/// X (float32) → Out (same shape).
/// </summary>
internal sealed class LeakyReluKernel(int x, int output, LeakyReluOp op) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        return new LeakyReluKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), new LeakyReluOp { Alpha = a.GetFloat("alpha", 0.02f) });
    }

    public override void Execute(RunContext ctx) => UnaryDriver.Run(ctx, x, output, op, "leaky_relu");
}

/// <summary>The scalar and fast forms of <c>leaky_relu</c>.</summary>
internal struct LeakyReluOp : IVectorUnaryOp
{
    public float Alpha;

    public readonly float Invoke(float x) => x > 0 ? x : Alpha * x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => TV.Select(TV.GreaterThan(x, TV.Zero), x, x * TV.Create(Alpha));

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

using PaddleNet.Kernels.Activations;
using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle op clip: Out = X &lt; min ? min : (X &gt; max ? max : X). Attributes min, max (floats);
/// optional 1-element inputs Min, Max override them. X float32 → Out.
/// </summary>
internal sealed class ClipKernel(int x, int minTensor, int maxTensor, int output, float min, float max) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new ClipKernel(
        b.RequiredInput("X"), b.Input("Min"), b.Input("Max"), b.RequiredOutput("Out"),
        b.Attrs.GetFloat("min", float.MinValue), b.Attrs.GetFloat("max", float.MaxValue));

    public override void Execute(RunContext ctx)
    {
        float lo = minTensor >= 0 ? (float)ctx.ReadDouble(minTensor, 0) : min;
        float hi = maxTensor >= 0 ? (float)ctx.ReadDouble(maxTensor, 0) : max;
        UnaryDriver.Run(ctx, x, output, new ClipOp { Min = lo, Max = hi }, "clip");
    }
}

/// <summary>The scalar and vector forms of <c>clip</c>.</summary>
internal struct ClipOp : IVectorUnaryOp
{
    public float Min;
    public float Max;

    public readonly float Invoke(float x) => x < Min ? Min : x > Max ? Max : x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float>
    {
        var lo = TV.Create(Min);
        var hi = TV.Create(Max);
        return TV.Select(TV.LessThan(x, lo), lo, TV.Select(TV.GreaterThan(x, hi), hi, x));
    }

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

using PaddleNet.Kernels.Activations;
using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle op scale: bias_after_scale=true → Out = scale·X + bias; false → Out = scale·(X + bias).
/// Attributes scale (1.0; overridden by the optional ScaleTensor input), bias (0.0),
/// bias_after_scale (true). X float32 (int32/int64 computed through double and truncated) → Out.
/// </summary>
internal sealed class ScaleKernel(int x, int scaleTensor, int output, float scale, float bias, bool biasAfter) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new ScaleKernel(
        b.RequiredInput("X"), b.Input("ScaleTensor"), b.RequiredOutput("Out"),
        b.Attrs.GetFloat("scale", 1f), b.Attrs.GetFloat("bias", 0f), b.Attrs.GetBool("bias_after_scale", true));

    public override void Execute(RunContext ctx)
    {
        float s = scaleTensor >= 0 ? (float)ctx.ReadDouble(scaleTensor, 0) : scale;
        switch (ctx.Type(x))
        {
            case DataType.Float32:
                UnaryDriver.Run(ctx, x, output, new ScaleOp { Scale = s, Bias = bias, BiasAfter = biasAfter }, "scale");
                break;
            case DataType.Int32:
            {
                var src = ctx.Read<int>(x);
                var dst = ctx.Allocate<int>(output, ctx.Shape(x));
                for (int i = 0; i < src.Length; i++) dst[i] = (int)(biasAfter ? (double)s * src[i] + bias : (double)s * (src[i] + (double)bias));
                break;
            }
            case DataType.Int64:
            {
                var src = ctx.Read<long>(x);
                var dst = ctx.Allocate<long>(output, ctx.Shape(x));
                for (int i = 0; i < src.Length; i++) dst[i] = (long)(biasAfter ? (double)s * src[i] + bias : (double)s * (src[i] + (double)bias));
                break;
            }
            default:
                throw new ShapeMismatchException("scale input X", "float32, int32 or int64", ctx.Type(x).Name(), "scale");
        }
    }
}

/// <summary>The scalar and vector forms of <c>scale</c>.</summary>
internal struct ScaleOp : IVectorUnaryOp
{
    public float Scale;
    public float Bias;
    public bool BiasAfter;

    public readonly float Invoke(float x) => BiasAfter ? Scale * x + Bias : Scale * (x + Bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => BiasAfter
        ? TV.Create(Scale) * x + TV.Create(Bias)
        : TV.Create(Scale) * (x + TV.Create(Bias));

    public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => UnaryDriver.Vectorized(this, x, y);
}

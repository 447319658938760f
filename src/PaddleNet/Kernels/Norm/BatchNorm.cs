using System.Numerics.Tensors;
using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Norm;

/// <summary>
/// Paddle <c>batch_norm</c> / PIR <c>batch_norm_</c>, inference form only (exported models): inputs X, Scale, Bias,
/// Mean, Variance → Y (MeanOut/VarianceOut/Saved* are not written).
/// y = x·a[c] + b[c] with a = scale/sqrt(var+eps), b = bias − mean·a, c = dim 1 (<c>data_layout</c> "NCHW", any rank ≥ 2,
/// also [N, C]) or the last dim ("NHWC"). Attributes epsilon (1e-5), data_layout ("NCHW"); is_test/use_global_stats
/// are assumed (training statistics are never computed). float32.
/// </summary>
internal sealed class BatchNormKernel : Kernel
{
    private readonly int _x, _scale, _bias, _mean, _var, _y;
    private readonly float _eps;
    private readonly bool _nhwc;

    private BatchNormKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _scale = b.RequiredInput("Scale");
        _bias = b.RequiredInput("Bias");
        _mean = b.RequiredInput("Mean");
        _var = b.RequiredInput("Variance");
        _y = b.RequiredOutput("Y");
        _eps = b.Attrs.GetFloat("epsilon", 1e-5f);
        var layout = b.Attrs.GetString("data_layout", "NCHW");
        _nhwc = layout is "NHWC";
        if (!_nhwc && layout is not ("NCHW" or "AnyLayout")) throw b.Unsupported($"data_layout '{layout}'");
    }

    public static Kernel Create(KernelBuilder b) => new BatchNormKernel(b);

    public override unsafe void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        if (xs.Length < 2) throw new ShapeMismatchException("batch_norm X", "rank >= 2", $"rank {xs.Length}");
        int c = _nhwc ? xs[^1] : xs[1];
        foreach (var id in (ReadOnlySpan<int>)[_scale, _bias, _mean, _var])
        {
            if (ctx.ElementCount(id) != c) throw new ShapeMismatchException("batch_norm Scale/Bias/Mean/Variance", $"{c} elements", ctx.ElementCount(id).ToString());
        }
        int n = xs[0];
        long inner = 1;
        for (int d = 2; d < xs.Length; d++) inner *= xs[d];
        if (_nhwc) inner = ctx.ElementCount(_x) / Math.Max(1, (long)c);
        var y = ctx.Allocate<float>(_y, xs);
        var x = ctx.Read<float>(_x);
        fixed (float* px = x, py = y, ps = ctx.Read<float>(_scale), pb = ctx.Read<float>(_bias), pm = ctx.Read<float>(_mean), pv = ctx.Read<float>(_var))
        {
            var body = new Body { X = px, Y = py, Scale = ps, Bias = pb, Mean = pm, Var = pv, Eps = _eps, C = c, Inner = (int)inner, Fast = true };
            if (_nhwc) body.Nhwc((int)inner);
            else ctx.Pool.For(n * c, body, minChunk: Math.Max(1, 16384 / Math.Max(1, (int)inner)));
        }
    }

    /// <summary>Scalar reference for NCHW planes (used by the differential tests).</summary>
    internal static void Reference(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, ReadOnlySpan<float> mean, ReadOnlySpan<float> var, float eps, int n, int c, int inner)
    {
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                float a = scale[ch] / MathF.Sqrt(var[ch] + eps);
                float b = bias[ch] - mean[ch] * a;
                int o = (i * c + ch) * inner;
                for (int k = 0; k < inner; k++) y[o + k] = x[o + k] * a + b;
            }
        }
    }

    internal unsafe struct Body : IParallelBody
    {
        public float* X, Y, Scale, Bias, Mean, Var;
        public float Eps;
        public int C, Inner;
        public bool Fast;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            for (int p = start; p < end; p++)
            {
                int ch = p % C;
                float a = Scale[ch] / MathF.Sqrt(Var[ch] + Eps);
                float b = Bias[ch] - Mean[ch] * a;
                var xs = new ReadOnlySpan<float>(X + (long)p * Inner, Inner);
                var ys = new Span<float>(Y + (long)p * Inner, Inner);
                if (Fast)
                {
                    TensorPrimitives.Multiply(xs, a, ys);
                    TensorPrimitives.Add(ys, b, ys);
                }
                else
                {
                    for (int k = 0; k < Inner; k++) ys[k] = xs[k] * a + b;
                }
            }
        }

        public void Nhwc(int rows)
        {
            for (long r = 0; r < rows; r++)
            {
                for (int ch = 0; ch < C; ch++)
                {
                    float a = Scale[ch] / MathF.Sqrt(Var[ch] + Eps);
                    float b = Bias[ch] - Mean[ch] * a;
                    long i = r * C + ch;
                    Y[i] = X[i] * a + b;
                }
            }
        }
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Norm;

/// <summary>
/// Paddle <c>group_norm</c>: X [N, C, *] (data_layout "NCHW"; "NHWC" = channels last), channels split into <c>groups</c>;
/// per (n, group): μ and biased σ² over its C/groups·HW elements, y = (x − μ)/sqrt(σ² + <c>epsilon</c> (1e-5))·Scale[c] + Bias[c]
/// (Scale/Bias optional [C]). Outputs Y and, when present, Mean/Variance ([N, groups]). float32; statistics in double.
/// </summary>
internal sealed class GroupNormKernel : Kernel
{
    private readonly int _x, _scale, _bias, _y, _mean, _var;
    private readonly int _groups;
    private readonly float _eps;
    private readonly bool _nhwc;

    private GroupNormKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _scale = b.Input("Scale");
        _bias = b.Input("Bias");
        _y = b.RequiredOutput("Y");
        _mean = b.Output("Mean");
        _var = b.Output("Variance");
        _groups = b.Attrs.GetInt("groups", 1);
        if (_groups < 1) throw b.Unsupported($"groups {_groups}");
        _eps = b.Attrs.GetFloat("epsilon", 1e-5f);
        var layout = b.Attrs.GetString("data_layout", "NCHW");
        _nhwc = layout is "NHWC";
        if (!_nhwc && layout is not ("NCHW" or "AnyLayout")) throw b.Unsupported($"data_layout '{layout}'");
    }

    public static Kernel Create(KernelBuilder b) => new GroupNormKernel(b);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        if (xs.Length < 2) throw new ShapeMismatchException("group_norm X", "rank >= 2", $"rank {xs.Length}");
        int n = xs[0];
        int c = _nhwc ? xs[^1] : xs[1];
        if (c % _groups != 0) throw new ShapeMismatchException("group_norm channels", $"a multiple of groups {_groups}", c.ToString());
        long hw = ctx.ElementCount(_x) / Math.Max(1L, (long)n * c);
        int cpg = c / _groups;
        var x = ctx.Read<float>(_x);
        var y = ctx.Allocate<float>(_y, xs);
        Span<int> ms = [n, _groups];
        Span<float> mean = _mean >= 0 ? ctx.Allocate<float>(_mean, ms) : default;
        Span<float> var = _var >= 0 ? ctx.Allocate<float>(_var, ms) : default;
        ReadOnlySpan<float> scale = _scale >= 0 ? ctx.Read<float>(_scale) : default;
        ReadOnlySpan<float> bias = _bias >= 0 ? ctx.Read<float>(_bias) : default;
        for (int i = 0; i < n; i++)
        {
            for (int g = 0; g < _groups; g++)
            {
                double s = 0, s2 = 0;
                for (int cc = g * cpg; cc < (g + 1) * cpg; cc++)
                {
                    for (long k = 0; k < hw; k++)
                    {
                        double v = x[(int)Index(i, cc, k, c, hw)];
                        s += v;
                        s2 += v * v;
                    }
                }
                double cnt = Math.Max(1.0, (double)cpg * hw);
                double m = s / cnt;
                double vr = Math.Max(0.0, s2 / cnt - m * m);
                float mf = (float)m, inv = (float)(1.0 / Math.Sqrt(vr + _eps));
                for (int cc = g * cpg; cc < (g + 1) * cpg; cc++)
                {
                    float sc = scale.Length > 0 ? scale[cc] : 1f;
                    float bi = bias.Length > 0 ? bias[cc] : 0f;
                    for (long k = 0; k < hw; k++)
                    {
                        int idx = (int)Index(i, cc, k, c, hw);
                        y[idx] = (x[idx] - mf) * inv * sc + bi;
                    }
                }
                if (mean.Length > 0) mean[i * _groups + g] = mf;
                if (var.Length > 0) var[i * _groups + g] = (float)vr;
            }
        }
    }

    private long Index(int n, int ch, long k, int c, long hw) => _nhwc ? ((long)n * hw + k) * c + ch : ((long)n * c + ch) * hw + k;
}

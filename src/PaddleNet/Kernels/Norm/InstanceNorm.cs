using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Norm;

/// <summary>
/// Paddle <c>instance_norm</c>: X [N, C, *]; per (n, c): μ and biased σ² over the spatial elements,
/// y = (x − μ)/sqrt(σ² + <c>epsilon</c> (1e-5))·Scale[c] + Bias[c] (Scale/Bias optional [C]).
/// Outputs Y and, when present, SavedMean ([N·C]) and SavedVariance ([N·C], holding 1/sqrt(σ² + eps) as Paddle does). float32.
/// </summary>
internal sealed class InstanceNormKernel : Kernel
{
    private readonly int _x, _scale, _bias, _y, _mean, _var;
    private readonly float _eps;

    private InstanceNormKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _scale = b.Input("Scale");
        _bias = b.Input("Bias");
        _y = b.RequiredOutput("Y");
        _mean = b.Output("SavedMean");
        _var = b.Output("SavedVariance");
        _eps = b.Attrs.GetFloat("epsilon", 1e-5f);
    }

    public static Kernel Create(KernelBuilder b) => new InstanceNormKernel(b);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        if (xs.Length < 2) throw new ShapeMismatchException("instance_norm X", "rank >= 2", $"rank {xs.Length}");
        int n = xs[0], c = xs[1];
        int hw = (int)(ctx.ElementCount(_x) / Math.Max(1L, (long)n * c));
        var x = ctx.Read<float>(_x);
        var y = ctx.Allocate<float>(_y, xs);
        Span<int> ms = [n * c];
        Span<float> mean = _mean >= 0 ? ctx.Allocate<float>(_mean, ms) : default;
        Span<float> var = _var >= 0 ? ctx.Allocate<float>(_var, ms) : default;
        ReadOnlySpan<float> scale = _scale >= 0 ? ctx.Read<float>(_scale) : default;
        ReadOnlySpan<float> bias = _bias >= 0 ? ctx.Read<float>(_bias) : default;
        for (int p = 0; p < n * c; p++)
        {
            int ch = p % c;
            var xr = x.Slice(p * hw, hw);
            var yr = y.Slice(p * hw, hw);
            float s = 0f;
            foreach (var v in xr) s += v;
            float m = hw == 0 ? 0f : s / hw;
            float vr = hw == 0 ? 0f : NormMath.SumSquaredDiffReference(xr, m) / hw;
            float inv = 1f / MathF.Sqrt(vr + _eps);
            float sc = scale.Length > 0 ? scale[ch] : 1f;
            float bi = bias.Length > 0 ? bias[ch] : 0f;
            for (int k = 0; k < hw; k++) yr[k] = (xr[k] - m) * inv * sc + bi;
            if (mean.Length > 0) mean[p] = m;
            if (var.Length > 0) var[p] = inv;
        }
    }
}

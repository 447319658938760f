using System.Numerics.Tensors;
using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Norm;

/// <summary>
/// Paddle <c>layer_norm</c>: X flattened to [prod(dims[:a]), prod(dims[a:])] with a = <c>begin_norm_axis</c> (1; negative
/// counts from the end); each row: μ = mean, σ² = biased variance, y = (x − μ)/sqrt(σ² + <c>epsilon</c> (1e-5))·Scale + Bias,
/// Scale/Bias optional 1-D of the row length. Outputs Y and, when present, Mean/Variance ([rows]). float32.
/// </summary>
internal sealed class LayerNormKernel : Kernel
{
    private readonly int _x, _scale, _bias, _y, _mean, _var;
    private readonly int _axis;
    private readonly float _eps;

    private LayerNormKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _scale = b.Input("Scale");
        _bias = b.Input("Bias");
        _y = b.RequiredOutput("Y");
        _mean = b.Output("Mean");
        _var = b.Output("Variance");
        _axis = b.Attrs.GetInt("begin_norm_axis", 1);
        _eps = b.Attrs.GetFloat("epsilon", 1e-5f);
    }

    public static Kernel Create(KernelBuilder b) => new LayerNormKernel(b);

    public override unsafe void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        int axis = _axis < 0 ? _axis + xs.Length : _axis;
        if (axis < 0 || axis > xs.Length) throw new ShapeMismatchException("layer_norm begin_norm_axis", $"in [0, {xs.Length}]", _axis.ToString());
        long rows = 1, cols = 1;
        for (int d = 0; d < axis; d++) rows *= xs[d];
        for (int d = axis; d < xs.Length; d++) cols *= xs[d];
        if (_scale >= 0 && ctx.ElementCount(_scale) != cols) throw new ShapeMismatchException("layer_norm Scale", $"{cols} elements", ctx.ElementCount(_scale).ToString());
        if (_bias >= 0 && ctx.ElementCount(_bias) != cols) throw new ShapeMismatchException("layer_norm Bias", $"{cols} elements", ctx.ElementCount(_bias).ToString());
        var y = ctx.Allocate<float>(_y, xs);
        Span<int> rs = [(int)rows];
        Span<float> mean = _mean >= 0 ? ctx.Allocate<float>(_mean, rs) : default;
        Span<float> var = _var >= 0 ? ctx.Allocate<float>(_var, rs) : default;
        var x = ctx.Read<float>(_x);
        ReadOnlySpan<float> scale = _scale >= 0 ? ctx.Read<float>(_scale) : default;
        ReadOnlySpan<float> bias = _bias >= 0 ? ctx.Read<float>(_bias) : default;
        fixed (float* px = x, py = y, ps = scale, pb = bias, pm = mean, pv = var)
        {
            var body = new Body { X = px, Y = py, Scale = ps, Bias = pb, Mean = pm, Var = pv, Cols = (int)cols, Eps = _eps, Fast = true };
            ctx.Pool.For((int)rows, body, minChunk: Math.Max(1, 8192 / Math.Max(1, (int)cols)));
        }
    }

    /// <summary>Plain scalar reference over [rows, cols] (Scale/Bias may be empty).</summary>
    internal static void Reference(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, int rows, int cols, float eps)
    {
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * cols, cols);
            float s = 0f;
            foreach (var v in xr) s += v;
            float mean = cols == 0 ? 0f : s / cols;
            float var = cols == 0 ? 0f : NormMath.SumSquaredDiffReference(xr, mean) / cols;
            float inv = 1f / MathF.Sqrt(var + eps);
            NormMath.NormalizeRowReference(xr, y.Slice(r * cols, cols), mean, inv, scale, bias);
        }
    }

    internal unsafe struct Body : IParallelBody
    {
        public float* X, Y, Scale, Bias, Mean, Var;
        public int Cols;
        public float Eps;
        public bool Fast;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            var scale = Scale == null ? default : new ReadOnlySpan<float>(Scale, Cols);
            var bias = Bias == null ? default : new ReadOnlySpan<float>(Bias, Cols);
            for (int r = start; r < end; r++)
            {
                var x = new ReadOnlySpan<float>(X + (long)r * Cols, Cols);
                var y = new Span<float>(Y + (long)r * Cols, Cols);
                float mean, var;
                if (Fast)
                {
                    mean = Cols == 0 ? 0f : TensorPrimitives.Sum(x) / Cols;
                    var = Cols == 0 ? 0f : NormMath.SumSquaredDiff(x, mean) / Cols;
                }
                else
                {
                    float s = 0f;
                    foreach (var v in x) s += v;
                    mean = Cols == 0 ? 0f : s / Cols;
                    var = Cols == 0 ? 0f : NormMath.SumSquaredDiffReference(x, mean) / Cols;
                }
                float inv = 1f / MathF.Sqrt(var + Eps);
                if (Fast) NormMath.NormalizeRow(x, y, mean, inv, scale, bias);
                else NormMath.NormalizeRowReference(x, y, mean, inv, scale, bias);
                if (Mean != null) Mean[r] = mean;
                if (Var != null) Var[r] = var;
            }
        }
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Norm;

/// <summary>
/// Paddle <c>data_norm</c> (CTR models' streaming normalisation), NCHW-agnostic 2-D form: X [N, C], BatchSize, BatchSum,
/// BatchSquareSum [C] → Y [N, C] = (X − mean)·scale with Means = BatchSum/BatchSize and Scales = √(BatchSize/BatchSquareSum)
/// (also output); with <c>enable_scale_and_shift</c>, Y = Y·scale_w + bias. <c>slot_dim</c> &gt; 0 (per-slot zero handling)
/// is refused at load. float32.
/// </summary>
internal sealed class DataNormKernel : Kernel
{
    private readonly int _x, _size, _sum, _sq, _scaleW, _bias, _y, _means, _scales;

    private DataNormKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _size = b.RequiredInput("BatchSize");
        _sum = b.RequiredInput("BatchSum");
        _sq = b.RequiredInput("BatchSquareSum");
        bool affine = b.Attrs.GetBool("enable_scale_and_shift", false);
        _scaleW = affine ? b.RequiredInput("scale_w") : -1;
        _bias = affine ? b.RequiredInput("bias") : -1;
        _y = b.RequiredOutput("Y");
        _means = b.Output("Means");
        _scales = b.Output("Scales");
        if (b.Attrs.GetInt("slot_dim", -1) > 0) throw b.Unsupported("slot_dim > 0 (per-slot normalisation) is not supported");
        var layout = b.Attrs.GetString("data_layout", "NCHW");
        if (layout is not ("NCHW" or "AnyLayout")) throw b.Unsupported($"data_layout '{layout}'");
    }

    public static Kernel Create(KernelBuilder b) => new DataNormKernel(b);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        if (xs.Length != 2) throw new ShapeMismatchException("data_norm X", "[N, C]", $"rank {xs.Length}", "data_norm");
        int n = xs[0], c = xs[1];
        var x = ctx.Read<float>(_x);
        var size = ctx.Read<float>(_size);
        var sum = ctx.Read<float>(_sum);
        var sq = ctx.Read<float>(_sq);
        if (size.Length != c || sum.Length != c || sq.Length != c) throw new ShapeMismatchException("data_norm statistics", $"{c} values each", $"{size.Length}/{sum.Length}/{sq.Length}", "data_norm");
        var y = ctx.Allocate<float>(_y, xs);
        Span<float> means = _means >= 0 ? ctx.Allocate<float>(_means, [c]) : new float[c];
        Span<float> scales = _scales >= 0 ? ctx.Allocate<float>(_scales, [c]) : new float[c];
        for (int j = 0; j < c; j++)
        {
            means[j] = sum[j] / size[j];
            scales[j] = MathF.Sqrt(size[j] / sq[j]);
        }
        var sw = _scaleW >= 0 ? ctx.Read<float>(_scaleW) : default;
        var bias = _bias >= 0 ? ctx.Read<float>(_bias) : default;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < c; j++)
            {
                float v = (x[i * c + j] - means[j]) * scales[j];
                if (_scaleW >= 0) v = v * sw[j] + bias[j];
                y[i * c + j] = v;
            }
        }
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>fc</c> (inference/Lite fusion): Input, W [K,N], Bias [N] (optional) → Out =
/// act(flatten(Input)·W + Bias), Input flattened to [∏dims[:in_num_col_dims], K], Out shape
/// dims[:in_num_col_dims] + [N]. Attributes: in_num_col_dims 1, activation_type "" | "relu" (| relu6,
/// leaky_relu), padding_weights false (true: W stored [K+4, N+4], top-left K×N used). float32;
/// a constant W is packed once at load.
/// </summary>
internal sealed unsafe class FcKernel : Kernel
{
    private readonly int _x, _w, _bias, _out, _ncd;
    private readonly bool _padded;
    private readonly FusedActivation _act;
    private readonly float _alpha;
    private readonly float[]? _packed;
    private readonly int[]? _packedShape;

    private FcKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("Input");
        _w = b.RequiredInput("W");
        _bias = b.Input("Bias");
        _out = b.RequiredOutput("Out");
        _ncd = b.Attrs.GetInt("in_num_col_dims", 1);
        _padded = b.Attrs.GetBool("padding_weights", false);
        _act = NnEpilogue.ParseName(b, b.Attrs.GetString("activation_type", ""), out _alpha);
        if (_ncd < 1) throw b.Unsupported("in_num_col_dims < 1");
        if (b.Constant(_w) is { } w && w.DataType == DataType.Float32 && w.Shape.Length == 2)
        {
            _packedShape = w.Shape.ToArray();
            int pad = _padded ? 4 : 0;
            _packed = MulKernel.PackWeights(w.AsSpan<float>(), w.Shape[0] - pad, w.Shape[1] - pad, w.Shape[1]);
        }
    }

    public static Kernel Create(KernelBuilder b) => new FcKernel(b);

    /// <summary>2·K per output element (W is [K, N]).</summary>
    public override double Flops(RunContext ctx)
    {
        var ws = ctx.Shape(_w);
        return ws.Length == 2 ? 2.0 * ctx.ElementCount(_out) * ws[0] : 0;
    }

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        var ws = ctx.Shape(_w);
        if (ws.Length != 2) throw new ShapeMismatchException("fc W", "rank 2", $"rank {ws.Length}");
        if (xs.Length < _ncd) throw new ShapeMismatchException("fc Input", $"rank >= in_num_col_dims {_ncd}", $"rank {xs.Length}");
        int pad = _padded ? 4 : 0;
        int k = ws[0] - pad, n = ws[1] - pad, ldb = ws[1];
        int m = MulKernel.Prod(xs, 0, _ncd), kx = MulKernel.Prod(xs, _ncd, xs.Length);
        if (kx != k) throw new ShapeMismatchException("fc inner dimension", $"{k}", $"{kx}");
        Span<int> shape = stackalloc int[RunContext.MaxRank];
        for (int i = 0; i < _ncd; i++) shape[i] = xs[i];
        shape[_ncd] = n;
        var o = ctx.Allocate<float>(_out, shape[..(_ncd + 1)]);
        bool packed = _packed is not null && ws.SequenceEqual(_packedShape);
        fixed (float* px = ctx.Read<float>(_x))
        fixed (float* pw = ctx.Read<float>(_w))
        fixed (float* pp = _packed)
        fixed (float* po = o)
        {
            GemmDriver.Multiply(ctx.Pool, ctx.Scratch, m, n, k, px, k, 1, packed ? pp : null, pw, ldb, 1, po, n);
        }
        ReadOnlySpan<float> bias = default;
        if (_bias >= 0)
        {
            bias = ctx.Read<float>(_bias);
            if (bias.Length != n) throw new ShapeMismatchException("fc Bias", $"{n} elements", $"{bias.Length}");
        }
        for (int i = 0; i < m; i++)
        {
            var row = o.Slice(i * n, n);
            if (!bias.IsEmpty) System.Numerics.Tensors.TensorPrimitives.Add(row, bias, row);
            NnEpilogue.Activate(row, _act, _alpha);
        }
    }
}

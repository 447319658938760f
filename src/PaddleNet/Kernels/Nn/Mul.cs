using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>mul</c>: X, Y → Out. X flattened to [∏dims[:x_num_col_dims], ∏dims[x_num_col_dims:]],
/// Y to [∏dims[:y_num_col_dims], ∏rest]; Out = X·Y reshaped to dims_X[:xn] + dims_Y[yn:].
/// Attributes: x_num_col_dims 1, y_num_col_dims 1. float32; a constant Y is packed once at load.
/// </summary>
internal sealed unsafe class MulKernel : Kernel
{
    private readonly int _x, _y, _out, _xn, _yn;
    private readonly float[]? _packed;
    private readonly int[]? _packedShape;

    private MulKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _y = b.RequiredInput("Y");
        _out = b.RequiredOutput("Out");
        _xn = b.Attrs.GetInt("x_num_col_dims", 1);
        _yn = b.Attrs.GetInt("y_num_col_dims", 1);
        if (_xn < 1 || _yn < 1) throw b.Unsupported("num_col_dims < 1");
        if (b.Constant(_y) is { } y && y.DataType == DataType.Float32 && y.Shape.Length > _yn)
        {
            _packedShape = y.Shape.ToArray();
            _packed = PackWeights(y.AsSpan<float>(), Prod(_packedShape, 0, _yn), Prod(_packedShape, _yn, _packedShape.Length), Prod(_packedShape, _yn, _packedShape.Length));
        }
    }

    /// <summary>Packs a row-major [K, N] weight (leading dimension ldb) once.</summary>
    internal static float[] PackWeights(ReadOnlySpan<float> w, int k, int n, int ldb)
    {
        var packed = GC.AllocateUninitializedArray<float>(Math.Max(1, Sgemm.PackedBSize(k, n)), pinned: true);
        fixed (float* src = w)
        fixed (float* dst = packed)
        {
            Sgemm.PackB(src, ldb, 1, k, n, dst);
        }
        return packed;
    }

    internal static int Prod(ReadOnlySpan<int> s, int from, int to)
    {
        int p = 1;
        for (int i = from; i < to; i++) p *= s[i];
        return p;
    }

    public static Kernel Create(KernelBuilder b) => new MulKernel(b);

    /// <summary>2·K per output element, K the product of X's dims from x_num_col_dims on.</summary>
    public override double Flops(RunContext ctx)
    {
        if (!ctx.IsDefined(_x) || !ctx.IsDefined(_out)) return 0;
        var xs = ctx.Shape(_x);
        return xs.Length > _xn ? 2.0 * Prod(xs, _xn, xs.Length) * ctx.ElementCount(_out) : 0;
    }

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        var ys = ctx.Shape(_y);
        if (xs.Length <= _xn || ys.Length <= _yn) throw new ShapeMismatchException("mul operands", $"rank > x_num_col_dims {_xn} / y_num_col_dims {_yn}", $"ranks {xs.Length}, {ys.Length}");
        int m = Prod(xs, 0, _xn), k = Prod(xs, _xn, xs.Length), k2 = Prod(ys, 0, _yn), n = Prod(ys, _yn, ys.Length);
        if (k != k2) throw new ShapeMismatchException("mul inner dimensions", $"{k}", $"{k2}");
        Span<int> shape = stackalloc int[RunContext.MaxRank];
        int rank = 0;
        for (int i = 0; i < _xn; i++) shape[rank++] = xs[i];
        for (int i = _yn; i < ys.Length; i++) shape[rank++] = ys[i];
        var o = ctx.Allocate<float>(_out, shape[..rank]);
        bool packed = _packed is not null && ys.SequenceEqual(_packedShape);
        fixed (float* px = ctx.Read<float>(_x))
        fixed (float* py = ctx.Read<float>(_y))
        fixed (float* pp = _packed)
        fixed (float* po = o)
        {
            GemmDriver.Multiply(ctx.Pool, ctx.Scratch, m, n, k, px, k, 1, packed ? pp : null, py, n, 1, po, n);
        }
    }
}

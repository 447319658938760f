using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>gather</c> (X, Index int32/int64 (, Axis tensor) → Out; attribute <c>axis</c>, default 0) and
/// <c>index_select</c> (X, Index → Out; attribute <c>dim</c>, default 0): out = X with dim <c>axis</c> replaced by Index's
/// dims, out[.., i, ..] = X[.., Index[i], ..]. Negative indices count from the end; out-of-range ones throw. Any X dtype.
/// </summary>
internal sealed class GatherKernel : Kernel
{
    private readonly int _x, _index, _out, _axisTensor, _axis;
    private readonly string _op;

    private GatherKernel(string op, int x, int index, int output, int axisTensor, int axis)
    {
        _op = op;
        _x = x;
        _index = index;
        _out = output;
        _axisTensor = axisTensor;
        _axis = axis;
    }

    public static Kernel Create(KernelBuilder b) => new GatherKernel(
        "gather", b.RequiredInput("X"), b.RequiredInput("Index"), b.RequiredOutput("Out"), b.Input("Axis"), b.Attrs.GetInt("axis", 0));

    public static Kernel CreateIndexSelect(KernelBuilder b) => new GatherKernel(
        "index_select", b.RequiredInput("X"), b.RequiredInput("Index"), b.RequiredOutput("Out"), -1, b.Attrs.GetInt("dim", 0));

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        var index = ctx.Shape(_index);
        int r = input.Length;
        int axis = DataMove.NormAxis(_axisTensor >= 0 ? (int)ctx.ReadInt64(_axisTensor, 0) : _axis, r, $"{_op} axis");
        if (_op == "index_select" && index.Length > 1) throw new ShapeMismatchException("index_select Index", "a 1-D tensor", $"rank {index.Length}");
        int rank = r - 1 + index.Length;
        if (rank > RunContext.MaxRank) throw new ShapeMismatchException($"{_op} result", $"rank <= {RunContext.MaxRank}", rank.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Span<int> shape = stackalloc int[rank];
        int k = 0;
        for (int i = 0; i < axis; i++) shape[k++] = input[i];
        foreach (var d in index) shape[k++] = d;
        for (int i = axis + 1; i < r; i++) shape[k++] = input[i];
        var type = ctx.Type(_x);
        int es = type.SizeOf();
        var dst = ctx.AllocateBytes(_out, type, shape);
        var src = ctx.ReadBytes(_x);
        long outer = DataMove.Product(input, 0, axis), inner = DataMove.Product(input, axis + 1) * es;
        int dim = input[axis];
        int n = (int)ctx.ElementCount(_index);
        long o = 0;
        for (long a = 0; a < outer; a++)
        {
            long baseOff = a * dim * inner;
            for (int i = 0; i < n; i++)
            {
                long j = ctx.ReadInt64(_index, i);
                if (j < 0) j += dim;
                if (j < 0 || j >= dim) throw new ShapeMismatchException($"{_op} Index", $"values in [-{dim}, {dim})", ctx.ReadInt64(_index, i).ToString(System.Globalization.CultureInfo.InvariantCulture));
                src.Slice((int)(baseOff + j * inner), (int)inner).CopyTo(dst.Slice((int)o, (int)inner));
                o += inner;
            }
        }
    }
}

/// <summary>
/// Paddle <c>gather_nd</c>: X, Index (int32/int64, last dim k ≤ rank X) → Out of shape Index.shape[:-1] + X.shape[k:],
/// each entry the X slice at the k-tuple (negative entries count from the end). Any X dtype.
/// </summary>
internal sealed class GatherNdKernel : Kernel
{
    private readonly int _x, _index, _out;

    private GatherNdKernel(int x, int index, int output)
    {
        _x = x;
        _index = index;
        _out = output;
    }

    public static Kernel Create(KernelBuilder b) => new GatherNdKernel(b.RequiredInput("X"), b.RequiredInput("Index"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        var index = ctx.Shape(_index);
        int r = input.Length;
        int k = index.Length == 0 ? 0 : index[^1];
        if (k > r) throw new ShapeMismatchException("gather_nd Index", $"last dim <= {r}", k.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int rank = Math.Max(index.Length - 1, 0) + r - k;
        Span<int> shape = stackalloc int[rank];
        int p = 0;
        for (int i = 0; i < index.Length - 1; i++) shape[p++] = index[i];
        for (int i = k; i < r; i++) shape[p++] = input[i];
        var type = ctx.Type(_x);
        int es = type.SizeOf();
        var dst = ctx.AllocateBytes(_out, type, shape);
        var src = ctx.ReadBytes(_x);
        Span<long> strides = stackalloc long[RunContext.MaxRank];
        DataMove.Strides(input, strides[..r]);
        long slice = DataMove.Product(input, k) * es;
        long count = index.Length == 0 ? 1 : DataMove.Product(index, 0, index.Length - 1);
        for (long t = 0; t < count; t++)
        {
            long off = 0;
            for (int j = 0; j < k; j++)
            {
                long v = ctx.ReadInt64(_index, (int)(t * k + j));
                if (v < 0) v += input[j];
                if (v < 0 || v >= input[j]) throw new ShapeMismatchException("gather_nd Index", $"values in [-{input[j]}, {input[j]})", v.ToString(System.Globalization.CultureInfo.InvariantCulture));
                off += v * strides[j];
            }
            src.Slice((int)(off * es), (int)slice).CopyTo(dst.Slice((int)(t * slice), (int)slice));
        }
    }
}

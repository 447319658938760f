using System.Numerics;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Paddle <c>top_k_v2</c> (PIR <c>topk</c>): the k largest (or smallest) values along <c>axis</c> and their int64 indices.
/// Attributes <c>k</c> (1; or the K tensor input), <c>axis</c> (−1), <c>largest</c> (true), <c>sorted</c> (true).
/// Reproduces Paddle's CPU kernel exactly, including the order of equal values: when k·64 &lt; n it is
/// std::partial_sort, otherwise std::nth_element at k−1 followed (if sorted) by std::sort of the first k−1 —
/// both unstable (see <see cref="StdAlgorithms"/>). Dtypes float32, float64, int32, int64.
/// </summary>
internal sealed class TopKV2Kernel : Kernel
{
    private readonly int _x;
    private readonly int _kTensor;
    private readonly int _out;
    private readonly int _indices;
    private readonly int _k;
    private readonly long _axis;
    private readonly bool _largest;
    private readonly bool _sorted;

    private TopKV2Kernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _kTensor = b.Input("K");
        _out = b.RequiredOutput("Out");
        _indices = b.RequiredOutput("Indices");
        _k = b.Attrs.GetInt("k", 1);
        _axis = b.Attrs.GetLong("axis", -1);
        _largest = b.Attrs.GetBool("largest", true);
        _sorted = b.Attrs.GetBool("sorted", true);
    }

    public static Kernel Create(KernelBuilder b) => new TopKV2Kernel(b);

    public override void Execute(RunContext ctx)
    {
        switch (ctx.Type(_x))
        {
            case DataType.Float32: Run<float>(ctx); break;
            case DataType.Float64: Run<double>(ctx); break;
            case DataType.Int32: Run<int>(ctx); break;
            case DataType.Int64: Run<long>(ctx); break;
            default: throw new ShapeMismatchException("top_k_v2 X", "float32/float64/int32/int64", ctx.Type(_x).Name());
        }
    }

    private void Run<T>(RunContext ctx) where T : unmanaged, INumber<T>
    {
        var xs = ctx.Shape(_x);
        int rank = xs.Length;
        int k = _kTensor >= 0 ? (int)ctx.ReadInt64(_kTensor, 0) : _k;
        Span<int> os = stackalloc int[RunContext.MaxRank];
        xs.CopyTo(os);
        int axis = AxisRows.Split(xs, _axis, "top_k_v2 axis", out long outer, out int n, out long inner);
        if (rank > 0) os[axis] = k;
        if (k < 0 || k > n) throw new ShapeMismatchException("top_k_v2 k", $"in [0, {n}]", k.ToString());
        var src = ctx.Read<T>(_x);
        var y = ctx.Allocate<T>(_out, os[..rank]);
        var ind = ctx.Allocate<long>(_indices, os[..rank]);
        AxisRows.Select(ctx.Scratch, src, y, ind, outer, n, inner, k, new Order<T>(k, _largest, _sorted));
    }

    private readonly struct Order<T>(int k, bool largest, bool sorted) : IRowOrder<T> where T : unmanaged, INumber<T>
    {
        public void Apply(Span<ValueIndex<T>> row) => Select(row, k, largest, sorted);
    }

    /// <summary>Paddle's FullTopK selection on one row: afterwards row[0..k) holds the result in Paddle's order.</summary>
    internal static void Select<T>(Span<ValueIndex<T>> row, int k, bool largest, bool sorted) where T : unmanaged, INumber<T>
    {
        if (k == 0) return;
        if ((long)k * 64 < row.Length)
        {
            StdAlgorithms.PartialSort(row, k, largest);
        }
        else
        {
            StdAlgorithms.NthElement(row, k - 1, largest);
            if (sorted) StdAlgorithms.Sort(row, 0, k - 1, largest);
        }
    }
}

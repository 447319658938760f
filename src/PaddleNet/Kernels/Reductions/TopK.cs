using System.Numerics;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Paddle legacy <c>top_k</c> (v1): X (, K tensor) → Out, Indices (int64): the k largest values along the LAST dim
/// (attribute <c>k</c>, default 1), sorted descending. The v1 CPU kernel always uses std::partial_sort, whose order of
/// equal values <see cref="StdAlgorithms"/> reproduces. float32, float64, int32, int64.
/// </summary>
internal sealed class TopKKernel : Kernel
{
    private readonly int _x, _kTensor, _out, _indices, _k;

    private TopKKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _kTensor = b.Input("K");
        _out = b.RequiredOutput("Out");
        _indices = b.RequiredOutput("Indices");
        _k = b.Attrs.GetInt("k", 1);
    }

    public static Kernel Create(KernelBuilder b) => new TopKKernel(b);

    public override void Execute(RunContext ctx)
    {
        switch (ctx.Type(_x))
        {
            case DataType.Float32: Run<float>(ctx); break;
            case DataType.Float64: Run<double>(ctx); break;
            case DataType.Int32: Run<int>(ctx); break;
            case DataType.Int64: Run<long>(ctx); break;
            default: throw new ShapeMismatchException("top_k X", "float32/float64/int32/int64", ctx.Type(_x).Name(), "top_k");
        }
    }

    private void Run<T>(RunContext ctx) where T : unmanaged, INumber<T>
    {
        var xs = ctx.Shape(_x);
        if (xs.Length == 0) throw new ShapeMismatchException("top_k X", "rank >= 1", "a 0-D tensor", "top_k");
        int n = xs[^1];
        long k = _kTensor >= 0 ? ctx.ReadInt64(_kTensor, 0) : _k;
        if (k < 1 || k > n) throw new ShapeMismatchException("top_k k", $"in [1, {n}]", k.ToString(System.Globalization.CultureInfo.InvariantCulture), "top_k");
        Span<int> os = stackalloc int[xs.Length];
        xs.CopyTo(os);
        os[^1] = (int)k;
        AxisRows.Split(xs, -1, "top_k axis", out long rows, out _, out long inner);
        var src = ctx.Read<T>(_x);
        var y = ctx.Allocate<T>(_out, os);
        var ind = ctx.Allocate<long>(_indices, os);
        AxisRows.Select(ctx.Scratch, src, y, ind, rows, n, inner, (int)k, new Order<T>((int)k));
    }

    /// <summary>The v1 kernel's std::partial_sort of the k largest.</summary>
    private readonly struct Order<T>(int k) : IRowOrder<T> where T : unmanaged, INumber<T>
    {
        public void Apply(Span<ValueIndex<T>> row) => StdAlgorithms.PartialSort(row, k, largest: true);
    }
}

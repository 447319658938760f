using System.Numerics;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Paddle <c>argsort</c>: X → Out (sorted values), Indices (int64) along attribute <c>axis</c> (−1), ascending unless
/// <c>descending</c>; NaN sorts last ascending, first descending. As Paddle's CPU kernel: std::sort on (value, index)
/// pairs (unstable; ties come out in libstdc++'s order, reproduced by <see cref="StdAlgorithms"/>), or a stable sort
/// when <c>stable</c>. float32, float64, int32, int64.
/// </summary>
internal sealed class ArgsortKernel : Kernel
{
    private readonly int _x, _out, _indices, _axis;
    private readonly bool _descending, _stable;

    private ArgsortKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _out = b.Output("Out");
        _indices = b.RequiredOutput("Indices");
        _axis = b.Attrs.GetInt("axis", -1);
        _descending = b.Attrs.GetBool("descending", false);
        _stable = b.Attrs.GetBool("stable", false);
    }

    public static Kernel Create(KernelBuilder b) => new ArgsortKernel(b);

    public override void Execute(RunContext ctx)
    {
        switch (ctx.Type(_x))
        {
            case DataType.Float32: Run<float>(ctx); break;
            case DataType.Float64: Run<double>(ctx); break;
            case DataType.Int32: Run<int>(ctx); break;
            case DataType.Int64: Run<long>(ctx); break;
            default: throw new ShapeMismatchException("argsort X", "float32/float64/int32/int64", ctx.Type(_x).Name(), "argsort");
        }
    }

    private void Run<T>(RunContext ctx) where T : unmanaged, INumber<T>
    {
        var xs = ctx.Shape(_x);
        AxisRows.Split(xs, _axis, "argsort axis", out long outer, out int n, out long inner);
        var src = ctx.Read<T>(_x);
        var y = _out >= 0 ? ctx.Allocate<T>(_out, xs) : default;
        var ind = ctx.Allocate<long>(_indices, xs);
        AxisRows.Select(ctx.Scratch, src, y, ind, outer, n, inner, n, new Order<T>(_stable, _descending));
    }

    private readonly struct Order<T>(bool stable, bool descending) : IRowOrder<T> where T : unmanaged, INumber<T>
    {
        public void Apply(Span<ValueIndex<T>> row)
        {
            if (stable) StableSort(row, descending);
            else StdAlgorithms.Sort(row, 0, row.Length, descending);
        }
    }

    /// <summary>std::stable_sort with Paddle's comparator: equal keys keep their index order.</summary>
    private static void StableSort<T>(Span<ValueIndex<T>> row, bool descending) where T : unmanaged, INumber<T> =>
        row.Sort((l, r) =>
        {
            bool ln = T.IsNaN(l.Value), rn = T.IsNaN(r.Value);
            int c;
            if (ln || rn) c = ln == rn ? 0 : ln ? 1 : -1;
            else c = l.Value < r.Value ? -1 : l.Value > r.Value ? 1 : 0;
            if (descending) c = -c;
            return c != 0 ? c : l.Index.CompareTo(r.Index);
        });
}

using System.Numerics;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>How one row is reordered by <see cref="AxisRows.Select{T, TOrder}"/>: afterwards row[0..k) is the result.</summary>
internal interface IRowOrder<T> where T : unmanaged
{
    void Apply(Span<ValueIndex<T>> row);
}

/// <summary>
/// Shared scaffolding of the ops that work on the rows along one axis (argsort, top_k, top_k_v2; cumsum's axis split):
/// X viewed as [outer, n, inner], each of the outer·inner rows gathered as (value, index) pairs, reordered, and its
/// first k entries scattered to Out / Indices viewed as [outer, k, inner].
/// </summary>
internal static class AxisRows
{
    /// <summary>
    /// Splits <paramref name="xs"/> around <paramref name="axis"/> (negative counts from the end) into outer·n·inner and
    /// returns the normalised axis. A 0-D X is one row of one element (axis not checked, returns 0).
    /// </summary>
    public static int Split(ReadOnlySpan<int> xs, long axis, string what, out long outer, out int n, out long inner)
    {
        int rank = xs.Length;
        outer = 1;
        n = 1;
        inner = 1;
        if (rank == 0) return 0;
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ShapeMismatchException(what, $"in [-{rank}, {rank})", axis.ToString(System.Globalization.CultureInfo.InvariantCulture));
        n = xs[(int)a];
        for (int d = 0; d < a; d++) outer *= xs[d];
        for (int d = (int)a + 1; d < rank; d++) inner *= xs[d];
        return (int)a;
    }

    /// <summary>
    /// For every row of <paramref name="src"/> ([outer, n, inner]): gather (value, index along the axis), reorder with
    /// <paramref name="order"/>, write the first <paramref name="k"/> to <paramref name="values"/> (skipped when empty:
    /// the output is optional) and <paramref name="indices"/> ([outer, k, inner]).
    /// </summary>
    public static void Select<T, TOrder>(RunScratch scratch, ReadOnlySpan<T> src, Span<T> values, Span<long> indices, long outer, int n, long inner, int k, TOrder order)
        where T : unmanaged where TOrder : struct, IRowOrder<T>
    {
        bool writeValues = !values.IsEmpty;
        // Rows up to 256 wide live on the stack; wider ones in the run's scratch (no allocation per run).
        using var frame = scratch.Open();
        Span<ValueIndex<T>> row = n <= 256 ? stackalloc ValueIndex<T>[n] : frame.Take<ValueIndex<T>>(n);
        {
            for (long o = 0; o < outer; o++)
            {
                for (long i = 0; i < inner; i++)
                {
                    long baseIn = o * n * inner + i;
                    for (int j = 0; j < n; j++) row[j] = new ValueIndex<T> { Value = src[(int)(baseIn + j * inner)], Index = j };
                    order.Apply(row);
                    long baseOut = o * k * inner + i;
                    for (int j = 0; j < k; j++)
                    {
                        if (writeValues) values[(int)(baseOut + j * inner)] = row[j].Value;
                        indices[(int)(baseOut + j * inner)] = row[j].Index;
                    }
                }
            }
        }
    }
}

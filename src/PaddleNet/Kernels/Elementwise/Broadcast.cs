using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle's legacy elementwise broadcasting (formats.md §5.0): with rank(X) ≥ rank(Y), Y's dims are
/// aligned to X's starting at <c>axis</c> (−1 = right-aligned, numpy), padded with 1s on both sides,
/// then numpy-broadcast; with rank(X) &lt; rank(Y) the roles swap. Trailing 1-dims of the shorter
/// operand are trimmed when it would not fit at <c>axis</c> (old Paddle's trim_trailing_singular_dims).
/// </summary>
internal static class Broadcast
{
    /// <summary>
    /// Aligns both operands to the output rank. Writes the padded shapes of X and Y and the output
    /// shape (each of length <paramref name="rank"/>); throws <see cref="ShapeMismatchException"/> when they do not broadcast.
    /// </summary>
    public static void Align(ReadOnlySpan<int> xs, ReadOnlySpan<int> ys, int axis, Span<int> xa, Span<int> ya, Span<int> outShape, out int rank, string opType)
    {
        bool swap = xs.Length < ys.Length;
        ReadOnlySpan<int> big = swap ? ys : xs;
        ReadOnlySpan<int> small = swap ? xs : ys;
        Span<int> bigA = swap ? ya : xa;
        Span<int> smallA = swap ? xa : ya;
        rank = big.Length;
        int sr = small.Length;
        if (axis == -1 || sr == 0) axis = rank - sr;
        if (axis < 0 || axis + sr > rank)
        {
            // Trim trailing 1s of the shorter operand ([C,1] at axis 1 of a rank-2 X).
            while (sr > 0 && small[sr - 1] == 1 && axis >= 0 && axis + sr > rank) sr--;
            if (axis < 0 || axis + sr > rank)
            {
                throw new ShapeMismatchException($"{opType} operand shapes", $"the shorter shape to fit into [{Fmt(big)}] at axis {axis}", $"[{Fmt(small)}]", opType);
            }
        }
        for (int i = 0; i < rank; i++)
        {
            bigA[i] = big[i];
            smallA[i] = i >= axis && i < axis + sr ? small[i - axis] : 1;
        }
        for (int i = 0; i < rank; i++)
        {
            int a = xa[i], b = ya[i];
            if (a == b || b == 1) outShape[i] = a;
            else if (a == 1) outShape[i] = b;
            else throw new ShapeMismatchException($"{opType} operand shapes", "broadcastable shapes", $"X [{Fmt(xs)}], Y [{Fmt(ys)}] (axis {axis})", opType);
        }
    }

    internal static string Fmt(ReadOnlySpan<int> s) => string.Join(", ", s.ToArray());
}

/// <summary>
/// A broadcast collapsed to the fewest dimensions: consecutive output dims where X and Y have the
/// same broadcast pattern are merged, size-1 dims dropped. The innermost merged dim is walked by a
/// contiguous (vectorisable) loop; the outer dims by an odometer. Stack-only, built per run.
/// </summary>
internal unsafe struct BroadcastPlan
{
    public const int MaxRank = RunContext.MaxRank;

    /// <summary>Number of merged dims (≥ 1).</summary>
    public int Rank;
    public fixed long Dims[MaxRank];
    public fixed long XStrides[MaxRank];
    public fixed long YStrides[MaxRank];
    public long Count;

    /// <summary>Inner dim length and whether X / Y are broadcast (scalar) along it.</summary>
    public long Inner => Dims[Rank - 1];
    public bool XScalarInner => XStrides[Rank - 1] == 0;
    public bool YScalarInner => YStrides[Rank - 1] == 0;

    public static BroadcastPlan Create(ReadOnlySpan<int> xa, ReadOnlySpan<int> ya, ReadOnlySpan<int> outShape)
    {
        var p = default(BroadcastPlan);
        Span<bool> xb = stackalloc bool[MaxRank];
        Span<bool> yb = stackalloc bool[MaxRank];
        long count = 1;
        int r = 0;
        for (int i = 0; i < outShape.Length; i++)
        {
            count *= outShape[i];
            if (outShape[i] == 1) continue;
            bool bx = xa[i] == 1, by = ya[i] == 1;
            if (r > 0 && xb[r - 1] == bx && yb[r - 1] == by)
            {
                p.Dims[r - 1] *= outShape[i];
            }
            else
            {
                p.Dims[r] = outShape[i];
                xb[r] = bx;
                yb[r] = by;
                r++;
            }
        }
        if (r == 0)
        {
            p.Dims[0] = 1;
            xb[0] = false;
            yb[0] = false;
            r = 1;
        }
        p.Rank = r;
        p.Count = count;
        long sx = 1, sy = 1;
        for (int i = r - 1; i >= 0; i--)
        {
            p.XStrides[i] = xb[i] ? 0 : sx;
            p.YStrides[i] = yb[i] ? 0 : sy;
            if (!xb[i]) sx *= p.Dims[i];
            if (!yb[i]) sy *= p.Dims[i];
        }
        return p;
    }

    /// <summary>Offsets of X and Y for the start of output row <paramref name="row"/> (row = index over all but the inner dim).</summary>
    public readonly void RowOffsets(long row, out long xOff, out long yOff)
    {
        xOff = 0;
        yOff = 0;
        for (int d = Rank - 2; d >= 0; d--)
        {
            long dim = Dims[d];
            long idx = row % dim;
            row /= dim;
            xOff += idx * XStrides[d];
            yOff += idx * YStrides[d];
        }
    }
}

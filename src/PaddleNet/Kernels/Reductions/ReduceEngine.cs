using System.Numerics.Tensors;
using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Reductions;

/// <summary>One reduction: identity, fold (applied in input order) and finish (e.g. mean's division).</summary>
internal interface IReducer<T> where T : unmanaged
{
    static abstract T Identity { get; }

    static abstract T Combine(T acc, T x);

    static abstract T Finish(T acc, long count);
}

/// <summary>
/// Shared configuration and engine of the legacy <c>reduce_*</c> ops: attributes <c>dim</c> (ints, default []),
/// <c>keep_dim</c> (false), <c>reduce_all</c> (false; true ignores <c>dim</c>), optional <c>AxisTensor</c> input (PIR),
/// <c>out_dtype</c> (−1; only −1 or X's own dtype is supported).
/// An empty <c>dim</c> reduces everything. Output rank drops the reduced axes unless keep_dim.
/// </summary>
internal abstract class ReduceKernelBase : Kernel
{
    protected readonly int X;
    protected readonly int Out;
    private readonly int _axisTensor;
    private readonly long[] _dims;
    private readonly bool _keep;

    protected bool KeepDim => _keep;
    private readonly bool _all;
    private readonly long _outDtype;

    protected ReduceKernelBase(KernelBuilder b)
    {
        X = b.RequiredInput("X");
        Out = b.RequiredOutput("Out");
        _axisTensor = b.Input("AxisTensor");
        _dims = b.Attrs.Has("dim") ? b.Attrs.GetLongs("dim") : [];
        _keep = b.Attrs.GetBool("keep_dim", false);
        _all = b.Attrs.GetBool("reduce_all", false);
        _outDtype = b.Attrs.GetLong("out_dtype", -1);
        if (!b.Attrs.Has("dim") && b.Attrs.Has("axis"))
        {
            // PIR any/all carry the axes as an ATTRIBUTE named axis (sum/mean/max... take an operand renamed to dim),
            // and the normaliser then derives reduce_all from the missing dim: recompute it from axis.
            _dims = b.Attrs.GetLongs("axis");
            _all = _dims.Length == 0;
        }
    }

    /// <summary>Bit d set = axis d of the input is reduced.</summary>
    protected int Mask(RunContext ctx)
    {
        int rank = ctx.Rank(X);
        int full = rank == 0 ? 0 : (1 << rank) - 1;
        if (_all) return full;
        Span<long> tmp = stackalloc long[RunContext.MaxRank];
        scoped ReadOnlySpan<long> dims = _dims;
        if (_axisTensor >= 0)
        {
            int n = ctx.ReadInt64s(_axisTensor, tmp);
            dims = tmp[..n];
        }
        if (dims.Length == 0) return full;
        int mask = 0;
        foreach (var d0 in dims)
        {
            long d = d0 < 0 ? d0 + rank : d0;
            if (rank == 0 && (d0 == 0 || d0 == -1)) continue;
            if (d < 0 || d >= rank) throw new ShapeMismatchException("reduce dim", $"in [-{rank}, {rank})", d0.ToString());
            mask |= 1 << (int)d;
        }
        return mask;
    }

    protected void Run<T, TOp>(RunContext ctx) where T : unmanaged where TOp : IReducer<T>
    {
        CheckOutDtype(ctx);
        ReduceEngine.Run<T, TOp>(ctx, X, Out, Mask(ctx), _keep, fast: true);
    }

    /// <summary>out_dtype (−1 = same as X) other than X's own type is not implemented: refuse rather than return the wrong dtype.</summary>
    protected void CheckOutDtype(RunContext ctx)
    {
        if (_outDtype < 0) return;
        if (DataTypes.TryFromPaddle((int)_outDtype, out var t) && t == ctx.Type(X)) return;
        throw new ShapeMismatchException("reduce out_dtype", $"-1 or X's dtype {ctx.Type(X).Name()}", _outDtype.ToString());
    }
}

internal static class ReduceEngine
{
    /// <summary>Output shape of a reduction of <paramref name="xs"/> by <paramref name="mask"/>; returns its rank.</summary>
    public static int OutShape(ReadOnlySpan<int> xs, int mask, bool keep, Span<int> os)
    {
        int r = 0;
        for (int d = 0; d < xs.Length; d++)
        {
            if (((mask >> d) & 1) != 0) { if (keep) os[r++] = 1; }
            else os[r++] = xs[d];
        }
        return r;
    }

    public static void Run<T, TOp>(RunContext ctx, int x, int outId, int mask, bool keep, bool fast) where T : unmanaged where TOp : IReducer<T>
    {
        var xs = ctx.Shape(x);
        Span<int> os = stackalloc int[RunContext.MaxRank];
        int orank = OutShape(xs, mask, keep, os);
        var y = ctx.Allocate<T>(outId, os[..orank]);
        var src = ctx.Read<T>(x);
        if (fast && src.Length > 0 && y.Length > 1 && TrailingRows(xs, mask, out long rows, out long r) && rows == y.Length)
        {
            // reduction over the trailing axes: independent rows, split across the intra-op pool
            long count = r;
            unsafe
            {
                fixed (T* px = src, py = y)
                {
                    ctx.Pool.For((int)rows, new RowsBody<T, TOp> { X = px, Y = py, R = (int)r, Count = count }, minChunk: Math.Max(1, 16384 / (int)Math.Max(1, r)));
                }
            }
            return;
        }
        Reduce<T, TOp>(src, xs, mask, y, fast);
    }

    /// <summary>True when the reduced axes (ignoring size-1 axes) are exactly the trailing ones: [rows, r].</summary>
    private static bool TrailingRows(ReadOnlySpan<int> xs, int mask, out long rows, out long r)
    {
        rows = 1;
        r = 1;
        bool inReduced = false;
        for (int d = 0; d < xs.Length; d++)
        {
            bool red = ((mask >> d) & 1) != 0;
            if (red) { inReduced |= xs[d] != 1; r *= xs[d]; }
            else if (xs[d] != 1)
            {
                if (inReduced) return false;
                rows *= xs[d];
            }
        }
        return r > 1;
    }

    private unsafe struct RowsBody<T, TOp> : IParallelBody where T : unmanaged where TOp : IReducer<T>
    {
        public T* X, Y;
        public int R;
        public long Count;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            for (int o = start; o < end; o++)
            {
                var row = new ReadOnlySpan<T>(X + (long)o * R, R);
                if (typeof(T) == typeof(float) && (typeof(TOp) == typeof(SumF) || typeof(TOp) == typeof(MeanF)))
                {
                    float s = TensorPrimitives.Sum(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(row));
                    ((float*)Y)[o] = typeof(TOp) == typeof(MeanF) ? s / Count : s;
                    continue;
                }
                T acc = TOp.Identity;
                for (int i = 0; i < row.Length; i++) acc = TOp.Combine(acc, row[i]);
                Y[o] = TOp.Finish(acc, Count);
            }
        }
    }

    /// <summary>Reduces <paramref name="src"/> (shape <paramref name="xs"/>) over the axes in <paramref name="mask"/> into <paramref name="y"/>.</summary>
    public static void Reduce<T, TOp>(ReadOnlySpan<T> src, ReadOnlySpan<int> xs, int mask, Span<T> y, bool fast) where T : unmanaged where TOp : IReducer<T>
    {
        long count = 1;
        for (int d = 0; d < xs.Length; d++) if (((mask >> d) & 1) != 0) count *= xs[d];
        if (y.Length == 0) return;
        if (src.Length == 0)
        {
            for (int i = 0; i < y.Length; i++) y[i] = TOp.Finish(TOp.Identity, count);
            return;
        }
        // Merge into [outer, R, inner] when the reduced axes (ignoring size-1 axes) are contiguous.
        int first = -1, last = -1;
        bool contiguous = true;
        for (int d = 0; d < xs.Length; d++)
        {
            if (xs[d] == 1 || ((mask >> d) & 1) == 0) continue;
            if (first < 0) first = d;
            else if (last != d - 1)
            {
                // a kept axis of size > 1 in between?
                for (int k = last + 1; k < d; k++) if (xs[k] != 1) contiguous = false;
            }
            last = d;
        }
        if (first < 0)
        {
            for (int i = 0; i < y.Length; i++) y[i] = TOp.Finish(TOp.Combine(TOp.Identity, src[i]), count);
            return;
        }
        if (contiguous)
        {
            long outer = 1, r = 1, inner = 1;
            for (int d = 0; d < first; d++) outer *= xs[d];
            for (int d = first; d <= last; d++) r *= xs[d];
            for (int d = last + 1; d < xs.Length; d++) inner *= xs[d];
            if (inner == 1) ReduceRows<T, TOp>(src, (int)outer, (int)r, y, count, fast);
            else ReduceMiddle<T, TOp>(src, (int)outer, (int)r, (int)inner, y, count);
            return;
        }
        Generic<T, TOp>(src, xs, mask, y, count);
    }

    private static void ReduceRows<T, TOp>(ReadOnlySpan<T> src, int rows, int r, Span<T> y, long count, bool fast) where T : unmanaged where TOp : IReducer<T>
    {
        for (int o = 0; o < rows; o++)
        {
            var row = src.Slice(o * r, r);
            T acc = TOp.Identity;
            for (int i = 0; i < row.Length; i++) acc = TOp.Combine(acc, row[i]);
            y[o] = TOp.Finish(acc, count);
        }
    }

    private static void ReduceMiddle<T, TOp>(ReadOnlySpan<T> src, int outer, int r, int inner, Span<T> y, long count) where T : unmanaged where TOp : IReducer<T>
    {
        for (int o = 0; o < outer; o++)
        {
            var dst = y.Slice(o * inner, inner);
            dst.Fill(TOp.Identity);
            for (int k = 0; k < r; k++)
            {
                var s = src.Slice((o * r + k) * inner, inner);
                for (int i = 0; i < inner; i++) dst[i] = TOp.Combine(dst[i], s[i]);
            }
            for (int i = 0; i < inner; i++) dst[i] = TOp.Finish(dst[i], count);
        }
    }

    /// <summary>Plain reference: walks the input in order, accumulating into the output element each input maps to.</summary>
    public static void Generic<T, TOp>(ReadOnlySpan<T> src, ReadOnlySpan<int> xs, int mask, Span<T> y, long count) where T : unmanaged where TOp : IReducer<T>
    {
        int rank = xs.Length;
        Span<long> ostride = stackalloc long[RunContext.MaxRank];
        long s = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            if (((mask >> d) & 1) != 0) ostride[d] = 0;
            else { ostride[d] = s; s *= xs[d]; }
        }
        y.Fill(TOp.Identity);
        Span<int> idx = stackalloc int[RunContext.MaxRank];
        idx.Clear();
        long off = 0;
        for (int i = 0; i < src.Length; i++)
        {
            y[(int)off] = TOp.Combine(y[(int)off], src[i]);
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++idx[d] < xs[d]) { off += ostride[d]; break; }
                idx[d] = 0;
                off -= ostride[d] * (xs[d] - 1);
            }
        }
        for (int i = 0; i < y.Length; i++) y[i] = TOp.Finish(y[i], count);
    }
}

internal struct SumF : IReducer<float>
{
    public static float Identity => 0f;
    public static float Combine(float a, float x) => a + x;
    public static float Finish(float a, long n) => a;
}

internal struct SumD : IReducer<double>
{
    public static double Identity => 0d;
    public static double Combine(double a, double x) => a + x;
    public static double Finish(double a, long n) => a;
}

internal struct SumI : IReducer<int>
{
    public static int Identity => 0;
    public static int Combine(int a, int x) => unchecked(a + x);
    public static int Finish(int a, long n) => a;
}

internal struct SumL : IReducer<long>
{
    public static long Identity => 0;
    public static long Combine(long a, long x) => unchecked(a + x);
    public static long Finish(long a, long n) => a;
}

internal struct MeanF : IReducer<float>
{
    public static float Identity => 0f;
    public static float Combine(float a, float x) => a + x;
    public static float Finish(float a, long n) => a / n;
}

internal struct MeanD : IReducer<double>
{
    public static double Identity => 0d;
    public static double Combine(double a, double x) => a + x;
    public static double Finish(double a, long n) => a / n;
}

/// <summary>Max keeping the LAST of equal values (max(0, −0) in that order is −0), NaN propagates.</summary>
internal struct MaxF : IReducer<float>
{
    public static float Identity => float.NegativeInfinity;
    public static float Combine(float a, float x) => float.IsNaN(a) ? a : (x >= a || float.IsNaN(x) ? x : a);
    public static float Finish(float a, long n) => a;
}

internal struct MinF : IReducer<float>
{
    public static float Identity => float.PositiveInfinity;
    public static float Combine(float a, float x) => float.IsNaN(a) ? a : (x <= a || float.IsNaN(x) ? x : a);
    public static float Finish(float a, long n) => a;
}

internal struct MaxI : IReducer<int>
{
    public static int Identity => int.MinValue;
    public static int Combine(int a, int x) => x > a ? x : a;
    public static int Finish(int a, long n) => a;
}

internal struct MinI : IReducer<int>
{
    public static int Identity => int.MaxValue;
    public static int Combine(int a, int x) => x < a ? x : a;
    public static int Finish(int a, long n) => a;
}

internal struct MaxL : IReducer<long>
{
    public static long Identity => long.MinValue;
    public static long Combine(long a, long x) => x > a ? x : a;
    public static long Finish(long a, long n) => a;
}

internal struct MinL : IReducer<long>
{
    public static long Identity => long.MaxValue;
    public static long Combine(long a, long x) => x < a ? x : a;
    public static long Finish(long a, long n) => a;
}

internal struct ProdF : IReducer<float>
{
    public static float Identity => 1f;
    public static float Combine(float a, float x) => a * x;
    public static float Finish(float a, long n) => a;
}

internal struct ProdI : IReducer<int>
{
    public static int Identity => 1;
    public static int Combine(int a, int x) => unchecked(a * x);
    public static int Finish(int a, long n) => a;
}

internal struct ProdL : IReducer<long>
{
    public static long Identity => 1;
    public static long Combine(long a, long x) => unchecked(a * x);
    public static long Finish(long a, long n) => a;
}

/// <summary>Logical or over bytes (bool tensors): any non-zero byte is true, output 0/1.</summary>
internal struct AnyB : IReducer<byte>
{
    public static byte Identity => 0;
    public static byte Combine(byte a, byte x) => (byte)(a | (x != 0 ? 1 : 0));
    public static byte Finish(byte a, long n) => a;
}

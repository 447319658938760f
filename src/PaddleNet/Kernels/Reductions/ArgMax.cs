using System.Numerics;
using System.Runtime.Intrinsics;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Shared engine of <c>arg_max</c>/<c>arg_min</c>: attributes <c>axis</c> (0), <c>keepdims</c> (false), <c>flatten</c> (false:
/// true treats X as 1-D and gives a 0-D result, or all-ones rank when keepdims), <c>dtype</c> (3 = int64, 2 = int32).
/// Ties give the FIRST index. X float32/float64/int32/int64.
/// </summary>
internal abstract class ArgReduceKernelBase : Kernel
{
    private readonly int _x;
    private readonly int _out;
    private readonly long _axis;
    private readonly bool _keep;
    private readonly bool _flatten;
    private readonly bool _int32;
    private readonly bool _max;

    protected ArgReduceKernelBase(KernelBuilder b, bool max)
    {
        _x = b.RequiredInput("X");
        _out = b.RequiredOutput("Out");
        _axis = b.Attrs.GetLong("axis", 0);
        _keep = b.Attrs.GetBool("keepdims", false);
        _flatten = b.Attrs.GetBool("flatten", false);
        int dtype = b.Attrs.GetInt("dtype", 3);
        if (dtype != 2 && dtype != 3 && dtype != -1) throw b.Unsupported($"dtype {dtype} (only 2 = int32, 3 = int64)");
        _int32 = dtype == 2;
        _max = max;
    }

    public override void Execute(RunContext ctx)
    {
        switch (ctx.Type(_x))
        {
            case DataType.Float32: Run<float>(ctx); break;
            case DataType.Float64: Run<double>(ctx); break;
            case DataType.Int32: Run<int>(ctx); break;
            case DataType.Int64: Run<long>(ctx); break;
            default: throw new ShapeMismatchException("arg_max/arg_min X", "float32/float64/int32/int64", ctx.Type(_x).Name());
        }
    }

    private void Run<T>(RunContext ctx) where T : unmanaged, INumber<T>
    {
        var xs = ctx.Shape(_x);
        int rank = xs.Length;
        Span<int> os = stackalloc int[RunContext.MaxRank];
        int orank = 0;
        long outer, n, inner;
        if (_flatten || rank == 0)
        {
            if (_keep) for (int d = 0; d < rank; d++) os[orank++] = 1;
            outer = 1; inner = 1; n = 1;
            foreach (var d in xs) n *= d;
        }
        else
        {
            long axis = _axis < 0 ? _axis + rank : _axis;
            if (axis < 0 || axis >= rank) throw new ShapeMismatchException("arg_max/arg_min axis", $"in [-{rank}, {rank})", _axis.ToString());
            outer = 1; inner = 1; n = xs[(int)axis];
            for (int d = 0; d < rank; d++)
            {
                if (d < axis) outer *= xs[d];
                if (d > axis) inner *= xs[d];
                if (d == axis) { if (_keep) os[orank++] = 1; }
                else os[orank++] = xs[d];
            }
        }
        var src = ctx.Read<T>(_x);
        if (typeof(T) == typeof(float) && inner >= 8 && Vector256.IsHardwareAccelerated)
        {
            var xf = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(src);
            if (_int32) ChannelArg(xf, ctx.Allocate<int>(_out, os[..orank]), (int)outer, (int)n, (int)inner, _max, static i => i);
            else ChannelArg(xf, ctx.Allocate<long>(_out, os[..orank]), (int)outer, (int)n, (int)inner, _max, static i => i);
            return;
        }
        if (_int32)
        {
            var y = ctx.Allocate<int>(_out, os[..orank]);
            for (long o = 0; o < outer; o++)
                for (long i = 0; i < inner; i++) y[(int)(o * inner + i)] = (int)ArgIndex(src, o * n * inner + i, n, inner, _max);
        }
        else
        {
            var y = ctx.Allocate<long>(_out, os[..orank]);
            for (long o = 0; o < outer; o++)
                for (long i = 0; i < inner; i++) y[(int)(o * inner + i)] = ArgIndex(src, o * n * inner + i, n, inner, _max);
        }
    }

    /// <summary>
    /// float32 over a non-innermost axis (segmentation heads: arg_max over the channels of [N, C, H, W]): 8 inner positions
    /// per vector walk the n rows together. Same answer as <see cref="ArgIndex{T}"/>: a strictly better value takes the
    /// index, so ties keep the first; the first NaN wins and stays.
    /// </summary>
    internal static void ChannelArg<TIndex>(ReadOnlySpan<float> x, Span<TIndex> y, int outer, int n, int inner, bool max, Func<int, TIndex> convert)
        where TIndex : unmanaged
    {
        Span<int> lanes = stackalloc int[8];
        for (int o = 0; o < outer; o++)
        {
            var block = x.Slice(o * n * inner, n * inner);
            var yo = y.Slice(o * inner, inner);
            int i = 0;
            for (; i + 8 <= inner; i += 8)
            {
                var bv = Vector256.Create(block.Slice(i, 8));
                var bi = Vector256<int>.Zero;
                for (int k = 1; k < n; k++)
                {
                    var v = Vector256.Create(block.Slice(k * inner + i, 8));
                    var better = max ? Vector256.GreaterThan(v, bv) : Vector256.LessThan(v, bv);
                    // NaN: v != v; take it only while the best is not NaN yet.
                    var take = better | (~Vector256.Equals(v, v) & Vector256.Equals(bv, bv));
                    bv = Vector256.ConditionalSelect(take, v, bv);
                    bi = Vector256.ConditionalSelect(take.AsInt32(), Vector256.Create(k), bi);
                }
                bi.CopyTo(lanes);
                for (int l = 0; l < 8; l++) yo[i + l] = convert(lanes[l]);
            }
            for (; i < inner; i++) yo[i] = convert((int)ArgIndex(block, i, n, inner, max));
        }
    }

    /// <summary>First index of the max (or min) of src[start + k·stride], k &lt; n.</summary>
    internal static long ArgIndex<T>(ReadOnlySpan<T> src, long start, long n, long stride, bool max) where T : unmanaged, INumber<T>
    {
        if (n == 0) return 0;
        long best = 0;
        T bv = src[(int)start];
        for (long k = 1; k < n; k++)
        {
            T v = src[(int)(start + k * stride)];
            if (T.IsNaN(bv)) break;
            if (max ? (v > bv || T.IsNaN(v)) : (v < bv || T.IsNaN(v))) { bv = v; best = k; }
        }
        return best;
    }
}

/// <summary>Paddle <c>arg_max</c> (PIR <c>argmax</c>): index of the first maximum along <c>axis</c>; see <see cref="ArgReduceKernelBase"/>.</summary>
internal sealed class ArgMaxKernel : ArgReduceKernelBase
{
    private ArgMaxKernel(KernelBuilder b) : base(b, max: true) { }

    public static Kernel Create(KernelBuilder b) => new ArgMaxKernel(b);
}

using System.Runtime.InteropServices;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Shared helpers of the shape / data-movement family: axis normalisation, contiguous strides,
/// reading shape-like tensor slots, and one strided box copy (any rank, any element size, negative
/// or zero source strides) that every movement kernel reduces to. Allocation-free.
/// </summary>
internal static class DataMove
{
    /// <summary>Largest rank a copy may have after splitting dims (tile doubles the rank).</summary>
    public const int MaxCopyRank = 2 * RunContext.MaxRank;

    public static int NormAxis(int axis, int rank, string what = "axis")
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.Max(rank, 1)) throw new ShapeMismatchException(what, $"in [-{rank}, {rank})", axis.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return a;
    }

    /// <summary>Row-major strides (in elements) of <paramref name="shape"/>.</summary>
    public static void Strides(ReadOnlySpan<int> shape, Span<long> strides)
    {
        long s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }
    }

    public static long Product(ReadOnlySpan<int> shape, int from = 0, int to = -1)
    {
        if (to < 0) to = shape.Length;
        long p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return p;
    }

    /// <summary>
    /// Reads a shape-like operand into <paramref name="dst"/>: a list of 1-element tensors (<paramref name="listIds"/>) wins
    /// over one 1-D tensor (<paramref name="tensorId"/>), which wins over the attribute. Returns the count.
    /// </summary>
    public static int ReadIntArray(RunContext ctx, int[] listIds, int tensorId, long[] attr, Span<long> dst, bool tensorFirst = false)
    {
        if (tensorFirst && tensorId >= 0) return ctx.ReadInt64s(tensorId, dst);
        if (listIds.Length > 0)
        {
            if (listIds.Length > dst.Length) throw new ShapeMismatchException("shape list", $"at most {dst.Length} entries", listIds.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            for (int i = 0; i < listIds.Length; i++) dst[i] = ctx.ReadInt64(listIds[i], 0);
            return listIds.Length;
        }
        if (tensorId >= 0) return ctx.ReadInt64s(tensorId, dst);
        if (attr.Length > dst.Length) throw new ShapeMismatchException("shape attribute", $"at most {dst.Length} entries", attr.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        attr.CopyTo(dst);
        return attr.Length;
    }

    /// <summary>
    /// Copies a box of <paramref name="shape"/>: dst[dOff + Σ i·ds] = src[sOff + Σ i·ss] (strides in elements).
    /// </summary>
    public static void Copy(ReadOnlySpan<byte> src, long sOff, ReadOnlySpan<long> ss, Span<byte> dst, long dOff, ReadOnlySpan<long> ds, ReadOnlySpan<int> shape, int elemSize)
    {
        switch (elemSize)
        {
            case 1: Copy(src, sOff, ss, dst, dOff, ds, shape); break;
            case 2: Copy(MemoryMarshal.Cast<byte, short>(src), sOff, ss, MemoryMarshal.Cast<byte, short>(dst), dOff, ds, shape); break;
            case 4: Copy(MemoryMarshal.Cast<byte, int>(src), sOff, ss, MemoryMarshal.Cast<byte, int>(dst), dOff, ds, shape); break;
            case 8: Copy(MemoryMarshal.Cast<byte, long>(src), sOff, ss, MemoryMarshal.Cast<byte, long>(dst), dOff, ds, shape); break;
            default: throw new ArgumentOutOfRangeException(nameof(elemSize));
        }
    }

    /// <summary>Copy into a contiguous destination of <paramref name="shape"/>.</summary>
    public static void Gather(ReadOnlySpan<byte> src, long sOff, ReadOnlySpan<long> ss, Span<byte> dst, ReadOnlySpan<int> shape, int elemSize)
    {
        Span<long> ds = stackalloc long[MaxCopyRank];
        Strides(shape, ds[..shape.Length]);
        Copy(src, sOff, ss, dst, 0, ds[..shape.Length], shape, elemSize);
    }

    public static void Copy<T>(ReadOnlySpan<T> src, long sOff, ReadOnlySpan<long> ss, Span<T> dst, long dOff, ReadOnlySpan<long> ds, ReadOnlySpan<int> shape) where T : unmanaged
    {
        long total = 1;
        foreach (var d in shape) total *= d;
        if (total == 0) return;
        // Coalesce: drop size-1 dims and merge dims contiguous in both source and destination.
        Span<int> sh = stackalloc int[MaxCopyRank];
        Span<long> s = stackalloc long[MaxCopyRank];
        Span<long> t = stackalloc long[MaxCopyRank];
        int r = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1) continue;
            if (r > 0 && s[r - 1] == ss[i] * shape[i] && t[r - 1] == ds[i] * shape[i])
            {
                sh[r - 1] *= shape[i];
                s[r - 1] = ss[i];
                t[r - 1] = ds[i];
            }
            else
            {
                sh[r] = shape[i];
                s[r] = ss[i];
                t[r] = ds[i];
                r++;
            }
        }
        if (r == 0)
        {
            dst[(int)dOff] = src[(int)sOff];
            return;
        }
        int inner = sh[r - 1];
        long si = s[r - 1], di = t[r - 1];
        Span<int> idx = stackalloc int[MaxCopyRank];
        idx[..r].Clear();
        long outer = total / inner;
        long sp = sOff, dp = dOff;
        for (long k = 0; k < outer; k++)
        {
            if (si == 1 && di == 1)
            {
                src.Slice((int)sp, inner).CopyTo(dst.Slice((int)dp, inner));
            }
            else if (si == 0 && di == 1)
            {
                dst.Slice((int)dp, inner).Fill(src[(int)sp]);
            }
            else
            {
                long a = sp, b = dp;
                for (int j = 0; j < inner; j++)
                {
                    dst[(int)b] = src[(int)a];
                    a += si;
                    b += di;
                }
            }
            for (int d = r - 2; d >= 0; d--)
            {
                sp += s[d];
                dp += t[d];
                if (++idx[d] < sh[d]) break;
                sp -= s[d] * sh[d];
                dp -= t[d] * sh[d];
                idx[d] = 0;
            }
        }
    }

    /// <summary>
    /// The plain scalar reference of <see cref="Copy{T}"/>: one element at a time, every index decomposed from the
    /// flat position, no coalescing. Kept for the differential tests.
    /// </summary>
    public static void CopyReference<T>(ReadOnlySpan<T> src, long sOff, ReadOnlySpan<long> ss, Span<T> dst, long dOff, ReadOnlySpan<long> ds, ReadOnlySpan<int> shape) where T : unmanaged
    {
        long total = 1;
        foreach (var d in shape) total *= d;
        for (long flat = 0; flat < total; flat++)
        {
            long rest = flat, a = sOff, b = dOff;
            for (int i = shape.Length - 1; i >= 0; i--)
            {
                long idx = rest % shape[i];
                rest /= shape[i];
                a += idx * ss[i];
                b += idx * ds[i];
            }
            dst[(int)b] = src[(int)a];
        }
    }

    /// <summary>Fills a typed buffer with <paramref name="value"/> converted to <paramref name="type"/> (float→int truncates).</summary>
    public static void Fill(Span<byte> dst, DataType type, double value)
    {
        switch (type)
        {
            case DataType.Float32: MemoryMarshal.Cast<byte, float>(dst).Fill((float)value); break;
            case DataType.Float64: MemoryMarshal.Cast<byte, double>(dst).Fill(value); break;
            case DataType.Int32: MemoryMarshal.Cast<byte, int>(dst).Fill((int)value); break;
            case DataType.Int64: MemoryMarshal.Cast<byte, long>(dst).Fill((long)value); break;
            case DataType.Int16: MemoryMarshal.Cast<byte, short>(dst).Fill((short)value); break;
            case DataType.Int8: dst.Fill((byte)(sbyte)value); break;
            case DataType.UInt8: dst.Fill((byte)value); break;
            case DataType.Bool: dst.Fill(value != 0 ? (byte)1 : (byte)0); break;
            case DataType.Float16: MemoryMarshal.Cast<byte, Half>(dst).Fill((Half)value); break;
            case DataType.BFloat16: MemoryMarshal.Cast<byte, ushort>(dst).Fill((ushort)(BitConverter.SingleToInt32Bits((float)value) >> 16)); break;
            default: throw new ArgumentOutOfRangeException(nameof(type));
        }
    }

    /// <summary>Paddle's dtype enum (formats.md §1.2) to a <see cref="DataType"/>.</summary>
    public static DataType FromPaddle(KernelBuilder b, long code, string attr = "dtype") =>
        DataTypes.TryFromPaddle((int)code, out var t) ? t : throw b.Unsupported($"{attr} code {code} is not supported");
}

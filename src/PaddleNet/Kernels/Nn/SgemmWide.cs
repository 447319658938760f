using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace PaddleNet.Kernels.Nn;

internal static unsafe partial class Sgemm
{
    /// <summary>
    /// Whether the JIT has 32 vector registers for 128-bit code: NEON on arm64, and x86 with AVX-512 (EVEX
    /// encodes xmm16–31). Only then does the 24-accumulator <see cref="MicroWide{TV}"/> fit without spilling;
    /// SSE/AVX2's 16 registers keep the 12-accumulator strip.
    /// (A property, not a field: <see cref="BestPath"/>'s initialiser in the other file of this partial class reads it.)
    /// </summary>
    internal static bool Has32VectorRegisters => AdvSimd.Arm64.IsSupported || Avx512F.IsSupported;

    /// <summary>The 6×32 tile as NR / (4·lanes) strips of <see cref="MicroWide{TV}"/> (two 6×16 strips at 128 bits), only those starting before column <paramref name="cols"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void TileWide<TV>(int kc, float* a, float* b, float* c, long ldc, bool accumulate, int rows = MR, int cols = NR, long ldb = NR)
        where TV : struct, IVec<TV, float>
    {
        for (int q = 0; q < cols; q += 4 * TV.Count) MicroWide<TV>(kc, a, b + q, c + q, ldc, accumulate, rows, ldb);
    }

    /// <summary>
    /// A 6 × (4·lanes) strip in 24 accumulators (4 B vectors and one broadcast beside them: 29 of 32 registers).
    /// At 128 bits it halves, against <see cref="Micro{TV}"/>'s 6×8 strips, the A broadcasts and the passes over
    /// each packed A slice per tile: 24 FMAs per 4 loads + 6 broadcasts instead of 12 per 2 + 6. Same sums in the
    /// same k order as every other micro-kernel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MicroWide<TV>(int kc, float* a, float* b, float* c, long ldc, bool accumulate, int rows = MR, long ldb = NR)
        where TV : struct, IVec<TV, float>
    {
        int w = TV.Count, w2 = 2 * w, w3 = 3 * w;
        TV c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23;
        TV c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = TV.Zero;
        c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = TV.Zero;
        if (accumulate)
        {
            // Rows past the edge start from zero and are never stored.
            float* p = c;
            if (rows > 0) { c00 = TV.Load(p); c01 = TV.Load(p + w); c02 = TV.Load(p + w2); c03 = TV.Load(p + w3); }
            p += ldc;
            if (rows > 1) { c10 = TV.Load(p); c11 = TV.Load(p + w); c12 = TV.Load(p + w2); c13 = TV.Load(p + w3); }
            p += ldc;
            if (rows > 2) { c20 = TV.Load(p); c21 = TV.Load(p + w); c22 = TV.Load(p + w2); c23 = TV.Load(p + w3); }
            p += ldc;
            if (rows > 3) { c30 = TV.Load(p); c31 = TV.Load(p + w); c32 = TV.Load(p + w2); c33 = TV.Load(p + w3); }
            p += ldc;
            if (rows > 4) { c40 = TV.Load(p); c41 = TV.Load(p + w); c42 = TV.Load(p + w2); c43 = TV.Load(p + w3); }
            p += ldc;
            if (rows > 5) { c50 = TV.Load(p); c51 = TV.Load(p + w); c52 = TV.Load(p + w2); c53 = TV.Load(p + w3); }
        }
        for (int kk = 0; kk < kc; kk++)
        {
            var b0 = TV.Load(b);
            var b1 = TV.Load(b + w);
            var b2 = TV.Load(b + w2);
            var b3 = TV.Load(b + w3);
            var x = Splat<TV>(a);
            c00 = TV.MultiplyAdd(x, b0, c00); c01 = TV.MultiplyAdd(x, b1, c01); c02 = TV.MultiplyAdd(x, b2, c02); c03 = TV.MultiplyAdd(x, b3, c03);
            x = Splat<TV>(a + 1);
            c10 = TV.MultiplyAdd(x, b0, c10); c11 = TV.MultiplyAdd(x, b1, c11); c12 = TV.MultiplyAdd(x, b2, c12); c13 = TV.MultiplyAdd(x, b3, c13);
            x = Splat<TV>(a + 2);
            c20 = TV.MultiplyAdd(x, b0, c20); c21 = TV.MultiplyAdd(x, b1, c21); c22 = TV.MultiplyAdd(x, b2, c22); c23 = TV.MultiplyAdd(x, b3, c23);
            x = Splat<TV>(a + 3);
            c30 = TV.MultiplyAdd(x, b0, c30); c31 = TV.MultiplyAdd(x, b1, c31); c32 = TV.MultiplyAdd(x, b2, c32); c33 = TV.MultiplyAdd(x, b3, c33);
            x = Splat<TV>(a + 4);
            c40 = TV.MultiplyAdd(x, b0, c40); c41 = TV.MultiplyAdd(x, b1, c41); c42 = TV.MultiplyAdd(x, b2, c42); c43 = TV.MultiplyAdd(x, b3, c43);
            x = Splat<TV>(a + 5);
            c50 = TV.MultiplyAdd(x, b0, c50); c51 = TV.MultiplyAdd(x, b1, c51); c52 = TV.MultiplyAdd(x, b2, c52); c53 = TV.MultiplyAdd(x, b3, c53);
            a += MR;
            b += ldb;
        }
        float* o = c;
        if (rows > 0) { TV.Store(c00, o); TV.Store(c01, o + w); TV.Store(c02, o + w2); TV.Store(c03, o + w3); }
        o += ldc;
        if (rows > 1) { TV.Store(c10, o); TV.Store(c11, o + w); TV.Store(c12, o + w2); TV.Store(c13, o + w3); }
        o += ldc;
        if (rows > 2) { TV.Store(c20, o); TV.Store(c21, o + w); TV.Store(c22, o + w2); TV.Store(c23, o + w3); }
        o += ldc;
        if (rows > 3) { TV.Store(c30, o); TV.Store(c31, o + w); TV.Store(c32, o + w2); TV.Store(c33, o + w3); }
        o += ldc;
        if (rows > 4) { TV.Store(c40, o); TV.Store(c41, o + w); TV.Store(c42, o + w2); TV.Store(c43, o + w3); }
        o += ldc;
        if (rows > 5) { TV.Store(c50, o); TV.Store(c51, o + w); TV.Store(c52, o + w2); TV.Store(c53, o + w3); }
    }

    /// <summary>
    /// Two adjacent row blocks × 2 vectors (12×32) in 24 accumulators, the A slices at <paramref name="a"/>
    /// and <paramref name="a2"/>: 24 FMAs per 2 B loads + 12 broadcasts, against the 6×32 strip's 12 per 2 + 6,
    /// and the B slice read once for 12 rows. Both row blocks full. Same sums in the same k order as every other micro-kernel.
    /// Written on Vector512 directly, B first in each multiply-add: the JIT then accumulates in place (vfmadd231);
    /// through the IVec wrapper it copied every accumulator twice per FMA (checked with DOTNET_JitDisasm).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MicroPair512(int kc, float* a, float* a2, float* b, float* c, long ldc, bool accumulate, long ldb = NR)
    {
        const int w = 16;
        Vector512<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        Vector512<float> d00, d01, d10, d11, d20, d21, d30, d31, d40, d41, d50, d51;
        float* c2 = c + 6 * ldc;
        if (accumulate)
        {
            c00 = Vector512.Load(c); c01 = Vector512.Load(c + w);
            c10 = Vector512.Load(c + ldc); c11 = Vector512.Load(c + ldc + w);
            c20 = Vector512.Load(c + 2 * ldc); c21 = Vector512.Load(c + 2 * ldc + w);
            c30 = Vector512.Load(c + 3 * ldc); c31 = Vector512.Load(c + 3 * ldc + w);
            c40 = Vector512.Load(c + 4 * ldc); c41 = Vector512.Load(c + 4 * ldc + w);
            c50 = Vector512.Load(c + 5 * ldc); c51 = Vector512.Load(c + 5 * ldc + w);
            d00 = Vector512.Load(c2); d01 = Vector512.Load(c2 + w);
            d10 = Vector512.Load(c2 + ldc); d11 = Vector512.Load(c2 + ldc + w);
            d20 = Vector512.Load(c2 + 2 * ldc); d21 = Vector512.Load(c2 + 2 * ldc + w);
            d30 = Vector512.Load(c2 + 3 * ldc); d31 = Vector512.Load(c2 + 3 * ldc + w);
            d40 = Vector512.Load(c2 + 4 * ldc); d41 = Vector512.Load(c2 + 4 * ldc + w);
            d50 = Vector512.Load(c2 + 5 * ldc); d51 = Vector512.Load(c2 + 5 * ldc + w);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = Vector512<float>.Zero;
            d00 = d01 = d10 = d11 = d20 = d21 = d30 = d31 = d40 = d41 = d50 = d51 = Vector512<float>.Zero;
        }
        for (int kk = 0; kk < kc; kk++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + w);
            c00 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*a), c00); c01 = Avx512F.FusedMultiplyAdd(b1, Vector512.Create(*a), c01);
            c10 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a + 1)), c10); c11 = Avx512F.FusedMultiplyAdd(b1, Vector512.Create(*(a + 1)), c11);
            c20 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a + 2)), c20); c21 = Avx512F.FusedMultiplyAdd(b1, Vector512.Create(*(a + 2)), c21);
            c30 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a + 3)), c30); c31 = Avx512F.FusedMultiplyAdd(b1, Vector512.Create(*(a + 3)), c31);
            c40 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a + 4)), c40); c41 = Avx512F.FusedMultiplyAdd(b1, Vector512.Create(*(a + 4)), c41);
            c50 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a + 5)), c50); c51 = Avx512F.FusedMultiplyAdd(b1, Vector512.Create(*(a + 5)), c51);
            d00 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*a2), d00); d01 = Avx512F.FusedMultiplyAdd(b1, Vector512.Create(*a2), d01);
            d10 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a2 + 1)), d10); d11 = Avx512F.FusedMultiplyAdd(b1, Vector512.Create(*(a2 + 1)), d11);
            d20 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a2 + 2)), d20); d21 = Avx512F.FusedMultiplyAdd(b1, Vector512.Create(*(a2 + 2)), d21);
            d30 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a2 + 3)), d30); d31 = Avx512F.FusedMultiplyAdd(b1, Vector512.Create(*(a2 + 3)), d31);
            d40 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a2 + 4)), d40); d41 = Avx512F.FusedMultiplyAdd(b1, Vector512.Create(*(a2 + 4)), d41);
            d50 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a2 + 5)), d50); d51 = Avx512F.FusedMultiplyAdd(b1, Vector512.Create(*(a2 + 5)), d51);
            a += MR;
            a2 += MR;
            b += ldb;
        }
        Vector512.Store(c00, c); Vector512.Store(c01, c + w);
        Vector512.Store(c10, c + ldc); Vector512.Store(c11, c + ldc + w);
        Vector512.Store(c20, c + 2 * ldc); Vector512.Store(c21, c + 2 * ldc + w);
        Vector512.Store(c30, c + 3 * ldc); Vector512.Store(c31, c + 3 * ldc + w);
        Vector512.Store(c40, c + 4 * ldc); Vector512.Store(c41, c + 4 * ldc + w);
        Vector512.Store(c50, c + 5 * ldc); Vector512.Store(c51, c + 5 * ldc + w);
        Vector512.Store(d00, c2); Vector512.Store(d01, c2 + w);
        Vector512.Store(d10, c2 + ldc); Vector512.Store(d11, c2 + ldc + w);
        Vector512.Store(d20, c2 + 2 * ldc); Vector512.Store(d21, c2 + 2 * ldc + w);
        Vector512.Store(d30, c2 + 3 * ldc); Vector512.Store(d31, c2 + 3 * ldc + w);
        Vector512.Store(d40, c2 + 4 * ldc); Vector512.Store(d41, c2 + 4 * ldc + w);
        Vector512.Store(d50, c2 + 5 * ldc); Vector512.Store(d51, c2 + 5 * ldc + w);
    }

    /// <summary>
    /// Two adjacent row blocks × 1 vector (12×16) in 12 accumulators, into (or, <paramref name="accumulate"/>, onto) all 12 rows of
    /// <paramref name="c"/> (a scratch tile): an edge panel of at most 16 columns for half the work of a
    /// full strip. Same sums in the same k order as every other micro-kernel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MicroPairNarrow512(int kc, float* a, float* a2, float* b, float* c, long ldc, bool accumulate = true)
    {
        float* c2 = c + 6 * ldc;
        Vector512<float> c0, c1, c2v, c3, c4, c5, d0, d1, d2, d3, d4, d5;
        if (accumulate)
        {
            c0 = Vector512.Load(c); c1 = Vector512.Load(c + ldc); c2v = Vector512.Load(c + 2 * ldc); c3 = Vector512.Load(c + 3 * ldc); c4 = Vector512.Load(c + 4 * ldc); c5 = Vector512.Load(c + 5 * ldc);
            d0 = Vector512.Load(c2); d1 = Vector512.Load(c2 + ldc); d2 = Vector512.Load(c2 + 2 * ldc); d3 = Vector512.Load(c2 + 3 * ldc); d4 = Vector512.Load(c2 + 4 * ldc); d5 = Vector512.Load(c2 + 5 * ldc);
        }
        else
        {
            c0 = c1 = c2v = c3 = c4 = c5 = d0 = d1 = d2 = d3 = d4 = d5 = Vector512<float>.Zero;
        }
        for (int kk = 0; kk < kc; kk++)
        {
            var b0 = Vector512.Load(b);
            c0 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*a), c0);
            c1 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a + 1)), c1);
            c2v = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a + 2)), c2v);
            c3 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a + 3)), c3);
            c4 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a + 4)), c4);
            c5 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a + 5)), c5);
            d0 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*a2), d0);
            d1 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a2 + 1)), d1);
            d2 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a2 + 2)), d2);
            d3 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a2 + 3)), d3);
            d4 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a2 + 4)), d4);
            d5 = Avx512F.FusedMultiplyAdd(b0, Vector512.Create(*(a2 + 5)), d5);
            a += MR;
            a2 += MR;
            b += NR;
        }
        Vector512.Store(c0, c); Vector512.Store(c1, c + ldc); Vector512.Store(c2v, c + 2 * ldc); Vector512.Store(c3, c + 3 * ldc); Vector512.Store(c4, c + 4 * ldc); Vector512.Store(c5, c + 5 * ldc);
        Vector512.Store(d0, c2); Vector512.Store(d1, c2 + ldc); Vector512.Store(d2, c2 + 2 * ldc); Vector512.Store(d3, c2 + 3 * ldc); Vector512.Store(d4, c2 + 4 * ldc); Vector512.Store(d5, c2 + 5 * ldc);
    }

    /// <summary>
    /// Two adjacent row blocks × an edge of at most 4 columns (14×14 planes: 196 = 6·32 + 4) in 3 zmm, 4 rows × 4 columns
    /// each (lane 4·r + j): per k one 128-bit B row broadcast to all four quarters, the 12 A values spread by 3 permutes, 3 FMAs,
    /// where the 12×16 tile spends 12 broadcast loads on 4 useful columns. Into (or, <paramref name="accumulate"/>, onto) columns
    /// 0–3 of the 12 rows of <paramref name="c"/> (a scratch tile); other columns untouched. Same sums in the same k order
    /// as every other micro-kernel. A is read 8 floats at a time (6 used; the last k step, which may end the packed A, reads 6).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MicroPairQuad512(int kc, float* a, float* a2, float* b, float* c, long ldc, bool accumulate)
    {
        Vector512<float> v0, v1, v2;
        if (accumulate)
        {
            v0 = Vector512.Create(Vector256.Create(Vector128.Load(c), Vector128.Load(c + ldc)), Vector256.Create(Vector128.Load(c + 2 * ldc), Vector128.Load(c + 3 * ldc)));
            float* c4 = c + 4 * ldc;
            v1 = Vector512.Create(Vector256.Create(Vector128.Load(c4), Vector128.Load(c4 + ldc)), Vector256.Create(Vector128.Load(c4 + 2 * ldc), Vector128.Load(c4 + 3 * ldc)));
            float* c8 = c + 8 * ldc;
            v2 = Vector512.Create(Vector256.Create(Vector128.Load(c8), Vector128.Load(c8 + ldc)), Vector256.Create(Vector128.Load(c8 + 2 * ldc), Vector128.Load(c8 + 3 * ldc)));
        }
        else
        {
            v0 = v1 = v2 = Vector512<float>.Zero;
        }
        var i0 = Vector512.Create(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
        var i1 = Vector512.Create(4, 4, 4, 4, 5, 5, 5, 5, 16, 16, 16, 16, 17, 17, 17, 17);
        var i2 = Vector512.Create(2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5);
        for (int kk = 0; kk < kc; kk++)
        {
            Vector512<float> la, lb;
            if (kk + 1 < kc)
            {
                la = Vector256.Load(a).ToVector512Unsafe();
                lb = Vector256.Load(a2).ToVector512Unsafe();
            }
            else
            {
                la = Vector256.Create(a[0], a[1], a[2], a[3], a[4], a[5], 0f, 0f).ToVector512Unsafe();
                lb = Vector256.Create(a2[0], a2[1], a2[2], a2[3], a2[4], a2[5], 0f, 0f).ToVector512Unsafe();
            }
            var bq = Avx512F.BroadcastVector128ToVector512(b);
            v0 = Avx512F.FusedMultiplyAdd(bq, Avx512F.PermuteVar16x32(la, i0), v0);
            v1 = Avx512F.FusedMultiplyAdd(bq, Avx512F.PermuteVar16x32x2(la, i1, lb), v1);
            v2 = Avx512F.FusedMultiplyAdd(bq, Avx512F.PermuteVar16x32(lb, i2), v2);
            a += MR;
            a2 += MR;
            b += NR;
        }
        Vector128.Store(v0.GetLower().GetLower(), c); Vector128.Store(v0.GetLower().GetUpper(), c + ldc);
        Vector128.Store(v0.GetUpper().GetLower(), c + 2 * ldc); Vector128.Store(v0.GetUpper().GetUpper(), c + 3 * ldc);
        float* d4 = c + 4 * ldc;
        Vector128.Store(v1.GetLower().GetLower(), d4); Vector128.Store(v1.GetLower().GetUpper(), d4 + ldc);
        Vector128.Store(v1.GetUpper().GetLower(), d4 + 2 * ldc); Vector128.Store(v1.GetUpper().GetUpper(), d4 + 3 * ldc);
        float* d8 = c + 8 * ldc;
        Vector128.Store(v2.GetLower().GetLower(), d8); Vector128.Store(v2.GetLower().GetUpper(), d8 + ldc);
        Vector128.Store(v2.GetUpper().GetLower(), d8 + 2 * ldc); Vector128.Store(v2.GetUpper().GetUpper(), d8 + 3 * ldc);
    }
}

using System.Runtime.CompilerServices;
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
    internal static void TileWide<TV>(int kc, float* a, float* b, float* c, long ldc, bool accumulate, int rows = MR, int cols = NR)
        where TV : struct, IVec<TV, float>
    {
        for (int q = 0; q < cols; q += 4 * TV.Count) MicroWide<TV>(kc, a, b + q, c + q, ldc, accumulate, rows);
    }

    /// <summary>
    /// A 6 × (4·lanes) strip in 24 accumulators (4 B vectors and one broadcast beside them: 29 of 32 registers).
    /// At 128 bits it halves, against <see cref="Micro{TV}"/>'s 6×8 strips, the A broadcasts and the passes over
    /// each packed A slice per tile: 24 FMAs per 4 loads + 6 broadcasts instead of 12 per 2 + 6. Same sums in the
    /// same k order as every other micro-kernel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MicroWide<TV>(int kc, float* a, float* b, float* c, long ldc, bool accumulate, int rows = MR)
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
            b += NR;
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
}

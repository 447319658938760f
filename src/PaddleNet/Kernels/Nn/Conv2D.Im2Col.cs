using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>conv2d's im2col packing into Sgemm B panels (1×1 convs by whole channel rows, other geometries panel by panel).</summary>
internal sealed unsafe partial class Conv2DKernel
{
    /// <summary>
    /// Panels [<paramref name="jb0"/>, <paramref name="jb1"/>) of im2col into <paramref name="d"/> (panel after panel, K·NR
    /// floats each): a 1×1 stride-1 unpadded conv copies each channel row once, left to right, into every panel (the
    /// vector copy of <see cref="PackPointwise{TV}"/>; per panel, 128-byte memmoves from rows far apart ran at ~12 GB/s,
    /// 15% of a 672→112 layer at 14×14, measured with `PaddleNet.Benchmarks --quick pwparts`); other geometries panel by panel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Im2ColPanels(float* x, in ConvGeometry g, int cg, int h, int w, int wo, int hw, int jb0, int jb1, float* d, float* scale = null, int maxBits = 512)
    {
        if (!IsPointwise(g))
        {
            for (int j = jb0; j < jb1; j++) Im2ColPanel(x, g, cg, h, w, wo, hw, j, d + (long)(j - jb0) * Sgemm.NR * cg * g.KH * g.KW, scale);
            return;
        }
        switch (Simd.Width(maxBits))
        {
            case 512: PackPointwise<Vec512<float>>(x, (long)h * w, cg, hw, jb0, jb1, d, scale); break;
            case 256: PackPointwise<Vec256<float>>(x, (long)h * w, cg, hw, jb0, jb1, d, scale); break;
            case 128: PackPointwise<Vec128<float>>(x, (long)h * w, cg, hw, jb0, jb1, d, scale); break;
            default: PackPointwise<Winograd.Vec1>(x, (long)h * w, cg, hw, jb0, jb1, d, scale); break;
        }
    }

    /// <summary>
    /// B panels [jb0, jb1) of a 1×1 conv: row k of panel j = channel k's pixels [j·NR, j·NR + NR) (times scale[k] when
    /// given: one IEEE multiply, as <see cref="ScaledCopy"/>), zeros past <paramref name="hw"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPointwise<TV>(float* x, long plane, int k, int hw, int jb0, int jb1, float* d, float* scale)
        where TV : struct, IVec<TV, float>
    {
        const int NR = Sgemm.NR;
        int v = TV.Count;
        long panelSize = (long)NR * k;
        for (int kk = 0; kk < k; kk++)
        {
            float* src = x + kk * plane;
            float* dk = d + (long)kk * NR;
            var s = TV.Create(scale != null ? scale[kk] : 1f);
            for (int jb = jb0; jb < jb1; jb++)
            {
                float* sp = src + jb * NR;
                float* dp = dk + (jb - jb0) * panelSize;
                int cols = Math.Min(NR, hw - jb * NR), q = 0;
                if (scale != null)
                {
                    for (; q + v <= cols; q += v) TV.Store(TV.Load(sp + q) * s, dp + q);
                    for (; q < cols; q++) dp[q] = sp[q] * scale[kk];
                }
                else
                {
                    for (; q + v <= cols; q += v) TV.Store(TV.Load(sp + q), dp + q);
                    for (; q < cols; q++) dp[q] = sp[q];
                }
                for (; q < NR; q++) dp[q] = 0f;
            }
        }
    }

    /// <summary>Writes panel <paramref name="jb"/> (NR output pixels) of im2col[K = Cg·kh·kw, Ho·Wo] into <paramref name="d"/> (K·NR floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Im2ColPanel(float* x, in ConvGeometry g, int cg, int h, int w, int wo, int hw, int jb, float* d, float* scale = null)
    {
        const int NR = Sgemm.NR;
        if (g.KH == 1 && g.KW == 1 && g.SH == 1 && g.SW == 1 && g.PadTop == 0 && g.PadLeft == 0 && g.PadBottom == 0 && g.PadRight == 0)
        {
            if (scale != null)
            {
                // Channel rows scaled as they are packed: x·s rounded once, as elementwise_mul would.
                int j0 = jb * NR, n0 = Math.Min(NR, hw - j0);
                long plane0 = (long)h * w;
                for (int k = 0; k < cg; k++)
                {
                    float* dk = d + (long)k * NR;
                    ScaledCopy(x + k * plane0 + j0, dk, n0, scale[k]);
                    for (int q = n0; q < NR; q++) dk[q] = 0f;
                }
                return;
            }
            Sgemm.PackBPanel(x, (long)h * w, 1, cg, hw, jb, d);
            return;
        }
        // The panel's NR output pixels split into runs along one output row.
        int* segOy = stackalloc int[NR];
        int* segOx = stackalloc int[NR];
        int* segLen = stackalloc int[NR];
        int* segQ = stackalloc int[NR];
        int p0 = jb * NR;
        int cols = Math.Min(NR, hw - p0);
        int nseg = 0;
        for (int q = 0, oy = p0 / wo, ox = p0 % wo; q < cols; oy++, ox = 0)
        {
            int len = Math.Min(wo - ox, cols - q);
            segOy[nseg] = oy; segOx[nseg] = ox; segLen[nseg] = len; segQ[nseg] = q;
            nseg++;
            q += len;
        }
        long plane = (long)h * w;
        int sw = g.SW;
        for (int ci = 0; ci < cg; ci++)
        {
            float* xc = x + ci * plane;
            for (int ky = 0; ky < g.KH; ky++)
            {
                for (int kx = 0; kx < g.KW; kx++, d += NR)
                {
                    for (int q = cols; q < NR; q++) d[q] = 0f;
                    for (int s = 0; s < nseg; s++)
                    {
                        float* dst = d + segQ[s];
                        int len = segLen[s];
                        int iy = segOy[s] * g.SH - g.PadTop + ky * g.DH;
                        if ((uint)iy >= (uint)h)
                        {
                            for (int t = 0; t < len; t++) dst[t] = 0f;
                            continue;
                        }
                        float* row = xc + (long)iy * w;
                        CopyRow(row, w, segOx[s] * sw - g.PadLeft + kx * g.DW, sw, len, dst);
                    }
                }
            }
        }
    }

    /// <summary>
    /// dst[t] = row[ixs + t·sw] for t &lt; <paramref name="len"/> where 0 ≤ ixs + t·sw &lt; <paramref name="w"/>, else 0: one
    /// im2col row segment (memmove at stride 1, even-lane shuffles at stride 2; exact copies, so every path gives the same bits).
    /// </summary>
    private static void CopyRow(float* row, int w, int ixs, int sw, int len, float* dst)
    {
        // Valid t: 0 <= ixs + t·sw < w.
        int lo = ixs >= 0 ? 0 : Math.Min(len, (-ixs + sw - 1) / sw);
        int hi = w - ixs <= 0 ? 0 : Math.Min(len, (w - ixs + sw - 1) / sw);
        if (hi < lo) hi = lo;
        int t2 = 0;
        for (; t2 < lo; t2++) dst[t2] = 0f;
        if (sw == 1)
        {
            float* src = row + ixs;
            Buffer.MemoryCopy(src + t2, dst + t2, (long)(hi - t2) * sizeof(float), (long)(hi - t2) * sizeof(float));
            t2 = hi;
        }
        else
        {
            if (sw == 2)
            {
                // Even elements of two consecutive vectors; both loads stay inside the row.
                float* src2 = row + ixs;
                if (Avx512F.IsSupported)
                {
                    var idx = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
                    for (; t2 + 16 <= hi && ixs + 2 * t2 + 31 < w; t2 += 16)
                    {
                        Vector512.Store(Avx512F.PermuteVar16x32x2(Vector512.Load(src2 + 2 * t2), idx, Vector512.Load(src2 + 2 * t2 + 16)), dst + t2);
                    }
                }
                if (Sse.IsSupported)
                {
                    for (; t2 + 4 <= hi && ixs + 2 * t2 + 7 < w; t2 += 4)
                    {
                        Vector128.Store(Sse.Shuffle(Vector128.Load(src2 + 2 * t2), Vector128.Load(src2 + 2 * t2 + 4), 0b10_00_10_00), dst + t2);
                    }
                }
                else if (AdvSimd.Arm64.IsSupported)
                {
                    // NEON: UZP1 takes the even lanes of two registers.
                    for (; t2 + 4 <= hi && ixs + 2 * t2 + 7 < w; t2 += 4)
                    {
                        Vector128.Store(AdvSimd.Arm64.UnzipEven(Vector128.Load(src2 + 2 * t2), Vector128.Load(src2 + 2 * t2 + 4)), dst + t2);
                    }
                }
            }
            for (; t2 < hi; t2++) dst[t2] = row[ixs + t2 * sw];
        }
        for (; t2 < len; t2++) dst[t2] = 0f;
    }

    /// <summary>
    /// Columns [q0, q0 + cols) of an im2col panel (rows of NR floats, K = Cg·kh·kw rows) from output pixels
    /// [p0, p0 + cols) of one image; other columns untouched.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Im2ColCols(float* x, in ConvGeometry g, int cg, int h, int w, int wo, int p0, int cols, float* d, int q0, float* scale = null)
    {
        const int NR = Sgemm.NR;
        long plane = (long)h * w;
        int sw = g.SW;
        if (IsPointwise(g))
        {
            // Output pixel p reads input pixel p: one contiguous run per channel.
            for (int ci = 0; ci < cg; ci++)
            {
                float* src = x + ci * plane + p0;
                float* dd = d + (long)ci * NR + q0;
                if (scale != null)
                {
                    ScaledCopy(src, dd, cols, scale[ci]);
                    continue;
                }
                // memmove is vectorised on every platform (a bare Vector256 loop is emulated on 128-bit NEON).
                Buffer.MemoryCopy(src, dd, (long)cols * sizeof(float), (long)cols * sizeof(float));
            }
            return;
        }
        for (int q = 0, oy = p0 / wo, ox = p0 % wo; q < cols; oy++, ox = 0)
        {
            int len = Math.Min(wo - ox, cols - q);
            float* dd = d + q0 + q;
            for (int ci = 0; ci < cg; ci++)
            {
                float* xc = x + ci * plane;
                for (int ky = 0; ky < g.KH; ky++)
                {
                    int iy = oy * g.SH - g.PadTop + ky * g.DH;
                    for (int kx = 0; kx < g.KW; kx++, dd += NR)
                    {
                        if ((uint)iy >= (uint)h)
                        {
                            for (int t = 0; t < len; t++) dd[t] = 0f;
                            continue;
                        }
                        float* row = xc + (long)iy * w;
                        CopyRow(row, w, ox * sw - g.PadLeft + kx * g.DW, sw, len, dd);
                    }
                }
            }
            q += len;
        }
    }

    /// <summary>dst[i] = src[i]·s for i &lt; n (one IEEE multiply each, the same in every vector width and in scalar code).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ScaledCopy(float* src, float* dst, int n, float s)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(s);
            for (; i + 8 <= n; i += 8) Vector256.Store(Vector256.Load(src + i) * vs, dst + i);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var vs = Vector128.Create(s);
            for (; i + 4 <= n; i += 4) Vector128.Store(Vector128.Load(src + i) * vs, dst + i);
        }
        for (; i < n; i++) dst[i] = src[i] * s;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Direct <c>conv2d</c> for few input channels (the RGB stem: 3 → 16, 3×3, stride 2), instead of an im2col of
/// K = Cin·kh·kw ≤ 36 rows feeding a GEMM whose row blocks the handful of output channels fill badly. Work items are
/// (image, strip of output rows): the strip's input rows of every channel are bordered into zero-padded column phases
/// (<see cref="DepthwiseConv2D.BorderFast"/>), so every tap is an in-bounds unit-stride vector load, and each output is
/// then one chain 0 + x·f over k = (ci, ky, kx) in order, as the GEMM path sums it (<see cref="Sgemm"/>'s micro-kernel
/// for K ≤ <see cref="Sgemm.KC"/>; its scalar form for width 0): the results are bit-identical to it. Pixels run in
/// lanes, two vectors of them per broadcast filter value, eight / four / one output channels at a time; the epilogue runs on the strip while it is hot.
/// </summary>
internal static unsafe class SmallInputConv
{
    /// <summary>Largest Cin·kh·kw taken (the tap table lives on the stack).</summary>
    public const int MaxTaps = 128;

    /// <summary>Bordered input floats per strip (all channels; ~24 KB, half of L1).</summary>
    internal const int StripInputFloats = 6144;

    /// <summary>Ungrouped, at most four input channels, K within one GEMM k block, rows wide enough for vectors.</summary>
    public static bool Applies(in ConvGeometry g, int c, int groups, int wo) =>
        groups == 1 && c <= 4 && c * g.KH * g.KW <= Math.Min(MaxTaps, Sgemm.KC) && g.KH * g.KW > 1 && wo >= 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(IntraOpPool pool, RunScratch scratch, float* x, float* f, float* y, int n, int c, int h, int w, int m,
        ConvGeometry g, int ho, int wo, in ConvEpilogue epilogue = default, int maxVector = 16)
    {
        int colsP = (wo - 1) * g.SW + (g.KW - 1) * g.DW + 1;
        int phaseLen = (colsP + g.SW - 1) / g.SW;
        long rowFloats = (long)c * g.SW * phaseLen;
        int extra = (g.KH - 1) * g.DH + 1 - g.SH; // bordered rows = strip·SH + extra
        int strip = (int)Math.Clamp((StripInputFloats / Math.Max(1L, rowFloats) - extra) / g.SH, 1, ho);
        int strips = (ho + strip - 1) / strip;
        var body = new Body
        {
            S = scratch, X = x, F = f, Y = y, C = c, H = h, W = w, M = m, G = g, Ho = ho, Wo = wo, Ep = epilogue,
            MaxVector = maxVector, PhaseLen = phaseLen, Strip = strip, Strips = strips,
        };
        pool.For(n * strips, body, 1);
        GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
    }

    private struct Body : IParallelBody
    {
        public RunScratch S;
        public float* X, F, Y;
        public int C, H, W, M, Ho, Wo, MaxVector, PhaseLen, Strip, Strips;
        public ConvGeometry G;
        public ConvEpilogue Ep;

        [SkipLocalsInit]
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            var g = G;
            int k = C * g.KH * g.KW;
            int rowsMax = (Strip - 1) * g.SH + (g.KH - 1) * g.DH + 1;
            long chanLen = (long)rowsMax * g.SW * PhaseLen;
            float* buf = S.C(C * chanLen + DepthwiseConv2D.Slack);
            // Tap k = (ci, ky, kx) of output (oy, ox) reads buf[oy·rowStep + tapOff[k] + ox].
            int* tapOff = stackalloc int[k];
            for (int ci = 0, t = 0; ci < C; ci++)
            {
                for (int ky = 0; ky < g.KH; ky++)
                {
                    for (int kx = 0; kx < g.KW; kx++, t++)
                    {
                        int off = kx * g.DW;
                        tapOff[t] = (int)(ci * chanLen) + (ky * g.DH * g.SW + off % g.SW) * PhaseLen + off / g.SW;
                    }
                }
            }
            long rowStep = (long)g.SH * g.SW * PhaseLen;
            int hw = Ho * Wo;
            int vec = MaxVector >= 16 && Vector512.IsHardwareAccelerated ? 16
                : MaxVector >= 8 && Vector256.IsHardwareAccelerated ? 8
                : MaxVector >= 4 && Vector128.IsHardwareAccelerated ? 4 : 1;
            for (int item = start; item < end; item++)
            {
                int i = item / Strips, oy0 = item % Strips * Strip;
                int rows = Math.Min(Strip, Ho - oy0);
                // This strip's padded rows: padded row oy0·SH + r is input row oy0·SH + r − PadTop.
                var gs = g;
                gs.PadTop = g.PadTop - oy0 * g.SH;
                int rowsP = (rows - 1) * g.SH + (g.KH - 1) * g.DH + 1;
                for (int ci = 0; ci < C; ci++)
                {
                    DepthwiseConv2D.BorderFast(X + ((long)i * C + ci) * H * W, H, W, gs, rowsP, PhaseLen, buf + ci * chanLen, MaxVector);
                }
                float* yi = Y + (long)i * M * hw + (long)oy0 * Wo;
                switch (vec)
                {
                    case 16: Rows<Vec512<float>>(buf, rowStep, tapOff, k, F, yi, hw, M, rows, Wo); break;
                    case 8: Rows<Vec256<float>>(buf, rowStep, tapOff, k, F, yi, hw, M, rows, Wo); break;
                    case 4: Rows<Vec128<float>>(buf, rowStep, tapOff, k, F, yi, hw, M, rows, Wo); break;
                    default: RowsScalar(buf, rowStep, tapOff, k, F, yi, hw, M, rows, Wo); break;
                }
                if (Ep.Active)
                {
                    for (int o = 0; o < M; o++) Ep.Apply(yi + (long)o * hw, rows * Wo, o);
                }
            }
        }
    }

    /// <summary>
    /// Output rows of one strip, <typeparamref name="TV"/> pixels at a time, eight / four / one output channels per input vector load; channel o
    /// of pixel p is 0 + x_k·f[o, k] summed over k in order (separate chains per channel). A row's last partial vector computes
    /// full width from the bordered buffer (its slack covers the overrun) and stores only the row's lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TV>(float* buf, long rowStep, int* tapOff, int k, float* f, float* y, int hw, int m, int rows, int wo)
        where TV : struct, IVec<TV, float>
    {
        for (int oy = 0; oy < rows; oy++)
        {
            float* r = buf + oy * rowStep;
            float* yr = y + (long)oy * wo;
            int ox = 0;
            // Two vectors of pixels per broadcast filter value (loads, not FMAs, bound these loops): four channels, or
            // eight where the register file holds sixteen accumulators (AVX-512, NEON).
            bool wide = TV.Count == 16 || AdvSimd.Arm64.IsSupported;
            for (; ox + TV.Count < wo; ox += 2 * TV.Count)
            {
                float* p = r + ox, q = p + TV.Count;
                int rem = wo - ox - TV.Count;
                int o = 0;
                for (; wide && o + 8 <= m; o += 8)
                {
                    float* f0 = f + (long)o * k;
                    float* f1 = f0 + k, f2 = f1 + k, f3 = f2 + k, f4 = f3 + k, f5 = f4 + k, f6 = f5 + k, f7 = f6 + k;
                    TV a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero, a4 = TV.Zero, a5 = TV.Zero, a6 = TV.Zero, a7 = TV.Zero;
                    TV b0 = TV.Zero, b1 = TV.Zero, b2 = TV.Zero, b3 = TV.Zero, b4 = TV.Zero, b5 = TV.Zero, b6 = TV.Zero, b7 = TV.Zero;
                    for (int t = 0; t < k; t++)
                    {
                        int to = tapOff[t];
                        var v = TV.Load(p + to);
                        var u = TV.Load(q + to);
                        var c = TV.Create(f0[t]); a0 = TV.MultiplyAdd(c, v, a0); b0 = TV.MultiplyAdd(c, u, b0);
                        c = TV.Create(f1[t]); a1 = TV.MultiplyAdd(c, v, a1); b1 = TV.MultiplyAdd(c, u, b1);
                        c = TV.Create(f2[t]); a2 = TV.MultiplyAdd(c, v, a2); b2 = TV.MultiplyAdd(c, u, b2);
                        c = TV.Create(f3[t]); a3 = TV.MultiplyAdd(c, v, a3); b3 = TV.MultiplyAdd(c, u, b3);
                        c = TV.Create(f4[t]); a4 = TV.MultiplyAdd(c, v, a4); b4 = TV.MultiplyAdd(c, u, b4);
                        c = TV.Create(f5[t]); a5 = TV.MultiplyAdd(c, v, a5); b5 = TV.MultiplyAdd(c, u, b5);
                        c = TV.Create(f6[t]); a6 = TV.MultiplyAdd(c, v, a6); b6 = TV.MultiplyAdd(c, u, b6);
                        c = TV.Create(f7[t]); a7 = TV.MultiplyAdd(c, v, a7); b7 = TV.MultiplyAdd(c, u, b7);
                    }
                    float* yo = yr + (long)o * hw + ox;
                    TV.Store(a0, yo); TV.StorePartial(b0, yo + TV.Count, rem);
                    TV.Store(a1, yo + hw); TV.StorePartial(b1, yo + hw + TV.Count, rem);
                    TV.Store(a2, yo + 2 * hw); TV.StorePartial(b2, yo + 2 * hw + TV.Count, rem);
                    TV.Store(a3, yo + 3 * hw); TV.StorePartial(b3, yo + 3 * hw + TV.Count, rem);
                    TV.Store(a4, yo + 4 * hw); TV.StorePartial(b4, yo + 4 * hw + TV.Count, rem);
                    TV.Store(a5, yo + 5 * hw); TV.StorePartial(b5, yo + 5 * hw + TV.Count, rem);
                    TV.Store(a6, yo + 6 * hw); TV.StorePartial(b6, yo + 6 * hw + TV.Count, rem);
                    TV.Store(a7, yo + 7 * hw); TV.StorePartial(b7, yo + 7 * hw + TV.Count, rem);
                }
                for (; o + 4 <= m; o += 4)
                {
                    float* f0 = f + (long)o * k;
                    float* f1 = f0 + k, f2 = f1 + k, f3 = f2 + k;
                    TV a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero, b0 = TV.Zero, b1 = TV.Zero, b2 = TV.Zero, b3 = TV.Zero;
                    for (int t = 0; t < k; t++)
                    {
                        int to = tapOff[t];
                        var v = TV.Load(p + to);
                        var u = TV.Load(q + to);
                        var c = TV.Create(f0[t]); a0 = TV.MultiplyAdd(c, v, a0); b0 = TV.MultiplyAdd(c, u, b0);
                        c = TV.Create(f1[t]); a1 = TV.MultiplyAdd(c, v, a1); b1 = TV.MultiplyAdd(c, u, b1);
                        c = TV.Create(f2[t]); a2 = TV.MultiplyAdd(c, v, a2); b2 = TV.MultiplyAdd(c, u, b2);
                        c = TV.Create(f3[t]); a3 = TV.MultiplyAdd(c, v, a3); b3 = TV.MultiplyAdd(c, u, b3);
                    }
                    float* yo = yr + (long)o * hw + ox;
                    TV.Store(a0, yo); TV.StorePartial(b0, yo + TV.Count, rem);
                    TV.Store(a1, yo + hw); TV.StorePartial(b1, yo + hw + TV.Count, rem);
                    TV.Store(a2, yo + 2 * hw); TV.StorePartial(b2, yo + 2 * hw + TV.Count, rem);
                    TV.Store(a3, yo + 3 * hw); TV.StorePartial(b3, yo + 3 * hw + TV.Count, rem);
                }
                for (; o < m; o++)
                {
                    float* f0 = f + (long)o * k;
                    TV a0 = TV.Zero, b0 = TV.Zero;
                    for (int t = 0; t < k; t++)
                    {
                        var c = TV.Create(f0[t]);
                        a0 = TV.MultiplyAdd(c, TV.Load(p + tapOff[t]), a0);
                        b0 = TV.MultiplyAdd(c, TV.Load(q + tapOff[t]), b0);
                    }
                    TV.Store(a0, yr + (long)o * hw + ox);
                    TV.StorePartial(b0, yr + (long)o * hw + ox + TV.Count, rem);
                }
            }
            for (; ox < wo; ox += TV.Count)
            {
                float* p = r + ox;
                int rem = wo - ox;
                int o = 0;
                // Eight channels: eight independent chains cover the FMA latency (the sums are k-long chains).
                for (; o + 8 <= m; o += 8)
                {
                    float* f0 = f + (long)o * k;
                    float* f1 = f0 + k, f2 = f1 + k, f3 = f2 + k, f4 = f3 + k, f5 = f4 + k, f6 = f5 + k, f7 = f6 + k;
                    TV a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero, a4 = TV.Zero, a5 = TV.Zero, a6 = TV.Zero, a7 = TV.Zero;
                    for (int t = 0; t < k; t++)
                    {
                        var v = TV.Load(p + tapOff[t]);
                        a0 = TV.MultiplyAdd(TV.Create(f0[t]), v, a0);
                        a1 = TV.MultiplyAdd(TV.Create(f1[t]), v, a1);
                        a2 = TV.MultiplyAdd(TV.Create(f2[t]), v, a2);
                        a3 = TV.MultiplyAdd(TV.Create(f3[t]), v, a3);
                        a4 = TV.MultiplyAdd(TV.Create(f4[t]), v, a4);
                        a5 = TV.MultiplyAdd(TV.Create(f5[t]), v, a5);
                        a6 = TV.MultiplyAdd(TV.Create(f6[t]), v, a6);
                        a7 = TV.MultiplyAdd(TV.Create(f7[t]), v, a7);
                    }
                    float* yo = yr + (long)o * hw + ox;
                    TV.StorePartial(a0, yo, rem);
                    TV.StorePartial(a1, yo + hw, rem);
                    TV.StorePartial(a2, yo + 2 * hw, rem);
                    TV.StorePartial(a3, yo + 3 * hw, rem);
                    TV.StorePartial(a4, yo + 4 * hw, rem);
                    TV.StorePartial(a5, yo + 5 * hw, rem);
                    TV.StorePartial(a6, yo + 6 * hw, rem);
                    TV.StorePartial(a7, yo + 7 * hw, rem);
                }
                for (; o + 4 <= m; o += 4)
                {
                    float* f0 = f + (long)o * k;
                    float* f1 = f0 + k, f2 = f1 + k, f3 = f2 + k;
                    TV a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero;
                    for (int t = 0; t < k; t++)
                    {
                        var v = TV.Load(p + tapOff[t]);
                        a0 = TV.MultiplyAdd(TV.Create(f0[t]), v, a0);
                        a1 = TV.MultiplyAdd(TV.Create(f1[t]), v, a1);
                        a2 = TV.MultiplyAdd(TV.Create(f2[t]), v, a2);
                        a3 = TV.MultiplyAdd(TV.Create(f3[t]), v, a3);
                    }
                    float* yo = yr + (long)o * hw + ox;
                    TV.StorePartial(a0, yo, rem);
                    TV.StorePartial(a1, yo + hw, rem);
                    TV.StorePartial(a2, yo + 2 * hw, rem);
                    TV.StorePartial(a3, yo + 3 * hw, rem);
                }
                for (; o < m; o++)
                {
                    float* f0 = f + (long)o * k;
                    TV a0 = TV.Zero;
                    for (int t = 0; t < k; t++) a0 = TV.MultiplyAdd(TV.Create(f0[t]), TV.Load(p + tapOff[t]), a0);
                    TV.StorePartial(a0, yr + (long)o * hw + ox, rem);
                }
            }
        }
    }

    /// <summary>Scalar form (no SIMD): s += x·f per tap, as the GEMM's scalar micro-kernel.</summary>
    private static void RowsScalar(float* buf, long rowStep, int* tapOff, int k, float* f, float* y, int hw, int m, int rows, int wo)
    {
        for (int o = 0; o < m; o++)
        {
            float* fo = f + (long)o * k;
            for (int oy = 0; oy < rows; oy++)
            {
                float* r = buf + oy * rowStep;
                float* yr = y + (long)o * hw + (long)oy * wo;
                for (int ox = 0; ox < wo; ox++)
                {
                    float s = 0f;
                    for (int t = 0; t < k; t++) s += fo[t] * r[tapOff[t] + ox];
                    yr[ox] = s;
                }
            }
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Direct (implicit-GEMM) dense <c>conv2d</c> with output channels in the vector lanes, for the layers where
/// im2col + GEMM fills its 32-pixel panels badly (7×7 and 14×14 planes) or copies a large im2col (stride 2):
/// a register tile of P consecutive output pixels of one row × two vectors of output channels accumulates, for
/// k = (ci, ky, kx) in order, one broadcast input value per pixel times a packed filter row. The input is first
/// copied per image into a zero-bordered plane split into column phases (<see cref="DepthwiseConv2D.BorderFast"/>),
/// so every tap of every pixel is an in-bounds load at a fixed offset from the tile's base: no im2col. The filter is
/// packed once (<see cref="PackFilter"/>) into panels of <see cref="Panel"/> output channels, k-major. K is blocked by
/// <see cref="KBlock"/> so a panel's slice stays in L1 while every tile of a band of output rows passes over it; the
/// partial sums wait in a per-thread [pixel, Panel] buffer, which the last k block transposes into the NCHW output
/// rows, followed by the fused epilogue. Each output is one chain 0 + x·f over k in increasing order (fused
/// multiply-add per vector width, plain multiply-add at width 0), exactly as <see cref="Sgemm"/> sums the im2col
/// GEMM, so switching a layer between the two paths changes no bit, and neither does the thread count (work items
/// are (output-channel panel, row band), each computed whole by one thread).
/// </summary>
[SkipLocalsInit]
internal static unsafe class DirectConv
{
    /// <summary>Output channels per packed filter panel (four AVX-512 vectors; narrower widths run it in sub-panels).</summary>
    public const int Panel = 64;

    /// <summary>Filter rows (k steps) per block: 32 KB of a panel, in L1 beside the input rows.</summary>
    private const int KBlock = 128;

    /// <summary>Output pixels per band (per-thread partial buffer of BandPixels·Panel floats).</summary>
    private const int BandPixels = 196;

    /// <summary>Whether a conv with this constant filter may run here (checked again per call by <see cref="Applies"/>).</summary>
    public static bool Eligible(int kh, int kw, int groups) => groups == 1 && kh * kw > 1;

    /// <summary>
    /// Per image (never per batch, so an image gives the same bits alone or batched): where the direct kernel beat
    /// im2col + GEMM on ResNet18_vd's layers (`--quick direct`): enough channels both sides, and a strided conv or a
    /// plane of at most 28 columns; from 17 columns on, stride-1 3×3 planes where <paramref name="winograd"/> applies
    /// stay with Winograd (faster there).
    /// </summary>
    public static bool Applies(in ConvGeometry g, int ho, int wo, int c, int m, bool winograd) =>
        c >= 16 && m >= 16 && (g.SW > 1 || wo <= 16 || (wo <= 28 && !winograd));

    /// <summary>Filter [M, K] (K = C·kh·kw) as panels of <see cref="Panel"/> output channels: packed[(p·K + k)·Panel + j] = f[(p·Panel + j)·K + k], zero past M.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] PackFilter(ReadOnlySpan<float> f, int m, int k)
    {
        int panels = (m + Panel - 1) / Panel;
        var packed = GC.AllocateUninitializedArray<float>(Math.Max(1, panels * k * Panel), pinned: true);
        for (int p = 0; p < panels; p++)
        {
            for (int kk = 0; kk < k; kk++)
            {
                int at = (p * k + kk) * Panel;
                for (int j = 0; j < Panel; j++)
                {
                    int o = p * Panel + j;
                    packed[at + j] = o < m ? f[o * k + kk] : 0f;
                }
            }
        }
        return packed;
    }

    /// <summary>
    /// y[N, M, Ho, Wo] = conv(x[N, C, H, W]) with the filter packed by <see cref="PackFilter"/>, then the epilogue.
    /// <paramref name="maxBits"/> caps the vector width (tests; 0 = scalar lanes).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(IntraOpPool pool, RunScratch scratch, float* x, float* packed, float* y, int n, int c, int h, int w, int m,
        in ConvGeometry g, int ho, int wo, in ConvEpilogue ep, int maxBits = 512)
    {
        int colsP = (wo - 1) * g.SW + (g.KW - 1) * g.DW + 1;
        int phaseLen = (colsP + g.SW - 1) / g.SW;
        int rowsP = (ho - 1) * g.SH + (g.KH - 1) * g.DH + 1;
        int rowStride = g.SW * phaseLen;
        // Each channel's bordered plane plus the slack BorderFast may write past it, so channels fill in parallel.
        long chan = ((long)rowsP * rowStride + DepthwiseConv2D.Slack + 15) & ~15L;
        int k = c * g.KH * g.KW;
        float* shared = scratch.Shared(c * chan + k);
        int* toff = (int*)(shared + c * chan);
        for (int ci = 0, t = 0; ci < c; ci++)
        {
            for (int ky = 0; ky < g.KH; ky++)
            {
                for (int kx = 0; kx < g.KW; kx++, t++)
                {
                    int off = kx * g.DW;
                    toff[t] = (int)(ci * chan + (long)ky * g.DH * rowStride + off % g.SW * phaseLen + off / g.SW);
                }
            }
        }
        int bits = Simd.Width(maxBits);
        int bandRows = Math.Clamp(BandPixels / wo, 1, ho);
        var body = new Body
        {
            S = scratch, X = shared, F = packed, Toff = toff, G = g, C = c, M = m, K = k, Ho = ho, Wo = wo, Ep = ep,
            RowStride = rowStride, BandRows = bandRows, Bands = (ho + bandRows - 1) / bandRows, Panels = (m + Panel - 1) / Panel,
            Bits = bits, Quad = bits > 0 && Sgemm.Has32VectorRegisters,
        };
        var border = new BorderBody { G = g, H = h, W = w, RowsP = rowsP, PhaseLen = phaseLen, Chan = chan, Dst = shared, MaxVector = bits / 32 };
        for (int i = 0; i < n; i++)
        {
            border.X = x + (long)i * c * h * w;
            pool.For(c, border, 4);
            body.Y = y + (long)i * m * ho * wo;
            pool.For(body.Panels * body.Bands, body);
        }
        GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
    }

    private struct BorderBody : IParallelBody
    {
        public float* X, Dst;
        public ConvGeometry G;
        public int H, W, RowsP, PhaseLen, MaxVector;
        public long Chan;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            for (int ci = start; ci < end; ci++) DepthwiseConv2D.BorderFast(X + (long)ci * H * W, H, W, G, RowsP, PhaseLen, Dst + ci * Chan, MaxVector);
        }
    }

    private struct Body : IParallelBody
    {
        public RunScratch S;
        public float* X, F, Y;
        public int* Toff;
        public ConvGeometry G;
        public int C, M, K, Ho, Wo, RowStride, BandRows, Bands, Panels, Bits;
        public bool Quad;
        public ConvEpilogue Ep;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            float* buf = S.C((long)BandRows * Wo * Panel);
            for (int item = start; item < end; item++)
            {
                int p = item / Bands, band = item % Bands;
                int oy0 = band * BandRows, oy1 = Math.Min(Ho, oy0 + BandRows);
                float* fp = F + (long)p * K * Panel;
                int valid = Math.Min(Panel, M - p * Panel);
                int bandPixels = (oy1 - oy0) * Wo, tiles = (bandPixels + Math.Min(6, Wo) - 1) / Math.Min(6, Wo);
                int tileSize = bandPixels / tiles, tileExtra = bandPixels % tiles;
                // K in equal blocks of at most KBlock (576 = 5 × 116 rather than 4 × 128 + 64: no short last pass).
                int kStep = (K + (K + KBlock - 1) / KBlock - 1) / ((K + KBlock - 1) / KBlock);
                for (int k0 = 0; k0 < K; k0 += kStep)
                {
                    int kc = Math.Min(kStep, K - k0);
                    int s0 = 0;
                    if (Quad)
                    {
                        // Four-vector sub-panels over the band's pixels in tiles of up to 6 that may wrap onto the next row.
                        int v4 = 4 * (Bits / 32);
                        for (; valid - s0 > v4 / 2; s0 += v4)
                        {
                            for (int t = 0, q = 0; t < tiles; t++)
                            {
                                int np = tileSize + (t < tileExtra ? 1 : 0);
                                int oy = oy0 + q / Wo, ox = q % Wo;
                                float* xs = X + (long)oy * G.SH * RowStride + ox;
                                long delta = (long)G.SH * RowStride - ox;
                                float* fk = fp + (long)k0 * Panel + s0;
                                float* acc = buf + (long)q * Panel + s0;
                                switch (Bits)
                                {
                                    case 512:
                                        // The next k block's rows towards L2, a share per tile (the block's first tile would
                                        // otherwise wait on them from L3: a filter of MBs is read once per call).
                                        int pf0 = 0, pf1 = 0;
                                        if (k0 + kc < K)
                                        {
                                            int kn = Math.Min(kStep, K - k0 - kc);
                                            pf0 = (int)((long)t * kn / tiles);
                                            pf1 = (int)((long)(t + 1) * kn / tiles);
                                        }
                                        Quad512(np, Math.Min(np, Wo - ox), kc, xs, delta, Toff + k0, fk, acc, k0 > 0, fk + (long)(kc + pf0) * Panel, Math.Min(pf1 - pf0, kc));
                                        break;
                                    case 256: Quad<Vec256<float>>(np, Math.Min(np, Wo - ox), kc, xs, delta, Toff + k0, fk, acc, k0 > 0); break;
                                    default: Quad<Vec128<float>>(np, Math.Min(np, Wo - ox), kc, xs, delta, Toff + k0, fk, acc, k0 > 0); break;
                                }
                                q += np;
                            }
                        }
                    }
                    if (s0 < valid)
                    {
                        for (int oy = oy0; oy < oy1; oy++)
                        {
                            float* xrow = X + (long)oy * G.SH * RowStride;
                            float* acc = buf + (long)(oy - oy0) * Wo * Panel + s0;
                            float* fk = fp + (long)k0 * Panel + s0;
                            switch (Bits)
                            {
                                case 512: Row<Vec512<float>>(Wo, valid - s0, kc, xrow, Toff + k0, fk, acc, k0 > 0); break;
                                case 256: Row<Vec256<float>>(Wo, valid - s0, kc, xrow, Toff + k0, fk, acc, k0 > 0); break;
                                case 128: Row<Vec128<float>>(Wo, valid - s0, kc, xrow, Toff + k0, fk, acc, k0 > 0); break;
                                default: Row<Winograd.Vec1>(Wo, valid - s0, kc, xrow, Toff + k0, fk, acc, k0 > 0); break;
                            }
                        }
                    }
                }
                // Transpose the band's [pixel, Panel] sums into the output channels' rows, then the epilogue on them.
                int o1 = valid, len = (oy1 - oy0) * Wo;
                for (int o = 0; o < o1; o++)
                {
                    int ch = p * Panel + o;
                    float* yo = Y + ((long)ch * Ho + oy0) * Wo;
                    float* src = buf + o;
                    for (int q = 0; q < len; q++) yo[q] = src[(long)q * Panel];
                    if (Ep.Active) Ep.Apply(yo, len, ch);
                }
            }
        }
    }

    /// <summary>One output row of <paramref name="wo"/> pixels over <paramref name="valid"/> channels in sub-panels of two vectors × up to 6 pixels (12 at width 0 and 512 bits: 24 accumulators of 32 registers; 10–15% faster on 32-channel layers, measured at 1b28c31), the row cut into near-equal tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row<TV>(int wo, int valid, int kc, float* x, int* toff, float* f, float* acc, bool load)
        where TV : struct, IVec<TV, float>
    {
        int v = TV.Count, max = v == 1 || v == 16 ? 12 : 6;
        int tiles = (wo + max - 1) / max, size = wo / tiles, extra = wo % tiles;
        for (int s = 0; s < valid; s += 2 * v)
        {
            for (int t = 0, ox = 0; t < tiles; t++)
            {
                int np = size + (t < extra ? 1 : 0);
                Pair<TV>(np, kc, x + ox, toff, f + s, acc + (long)ox * Panel + s, load);
                ox += np;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair<TV>(int np, int kc, float* x, int* toff, float* f, float* acc, bool load)
        where TV : struct, IVec<TV, float>
    {
        switch (np)
        {
            case 1: Micro<TV, P1>(kc, x, toff, f, acc, load); break;
            case 2: Micro<TV, P2>(kc, x, toff, f, acc, load); break;
            case 3: Micro<TV, P3>(kc, x, toff, f, acc, load); break;
            case 4: Micro<TV, P4>(kc, x, toff, f, acc, load); break;
            case 5: Micro<TV, P5>(kc, x, toff, f, acc, load); break;
            case 6: Micro<TV, P6>(kc, x, toff, f, acc, load); break;
            case 7: Micro<TV, P7>(kc, x, toff, f, acc, load); break;
            case 8: Micro<TV, P8>(kc, x, toff, f, acc, load); break;
            case 9: Micro<TV, P9>(kc, x, toff, f, acc, load); break;
            case 10: Micro<TV, P10>(kc, x, toff, f, acc, load); break;
            case 11: Micro<TV, P11>(kc, x, toff, f, acc, load); break;
            default: Micro<TV, P12>(kc, x, toff, f, acc, load); break;
        }
    }

    /// <summary>A tile of <paramref name="np"/> (1..6) pixels, the first <paramref name="split"/> on one row and the rest from the next (at <paramref name="delta"/> floats further).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quad<TV>(int np, int split, int kc, float* x, long delta, int* toff, float* f, float* acc, bool load)
        where TV : struct, IVec<TV, float>
    {
        switch (np)
        {
            case 1: Micro4<TV, P1, P1>(kc, x, delta, toff, f, acc, load); break;
            case 2: if (split >= 2) Micro4<TV, P2, P2>(kc, x, delta, toff, f, acc, load); else Micro4<TV, P2, P1>(kc, x, delta, toff, f, acc, load); break;
            case 3: QuadSplit<TV, P3>(split, kc, x, delta, toff, f, acc, load); break;
            case 4: QuadSplit<TV, P4>(split, kc, x, delta, toff, f, acc, load); break;
            case 5: QuadSplit<TV, P5>(split, kc, x, delta, toff, f, acc, load); break;
            default: QuadSplit<TV, P6>(split, kc, x, delta, toff, f, acc, load); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuadSplit<TV, TP>(int split, int kc, float* x, long delta, int* toff, float* f, float* acc, bool load)
        where TV : struct, IVec<TV, float>
        where TP : struct, IPixels
    {
        switch (Math.Min(split, TP.N))
        {
            case 1: Micro4<TV, TP, P1>(kc, x, delta, toff, f, acc, load); break;
            case 2: Micro4<TV, TP, P2>(kc, x, delta, toff, f, acc, load); break;
            case 3: Micro4<TV, TP, P3>(kc, x, delta, toff, f, acc, load); break;
            case 4: Micro4<TV, TP, P4>(kc, x, delta, toff, f, acc, load); break;
            case 5: Micro4<TV, TP, P5>(kc, x, delta, toff, f, acc, load); break;
            default: Micro4<TV, TP, P6>(kc, x, delta, toff, f, acc, load); break;
        }
    }

    /// <summary>TP.N (≤ 6) pixels × four vectors of channels in up to 24 accumulators (as <see cref="Micro{TV, TP}"/>, twice the channels per broadcast); pixels from TS.N on lie on the next output row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Micro4<TV, TP, TS>(int kc, float* x, long delta, int* toff, float* f, float* acc, bool load)
        where TV : struct, IVec<TV, float>
        where TP : struct, IPixels
        where TS : struct, IPixels
    {
        int v = TV.Count, v2 = 2 * v, v3 = 3 * v;
        TV a0 = TV.Zero, b0 = TV.Zero, c0 = TV.Zero, d0 = TV.Zero, a1 = TV.Zero, b1 = TV.Zero, c1 = TV.Zero, d1 = TV.Zero;
        TV a2 = TV.Zero, b2 = TV.Zero, c2 = TV.Zero, d2 = TV.Zero, a3 = TV.Zero, b3 = TV.Zero, c3 = TV.Zero, d3 = TV.Zero;
        TV a4 = TV.Zero, b4 = TV.Zero, c4 = TV.Zero, d4 = TV.Zero, a5 = TV.Zero, b5 = TV.Zero, c5 = TV.Zero, d5 = TV.Zero;
        if (load)
        {
            float* p = acc;
            a0 = TV.Load(p); b0 = TV.Load(p + v); c0 = TV.Load(p + v2); d0 = TV.Load(p + v3);
            p += Panel;
            if (TP.N > 1) { a1 = TV.Load(p); b1 = TV.Load(p + v); c1 = TV.Load(p + v2); d1 = TV.Load(p + v3); }
            p += Panel;
            if (TP.N > 2) { a2 = TV.Load(p); b2 = TV.Load(p + v); c2 = TV.Load(p + v2); d2 = TV.Load(p + v3); }
            p += Panel;
            if (TP.N > 3) { a3 = TV.Load(p); b3 = TV.Load(p + v); c3 = TV.Load(p + v2); d3 = TV.Load(p + v3); }
            p += Panel;
            if (TP.N > 4) { a4 = TV.Load(p); b4 = TV.Load(p + v); c4 = TV.Load(p + v2); d4 = TV.Load(p + v3); }
            p += Panel;
            if (TP.N > 5) { a5 = TV.Load(p); b5 = TV.Load(p + v); c5 = TV.Load(p + v2); d5 = TV.Load(p + v3); }
        }
        for (int kk = 0; kk < kc; kk++)
        {
            float* xs = x + toff[kk];
            float* ys = xs + delta - TS.N; // pixel r ≥ TS.N (the next row) reads ys[r]
            var f0 = TV.Load(f);
            var f1 = TV.Load(f + v);
            var f2 = TV.Load(f + v2);
            var f3 = TV.Load(f + v3);
            TV s;
            s = TV.Create(TS.N > 0 ? xs[0] : ys[0]); a0 = TV.MultiplyAdd(f0, s, a0); b0 = TV.MultiplyAdd(f1, s, b0); c0 = TV.MultiplyAdd(f2, s, c0); d0 = TV.MultiplyAdd(f3, s, d0);
            if (TP.N > 1) { s = TV.Create(TS.N > 1 ? xs[1] : ys[1]); a1 = TV.MultiplyAdd(f0, s, a1); b1 = TV.MultiplyAdd(f1, s, b1); c1 = TV.MultiplyAdd(f2, s, c1); d1 = TV.MultiplyAdd(f3, s, d1); }
            if (TP.N > 2) { s = TV.Create(TS.N > 2 ? xs[2] : ys[2]); a2 = TV.MultiplyAdd(f0, s, a2); b2 = TV.MultiplyAdd(f1, s, b2); c2 = TV.MultiplyAdd(f2, s, c2); d2 = TV.MultiplyAdd(f3, s, d2); }
            if (TP.N > 3) { s = TV.Create(TS.N > 3 ? xs[3] : ys[3]); a3 = TV.MultiplyAdd(f0, s, a3); b3 = TV.MultiplyAdd(f1, s, b3); c3 = TV.MultiplyAdd(f2, s, c3); d3 = TV.MultiplyAdd(f3, s, d3); }
            if (TP.N > 4) { s = TV.Create(TS.N > 4 ? xs[4] : ys[4]); a4 = TV.MultiplyAdd(f0, s, a4); b4 = TV.MultiplyAdd(f1, s, b4); c4 = TV.MultiplyAdd(f2, s, c4); d4 = TV.MultiplyAdd(f3, s, d4); }
            if (TP.N > 5) { s = TV.Create(TS.N > 5 ? xs[5] : ys[5]); a5 = TV.MultiplyAdd(f0, s, a5); b5 = TV.MultiplyAdd(f1, s, b5); c5 = TV.MultiplyAdd(f2, s, c5); d5 = TV.MultiplyAdd(f3, s, d5); }
            f += Panel;
        }
        float* o = acc;
        TV.Store(a0, o); TV.Store(b0, o + v); TV.Store(c0, o + v2); TV.Store(d0, o + v3);
        o += Panel;
        if (TP.N > 1) { TV.Store(a1, o); TV.Store(b1, o + v); TV.Store(c1, o + v2); TV.Store(d1, o + v3); }
        o += Panel;
        if (TP.N > 2) { TV.Store(a2, o); TV.Store(b2, o + v); TV.Store(c2, o + v2); TV.Store(d2, o + v3); }
        o += Panel;
        if (TP.N > 3) { TV.Store(a3, o); TV.Store(b3, o + v); TV.Store(c3, o + v2); TV.Store(d3, o + v3); }
        o += Panel;
        if (TP.N > 4) { TV.Store(a4, o); TV.Store(b4, o + v); TV.Store(c4, o + v2); TV.Store(d4, o + v3); }
        o += Panel;
        if (TP.N > 5) { TV.Store(a5, o); TV.Store(b5, o + v); TV.Store(c5, o + v2); TV.Store(d5, o + v3); }
    }

    /// <summary>
    /// TP.N pixels × two vectors of channels: acc[r·Panel + lane] (+)= Σ_k x[toff[k] + r]·f[k·Panel + lane]. TP.N is a
    /// JIT-time constant, so each instantiation keeps exactly its accumulators in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Micro<TV, TP>(int kc, float* x, int* toff, float* f, float* acc, bool load)
        where TV : struct, IVec<TV, float>
        where TP : struct, IPixels
    {
        int v = TV.Count;
        TV a0 = TV.Zero, b0 = TV.Zero, a1 = TV.Zero, b1 = TV.Zero, a2 = TV.Zero, b2 = TV.Zero, a3 = TV.Zero, b3 = TV.Zero;
        TV a4 = TV.Zero, b4 = TV.Zero, a5 = TV.Zero, b5 = TV.Zero, a6 = TV.Zero, b6 = TV.Zero, a7 = TV.Zero, b7 = TV.Zero;
        TV a8 = TV.Zero, b8 = TV.Zero, a9 = TV.Zero, b9 = TV.Zero, a10 = TV.Zero, b10 = TV.Zero, a11 = TV.Zero, b11 = TV.Zero;
        if (load)
        {
            a0 = TV.Load(acc); b0 = TV.Load(acc + v);
            if (TP.N > 1) { a1 = TV.Load(acc + Panel); b1 = TV.Load(acc + Panel + v); }
            if (TP.N > 2) { a2 = TV.Load(acc + 2 * Panel); b2 = TV.Load(acc + 2 * Panel + v); }
            if (TP.N > 3) { a3 = TV.Load(acc + 3 * Panel); b3 = TV.Load(acc + 3 * Panel + v); }
            if (TP.N > 4) { a4 = TV.Load(acc + 4 * Panel); b4 = TV.Load(acc + 4 * Panel + v); }
            if (TP.N > 5) { a5 = TV.Load(acc + 5 * Panel); b5 = TV.Load(acc + 5 * Panel + v); }
            if (TP.N > 6) { a6 = TV.Load(acc + 6 * Panel); b6 = TV.Load(acc + 6 * Panel + v); }
            if (TP.N > 7) { a7 = TV.Load(acc + 7 * Panel); b7 = TV.Load(acc + 7 * Panel + v); }
            if (TP.N > 8) { a8 = TV.Load(acc + 8 * Panel); b8 = TV.Load(acc + 8 * Panel + v); }
            if (TP.N > 9) { a9 = TV.Load(acc + 9 * Panel); b9 = TV.Load(acc + 9 * Panel + v); }
            if (TP.N > 10) { a10 = TV.Load(acc + 10 * Panel); b10 = TV.Load(acc + 10 * Panel + v); }
            if (TP.N > 11) { a11 = TV.Load(acc + 11 * Panel); b11 = TV.Load(acc + 11 * Panel + v); }
        }
        for (int kk = 0; kk < kc; kk++)
        {
            float* xs = x + toff[kk];
            var f0 = TV.Load(f);
            var f1 = TV.Load(f + v);
            TV s;
            s = TV.Create(xs[0]); a0 = TV.MultiplyAdd(f0, s, a0); b0 = TV.MultiplyAdd(f1, s, b0);
            if (TP.N > 1) { s = TV.Create(xs[1]); a1 = TV.MultiplyAdd(f0, s, a1); b1 = TV.MultiplyAdd(f1, s, b1); }
            if (TP.N > 2) { s = TV.Create(xs[2]); a2 = TV.MultiplyAdd(f0, s, a2); b2 = TV.MultiplyAdd(f1, s, b2); }
            if (TP.N > 3) { s = TV.Create(xs[3]); a3 = TV.MultiplyAdd(f0, s, a3); b3 = TV.MultiplyAdd(f1, s, b3); }
            if (TP.N > 4) { s = TV.Create(xs[4]); a4 = TV.MultiplyAdd(f0, s, a4); b4 = TV.MultiplyAdd(f1, s, b4); }
            if (TP.N > 5) { s = TV.Create(xs[5]); a5 = TV.MultiplyAdd(f0, s, a5); b5 = TV.MultiplyAdd(f1, s, b5); }
            if (TP.N > 6) { s = TV.Create(xs[6]); a6 = TV.MultiplyAdd(f0, s, a6); b6 = TV.MultiplyAdd(f1, s, b6); }
            if (TP.N > 7) { s = TV.Create(xs[7]); a7 = TV.MultiplyAdd(f0, s, a7); b7 = TV.MultiplyAdd(f1, s, b7); }
            if (TP.N > 8) { s = TV.Create(xs[8]); a8 = TV.MultiplyAdd(f0, s, a8); b8 = TV.MultiplyAdd(f1, s, b8); }
            if (TP.N > 9) { s = TV.Create(xs[9]); a9 = TV.MultiplyAdd(f0, s, a9); b9 = TV.MultiplyAdd(f1, s, b9); }
            if (TP.N > 10) { s = TV.Create(xs[10]); a10 = TV.MultiplyAdd(f0, s, a10); b10 = TV.MultiplyAdd(f1, s, b10); }
            if (TP.N > 11) { s = TV.Create(xs[11]); a11 = TV.MultiplyAdd(f0, s, a11); b11 = TV.MultiplyAdd(f1, s, b11); }
            f += Panel;
        }
        TV.Store(a0, acc); TV.Store(b0, acc + v);
        if (TP.N > 1) { TV.Store(a1, acc + Panel); TV.Store(b1, acc + Panel + v); }
        if (TP.N > 2) { TV.Store(a2, acc + 2 * Panel); TV.Store(b2, acc + 2 * Panel + v); }
        if (TP.N > 3) { TV.Store(a3, acc + 3 * Panel); TV.Store(b3, acc + 3 * Panel + v); }
        if (TP.N > 4) { TV.Store(a4, acc + 4 * Panel); TV.Store(b4, acc + 4 * Panel + v); }
        if (TP.N > 5) { TV.Store(a5, acc + 5 * Panel); TV.Store(b5, acc + 5 * Panel + v); }
        if (TP.N > 6) { TV.Store(a6, acc + 6 * Panel); TV.Store(b6, acc + 6 * Panel + v); }
        if (TP.N > 7) { TV.Store(a7, acc + 7 * Panel); TV.Store(b7, acc + 7 * Panel + v); }
        if (TP.N > 8) { TV.Store(a8, acc + 8 * Panel); TV.Store(b8, acc + 8 * Panel + v); }
        if (TP.N > 9) { TV.Store(a9, acc + 9 * Panel); TV.Store(b9, acc + 9 * Panel + v); }
        if (TP.N > 10) { TV.Store(a10, acc + 10 * Panel); TV.Store(b10, acc + 10 * Panel + v); }
        if (TP.N > 11) { TV.Store(a11, acc + 11 * Panel); TV.Store(b11, acc + 11 * Panel + v); }
    }

    /// <summary><see cref="Quad{TV}"/> at 512 bits through <see cref="Micro4x512{TP, TS}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quad512(int np, int split, int kc, float* x, long delta, int* toff, float* f, float* acc, bool load, float* next, int pf)
    {
        switch (np)
        {
            case 1: Micro4x512<P1, P1>(kc, x, delta, toff, f, acc, load, next, pf); break;
            case 2: if (split >= 2) Micro4x512<P2, P2>(kc, x, delta, toff, f, acc, load, next, pf); else Micro4x512<P2, P1>(kc, x, delta, toff, f, acc, load, next, pf); break;
            case 3: Quad512Split<P3>(split, kc, x, delta, toff, f, acc, load, next, pf); break;
            case 4: Quad512Split<P4>(split, kc, x, delta, toff, f, acc, load, next, pf); break;
            case 5: Quad512Split<P5>(split, kc, x, delta, toff, f, acc, load, next, pf); break;
            default: Quad512Split<P6>(split, kc, x, delta, toff, f, acc, load, next, pf); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quad512Split<TP>(int split, int kc, float* x, long delta, int* toff, float* f, float* acc, bool load, float* next, int pf)
        where TP : struct, IPixels
    {
        switch (Math.Min(split, TP.N))
        {
            case 1: Micro4x512<TP, P1>(kc, x, delta, toff, f, acc, load, next, pf); break;
            case 2: Micro4x512<TP, P2>(kc, x, delta, toff, f, acc, load, next, pf); break;
            case 3: Micro4x512<TP, P3>(kc, x, delta, toff, f, acc, load, next, pf); break;
            case 4: Micro4x512<TP, P4>(kc, x, delta, toff, f, acc, load, next, pf); break;
            case 5: Micro4x512<TP, P5>(kc, x, delta, toff, f, acc, load, next, pf); break;
            default: Micro4x512<TP, P6>(kc, x, delta, toff, f, acc, load, next, pf); break;
        }
    }

    /// <summary>
    /// <see cref="Micro4{TV, TP, TS}"/> written on Vector512 directly, each multiply-add broadcasting its input value from
    /// memory: the JIT folds those into the FMAs ({1to16}) and accumulates in place, where through the IVec wrapper it
    /// copied an accumulator after every pixel's last FMA (checked with DOTNET_JitDisasm; same sums, same order).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Micro4x512<TP, TS>(int kc, float* x, long delta, int* toff, float* f, float* acc, bool load, float* next, int pf)
        where TP : struct, IPixels
        where TS : struct, IPixels
    {
        Vector512<float> a0 = Vector512<float>.Zero, b0 = Vector512<float>.Zero, c0 = Vector512<float>.Zero, d0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero, b1 = Vector512<float>.Zero, c1 = Vector512<float>.Zero, d1 = Vector512<float>.Zero, a2 = Vector512<float>.Zero, b2 = Vector512<float>.Zero, c2 = Vector512<float>.Zero, d2 = Vector512<float>.Zero, a3 = Vector512<float>.Zero, b3 = Vector512<float>.Zero, c3 = Vector512<float>.Zero, d3 = Vector512<float>.Zero, a4 = Vector512<float>.Zero, b4 = Vector512<float>.Zero, c4 = Vector512<float>.Zero, d4 = Vector512<float>.Zero, a5 = Vector512<float>.Zero, b5 = Vector512<float>.Zero, c5 = Vector512<float>.Zero, d5 = Vector512<float>.Zero;
        if (load)
        {
            { a0 = Vector512.Load(acc + 0); b0 = Vector512.Load(acc + 16); c0 = Vector512.Load(acc + 32); d0 = Vector512.Load(acc + 48); }
            if (TP.N > 1) { a1 = Vector512.Load(acc + 64); b1 = Vector512.Load(acc + 80); c1 = Vector512.Load(acc + 96); d1 = Vector512.Load(acc + 112); }
            if (TP.N > 2) { a2 = Vector512.Load(acc + 128); b2 = Vector512.Load(acc + 144); c2 = Vector512.Load(acc + 160); d2 = Vector512.Load(acc + 176); }
            if (TP.N > 3) { a3 = Vector512.Load(acc + 192); b3 = Vector512.Load(acc + 208); c3 = Vector512.Load(acc + 224); d3 = Vector512.Load(acc + 240); }
            if (TP.N > 4) { a4 = Vector512.Load(acc + 256); b4 = Vector512.Load(acc + 272); c4 = Vector512.Load(acc + 288); d4 = Vector512.Load(acc + 304); }
            if (TP.N > 5) { a5 = Vector512.Load(acc + 320); b5 = Vector512.Load(acc + 336); c5 = Vector512.Load(acc + 352); d5 = Vector512.Load(acc + 368); }
        }
        for (int kk = 0; kk < kc; kk++)
        {
            float* xs = x + toff[kk];
            float* ys = xs + delta - TS.N;
            var f0 = Vector512.Load(f);
            var f1 = Vector512.Load(f + 16);
            var f2 = Vector512.Load(f + 32);
            var f3 = Vector512.Load(f + 48);
            if (kk < pf)
            {
                Sse.Prefetch1(next);
                Sse.Prefetch1(next + 16);
                Sse.Prefetch1(next + 32);
                Sse.Prefetch1(next + 48);
                next += Panel;
            }
            { a0 = Avx512F.FusedMultiplyAdd(f0, Vector512.Create(TS.N > 0 ? xs[0] : ys[0]), a0); b0 = Avx512F.FusedMultiplyAdd(f1, Vector512.Create(TS.N > 0 ? xs[0] : ys[0]), b0); c0 = Avx512F.FusedMultiplyAdd(f2, Vector512.Create(TS.N > 0 ? xs[0] : ys[0]), c0); d0 = Avx512F.FusedMultiplyAdd(f3, Vector512.Create(TS.N > 0 ? xs[0] : ys[0]), d0); }
            if (TP.N > 1) { a1 = Avx512F.FusedMultiplyAdd(f0, Vector512.Create(TS.N > 1 ? xs[1] : ys[1]), a1); b1 = Avx512F.FusedMultiplyAdd(f1, Vector512.Create(TS.N > 1 ? xs[1] : ys[1]), b1); c1 = Avx512F.FusedMultiplyAdd(f2, Vector512.Create(TS.N > 1 ? xs[1] : ys[1]), c1); d1 = Avx512F.FusedMultiplyAdd(f3, Vector512.Create(TS.N > 1 ? xs[1] : ys[1]), d1); }
            if (TP.N > 2) { a2 = Avx512F.FusedMultiplyAdd(f0, Vector512.Create(TS.N > 2 ? xs[2] : ys[2]), a2); b2 = Avx512F.FusedMultiplyAdd(f1, Vector512.Create(TS.N > 2 ? xs[2] : ys[2]), b2); c2 = Avx512F.FusedMultiplyAdd(f2, Vector512.Create(TS.N > 2 ? xs[2] : ys[2]), c2); d2 = Avx512F.FusedMultiplyAdd(f3, Vector512.Create(TS.N > 2 ? xs[2] : ys[2]), d2); }
            if (TP.N > 3) { a3 = Avx512F.FusedMultiplyAdd(f0, Vector512.Create(TS.N > 3 ? xs[3] : ys[3]), a3); b3 = Avx512F.FusedMultiplyAdd(f1, Vector512.Create(TS.N > 3 ? xs[3] : ys[3]), b3); c3 = Avx512F.FusedMultiplyAdd(f2, Vector512.Create(TS.N > 3 ? xs[3] : ys[3]), c3); d3 = Avx512F.FusedMultiplyAdd(f3, Vector512.Create(TS.N > 3 ? xs[3] : ys[3]), d3); }
            if (TP.N > 4) { a4 = Avx512F.FusedMultiplyAdd(f0, Vector512.Create(TS.N > 4 ? xs[4] : ys[4]), a4); b4 = Avx512F.FusedMultiplyAdd(f1, Vector512.Create(TS.N > 4 ? xs[4] : ys[4]), b4); c4 = Avx512F.FusedMultiplyAdd(f2, Vector512.Create(TS.N > 4 ? xs[4] : ys[4]), c4); d4 = Avx512F.FusedMultiplyAdd(f3, Vector512.Create(TS.N > 4 ? xs[4] : ys[4]), d4); }
            if (TP.N > 5) { a5 = Avx512F.FusedMultiplyAdd(f0, Vector512.Create(TS.N > 5 ? xs[5] : ys[5]), a5); b5 = Avx512F.FusedMultiplyAdd(f1, Vector512.Create(TS.N > 5 ? xs[5] : ys[5]), b5); c5 = Avx512F.FusedMultiplyAdd(f2, Vector512.Create(TS.N > 5 ? xs[5] : ys[5]), c5); d5 = Avx512F.FusedMultiplyAdd(f3, Vector512.Create(TS.N > 5 ? xs[5] : ys[5]), d5); }
            f += Panel;
        }
        { Vector512.Store(a0, acc + 0); Vector512.Store(b0, acc + 16); Vector512.Store(c0, acc + 32); Vector512.Store(d0, acc + 48); }
        if (TP.N > 1) { Vector512.Store(a1, acc + 64); Vector512.Store(b1, acc + 80); Vector512.Store(c1, acc + 96); Vector512.Store(d1, acc + 112); }
        if (TP.N > 2) { Vector512.Store(a2, acc + 128); Vector512.Store(b2, acc + 144); Vector512.Store(c2, acc + 160); Vector512.Store(d2, acc + 176); }
        if (TP.N > 3) { Vector512.Store(a3, acc + 192); Vector512.Store(b3, acc + 208); Vector512.Store(c3, acc + 224); Vector512.Store(d3, acc + 240); }
        if (TP.N > 4) { Vector512.Store(a4, acc + 256); Vector512.Store(b4, acc + 272); Vector512.Store(c4, acc + 288); Vector512.Store(d4, acc + 304); }
        if (TP.N > 5) { Vector512.Store(a5, acc + 320); Vector512.Store(b5, acc + 336); Vector512.Store(c5, acc + 352); Vector512.Store(d5, acc + 368); }
    }

    /// <summary>A pixel count fixed at JIT time (value-type generic arguments are specialised per type).</summary>
    internal interface IPixels
    {
        static abstract int N { get; }
    }

    private struct P1 : IPixels { public static int N => 1; }
    private struct P2 : IPixels { public static int N => 2; }
    private struct P3 : IPixels { public static int N => 3; }
    private struct P4 : IPixels { public static int N => 4; }
    private struct P5 : IPixels { public static int N => 5; }
    private struct P6 : IPixels { public static int N => 6; }
    private struct P7 : IPixels { public static int N => 7; }
    private struct P8 : IPixels { public static int N => 8; }
    private struct P9 : IPixels { public static int N => 9; }
    private struct P10 : IPixels { public static int N => 10; }
    private struct P11 : IPixels { public static int N => 11; }
    private struct P12 : IPixels { public static int N => 12; }

    /// <summary>Scalar reference of the same sums: each output the chain 0 + x·f over k = (ci, ky, kx) in order, zero taps outside the input included.</summary>
    public static void Reference(ReadOnlySpan<float> x, int n, int c, int h, int w, ReadOnlySpan<float> f, int m, in ConvGeometry g, Span<float> y)
    {
        int ho = g.OutH(h), wo = g.OutW(w);
        for (int i = 0; i < n; i++)
        {
            for (int o = 0; o < m; o++)
            {
                for (int oy = 0; oy < ho; oy++)
                {
                    for (int ox = 0; ox < wo; ox++)
                    {
                        float s = 0f;
                        for (int ci = 0; ci < c; ci++)
                        {
                            for (int ky = 0; ky < g.KH; ky++)
                            {
                                int iy = oy * g.SH - g.PadTop + ky * g.DH;
                                for (int kx = 0; kx < g.KW; kx++)
                                {
                                    int ix = ox * g.SW - g.PadLeft + kx * g.DW;
                                    float v = (uint)iy < (uint)h && (uint)ix < (uint)w ? x[((i * c + ci) * h + iy) * w + ix] : 0f;
                                    s += v * f[((o * c + ci) * g.KH + ky) * g.KW + kx];
                                }
                            }
                        }
                        y[((i * m + o) * ho + oy) * wo + ox] = s;
                    }
                }
            }
        }
    }
}

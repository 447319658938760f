using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Direct kernel for Paddle <c>depthwise_conv2d</c> (and <c>conv2d</c> with groups = C, C/groups = 1),
/// registered through <see cref="Conv2DKernel"/> (identical math and attributes). Filter [M, 1, kh, kw]
/// with channel multiplier M/C: output channel o reads input channel o / (M/C).
/// Each (image, out channel) plane is independent (parallel over planes). The plane's input is first
/// copied into a zero-bordered scratch split into SW column phases (phase φ holds padded columns
/// φ, φ+SW, …), so every tap of every output is an in-bounds unit-stride load whatever the stride
/// and padding; rows of outputs are then computed 16/8/4 at a time (Vector512/256/128) with a scalar
/// tail. Taps are summed in (ky, kx) order with separate multiply and add (border taps add 0·f),
/// as the scalar reference. The conv epilogue (bias, activation) runs on the plane while it is hot.
/// </summary>
internal static unsafe class DepthwiseConv2D
{
    public static void Run(IntraOpPool pool, RunScratch scratch, float* x, float* f, float* y, int n, int c, int h, int w, int m, ConvGeometry g, int ho, int wo,
        in ConvEpilogue epilogue = default, int maxVector = 16, bool? blocked = null, bool rowBodies = true)
    {
        var body = new Body { S = scratch, X = x, F = f, Y = y, C = c, H = h, W = w, M = m, G = g, Ho = ho, Wo = wo, Ep = epilogue, MaxVector = maxVector, RowBodies = rowBodies };
        int minChunk = (int)Math.Clamp(32768L / Math.Max(1L, (long)ho * wo * g.KH * g.KW), 1, int.MaxValue);
        // Small planes (deep layers): 16 channels per vector instead of ≤ 16 pixels of one row.
        bool useBlocked = m == c && maxVector >= 16 && Vector512.IsHardwareAccelerated && Avx.IsSupported && (long)h * w <= BlockedMaxPlane
            && (blocked ?? (wo <= BlockedMaxWo && w <= BlockedMaxWo));
        if (useBlocked)
        {
            int blocks = (c + Lanes - 1) / Lanes;
            int minBlocks = (int)Math.Clamp(2048L / Math.Max(1L, (long)ho * wo * g.KH * g.KW), 1, int.MaxValue);
            pool.For(n * blocks, new BlockedBody { Inner = body, Blocks = blocks }, minBlocks);
            return;
        }
        pool.For(n * m, body, minChunk);
    }

    private const int Lanes = 16;

    /// <summary>
    /// Input and output widths up to this run channel-blocked (see <see cref="BlockedBody"/>); a stride-2 layer from 56 wide
    /// runs plane by plane (measured: the bordered phases beat the blocked path's transposes there).
    /// </summary>
    internal static int BlockedMaxWo = 28;

    /// <summary>Input planes up to this many pixels run channel-blocked (the slot table lives on the stack).</summary>
    internal static int BlockedMaxPlane = 4096;

    /// <summary>
    /// Channel multiplier 1, 16 channels of one image per item: the padded planes are interleaved
    /// (buf[(row·colsP + col)·16 + lane]) so one Vector512 holds one pixel of 16 channels, and each
    /// output is the same chain as <see cref="Plane"/>: 0, then + x·f per tap in (ky, kx) order with
    /// separate multiply and add, padded taps reading 0. Four output pixels run as independent chains.
    /// </summary>
    private struct BlockedBody : IParallelBody
    {
        public Body Inner;
        public int Blocks;

        [SkipLocalsInit]
        public readonly void Run(int start, int end)
        {
            ref readonly var b = ref Inner;
            var g = b.G;
            int taps = g.KH * g.KW;
            int rowsP = (b.Ho - 1) * g.SH + (g.KH - 1) * g.DH + 1;
            int colsP = (b.Wo - 1) * g.SW + (g.KW - 1) * g.DW + 1;
            // Every input pixel has a slot (rows/columns past the padded extent are never read).
            int rowsB = Math.Max(rowsP, b.H + g.PadTop), colsB = Math.Max(colsP, b.W + g.PadLeft);
            int hw = b.Ho * b.Wo, plane = b.H * b.W;
            long bufLen = (long)rowsB * colsB * Lanes;
            float* buf = b.S.C(bufLen);
            float* obuf = b.S.B((long)hw * Lanes);
            // Border slots stay zero: only input pixels' slots are written below.
            new Span<float>(buf, (int)bufLen).Clear();
            float* ft = stackalloc float[taps * Lanes];
            int* tapOff = stackalloc int[taps];
            int* dest = stackalloc int[plane];
            for (int ky = 0, t = 0; ky < g.KH; ky++)
            {
                for (int kx = 0; kx < g.KW; kx++, t++) tapOff[t] = (ky * g.DH * colsB + kx * g.DW) * Lanes;
            }
            for (int iy = 0, q = 0; iy < b.H; iy++)
            {
                for (int ix = 0; ix < b.W; ix++, q++) dest[q] = ((iy + g.PadTop) * colsB + ix + g.PadLeft) * Lanes;
            }
            for (int item = start; item < end; item++)
            {
                int i = item / Blocks, c0 = (item % Blocks) * Lanes;
                int lanes = Math.Min(Lanes, b.C - c0);
                float* x0 = b.X + ((long)i * b.C + c0) * plane;
                for (int half = 0; half < Lanes; half += 8)
                {
                    int q = 0;
                    if (half + 8 <= lanes)
                    {
                        float* xh = x0 + (long)half * plane;
                        for (; q + 8 <= plane; q += 8)
                        {
                            float* xq = xh + q;
                            var r0 = Vector256.Load(xq); var r1 = Vector256.Load(xq + plane);
                            var r2 = Vector256.Load(xq + 2 * plane); var r3 = Vector256.Load(xq + 3 * plane);
                            var r4 = Vector256.Load(xq + 4 * plane); var r5 = Vector256.Load(xq + 5 * plane);
                            var r6 = Vector256.Load(xq + 6 * plane); var r7 = Vector256.Load(xq + 7 * plane);
                            Transpose8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
                            float* bh = buf + half;
                            Vector256.Store(r0, bh + dest[q]); Vector256.Store(r1, bh + dest[q + 1]);
                            Vector256.Store(r2, bh + dest[q + 2]); Vector256.Store(r3, bh + dest[q + 3]);
                            Vector256.Store(r4, bh + dest[q + 4]); Vector256.Store(r5, bh + dest[q + 5]);
                            Vector256.Store(r6, bh + dest[q + 6]); Vector256.Store(r7, bh + dest[q + 7]);
                        }
                    }
                    for (int l = half; l < Math.Min(half + 8, lanes); l++)
                    {
                        float* xc = x0 + (long)l * plane;
                        for (int qq = q; qq < plane; qq++) buf[dest[qq] + l] = xc[qq];
                    }
                }
                for (int l = 0; l < lanes; l++)
                {
                    float* fo = b.F + (long)(c0 + l) * taps;
                    for (int t = 0; t < taps; t++) ft[t * Lanes + l] = fo[t];
                }
                // Lanes past C: zero filter (their slots hold stale data; those outputs are never stored).
                for (int l = lanes; l < Lanes; l++)
                {
                    for (int t = 0; t < taps; t++) ft[t * Lanes + l] = 0f;
                }
                long pixStep = (long)g.SW * Lanes;
                for (int oy = 0; oy < b.Ho; oy++)
                {
                    float* rowBase = buf + (long)oy * g.SH * colsB * Lanes;
                    float* o = obuf + (long)oy * b.Wo * Lanes;
                    int ox = 0;
                    for (; ox + 4 <= b.Wo; ox += 4)
                    {
                        float* p0 = rowBase + ox * pixStep;
                        Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
                        for (int t = 0; t < taps; t++)
                        {
                            var fv = Vector512.Load(ft + t * Lanes);
                            float* q = p0 + tapOff[t];
                            a0 = Avx512F.FusedMultiplyAdd(Vector512.Load(q), fv, a0);
                            a1 = Avx512F.FusedMultiplyAdd(Vector512.Load(q + pixStep), fv, a1);
                            a2 = Avx512F.FusedMultiplyAdd(Vector512.Load(q + 2 * pixStep), fv, a2);
                            a3 = Avx512F.FusedMultiplyAdd(Vector512.Load(q + 3 * pixStep), fv, a3);
                        }
                        Vector512.Store(a0, o + ox * Lanes);
                        Vector512.Store(a1, o + (ox + 1) * Lanes);
                        Vector512.Store(a2, o + (ox + 2) * Lanes);
                        Vector512.Store(a3, o + (ox + 3) * Lanes);
                    }
                    for (; ox < b.Wo; ox++)
                    {
                        float* q0 = rowBase + ox * pixStep;
                        Vector512<float> a0 = Vector512<float>.Zero;
                        for (int t = 0; t < taps; t++) a0 = Avx512F.FusedMultiplyAdd(Vector512.Load(q0 + tapOff[t]), Vector512.Load(ft + t * Lanes), a0);
                        Vector512.Store(a0, o + ox * Lanes);
                    }
                }
                float* y0 = b.Y + ((long)i * b.M + c0) * hw;
                for (int half = 0; half < Lanes; half += 8)
                {
                    int p = 0;
                    if (half + 8 <= lanes)
                    {
                        float* yh = y0 + (long)half * hw;
                        for (; p + 8 <= hw; p += 8)
                        {
                            float* ob = obuf + (long)p * Lanes + half;
                            var r0 = Vector256.Load(ob); var r1 = Vector256.Load(ob + Lanes);
                            var r2 = Vector256.Load(ob + 2 * Lanes); var r3 = Vector256.Load(ob + 3 * Lanes);
                            var r4 = Vector256.Load(ob + 4 * Lanes); var r5 = Vector256.Load(ob + 5 * Lanes);
                            var r6 = Vector256.Load(ob + 6 * Lanes); var r7 = Vector256.Load(ob + 7 * Lanes);
                            Transpose8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
                            float* yp = yh + p;
                            Vector256.Store(r0, yp); Vector256.Store(r1, yp + hw);
                            Vector256.Store(r2, yp + 2 * hw); Vector256.Store(r3, yp + 3 * hw);
                            Vector256.Store(r4, yp + 4 * hw); Vector256.Store(r5, yp + 5 * hw);
                            Vector256.Store(r6, yp + 6 * hw); Vector256.Store(r7, yp + 7 * hw);
                        }
                    }
                    for (int l = half; l < Math.Min(half + 8, lanes); l++)
                    {
                        float* yc = y0 + (long)l * hw;
                        for (int pp = p; pp < hw; pp++) yc[pp] = obuf[(long)pp * Lanes + l];
                    }
                }
                if (b.Ep.Active)
                {
                    for (int l = 0; l < lanes; l++) b.Ep.Apply(y0 + (long)l * hw, hw, c0 + l);
                }
            }
        }
    }

    /// <summary>In-place 8×8 transpose: afterwards r_j holds column j of the original rows (pure data movement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8(ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2, ref Vector256<float> r3,
        ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7)
    {
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        r0 = Avx.Permute2x128(s0, s4, 0x20); r1 = Avx.Permute2x128(s1, s5, 0x20);
        r2 = Avx.Permute2x128(s2, s6, 0x20); r3 = Avx.Permute2x128(s3, s7, 0x20);
        r4 = Avx.Permute2x128(s0, s4, 0x31); r5 = Avx.Permute2x128(s1, s5, 0x31);
        r6 = Avx.Permute2x128(s2, s6, 0x31); r7 = Avx.Permute2x128(s3, s7, 0x31);
    }

    private struct Body : IParallelBody
    {
        public RunScratch S;
        public float* X, F, Y;
        public int C, H, W, M, Ho, Wo, MaxVector;
        public bool RowBodies;
        public ConvGeometry G;
        public ConvEpilogue Ep;

        public readonly void Run(int start, int end)
        {
            int mult = M / C;
            int rowsP = (Ho - 1) * G.SH + (G.KH - 1) * G.DH + 1;
            int colsP = (Wo - 1) * G.SW + (G.KW - 1) * G.DW + 1;
            int phaseLen = (colsP + G.SW - 1) / G.SW;
            long rowStep = (long)G.SH * G.SW * phaseLen;
            // Strips of rows (a multiple of four, ~8 KB of output) so the epilogue finds its rows still in L1.
            int strip = Math.Max(4, StripFloats / Math.Max(1, Wo) & ~3);
            // Wide planes: each strip's input rows are bordered just before its rows are computed, so they stay in L1.
            bool wide = (long)rowsP * G.SW * phaseLen > BorderStripFloats;
            int stripRowsP = (strip - 1) * G.SH + (G.KH - 1) * G.DH + 1;
            float* buf = S.C((long)(wide ? stripRowsP : rowsP) * G.SW * phaseLen + Slack);
            // Without an epilogue (and not wide) a bordered plane runs in one call.
            int step = wide || Ep.Active ? strip : Ho;
            int lastSrc = -1;
            for (int p = start; p < end; p++)
            {
                int i = p / M, o = p % M;
                int src = i * C + o / mult;
                float* xp = X + (long)src * H * W;
                if (!wide && src != lastSrc)
                {
                    BorderFast(xp, H, W, G, rowsP, phaseLen, buf, MaxVector);
                    lastSrc = src;
                }
                float* yp = Y + (long)p * Ho * Wo;
                float* fo = F + (long)o * G.KH * G.KW;
                for (int oy = 0; oy < Ho; oy += step)
                {
                    int rows = Math.Min(step, Ho - oy);
                    float* rowsBuf = buf + oy * rowStep;
                    if (wide)
                    {
                        var gs = G;
                        gs.PadTop = G.PadTop - oy * G.SH;
                        BorderFast(xp, H, W, gs, (rows - 1) * G.SH + (G.KH - 1) * G.DH + 1, phaseLen, buf, MaxVector);
                        rowsBuf = buf;
                    }
                    Plane(rowsBuf, phaseLen, fo, yp + (long)oy * Wo, rows, Wo, G, MaxVector, RowBodies);
                    if (Ep.Active) Ep.Apply(yp + (long)oy * Wo, rows * Wo, o);
                }
            }
        }
    }

    /// <summary>Output floats per strip of rows that <see cref="Body"/> computes before running the epilogue on them.</summary>
    internal static int StripFloats = 2048;

    /// <summary>Bordered planes larger than this many floats (past L1 with the rest) are bordered strip by strip instead.</summary>
    internal static int BorderStripFloats = 8192;

    /// <summary>Padded row r, phase φ, position t = x[r − pt, t·SW + φ − pl] (0 outside), stored at buf[(r·SW + φ)·L + t].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    internal static void Border(float* x, int h, int w, in ConvGeometry g, int rowsP, int phaseLen, float* buf)
    {
        int s = g.SW;
        // Each phase's valid span [lo, hi) is the same for every row: computed once (integer division by a variable stride is slow).
        int* los = stackalloc int[s];
        int* his = stackalloc int[s];
        for (int phi = 0; phi < s; phi++)
        {
            // ix = t·s + φ − pl in [0, w)
            int off = phi - g.PadLeft;
            int lo = off >= 0 ? 0 : Math.Min(phaseLen, (-off + s - 1) / s);
            int hi = w - off <= 0 ? 0 : Math.Min(phaseLen, (w - off + s - 1) / s);
            los[phi] = lo;
            his[phi] = Math.Max(hi, lo);
        }
        for (int r = 0; r < rowsP; r++)
        {
            int iy = r - g.PadTop;
            float* dstRow = buf + (long)r * s * phaseLen;
            if ((uint)iy >= (uint)h)
            {
                new Span<float>(dstRow, s * phaseLen).Clear();
                continue;
            }
            float* row = x + (long)iy * w;
            for (int phi = 0; phi < s; phi++)
            {
                float* d = dstRow + phi * phaseLen;
                int off = phi - g.PadLeft;
                int lo = los[phi], hi = his[phi];
                int t = 0;
                for (; t < lo; t++) d[t] = 0f;
                float* src = row + off; // source of position t is src[t·s]
                // Whole vectors may read past this row (up to the plane's end: avail floats from src) and
                // write past hi (into the next phase row, the next padded row or the slack): the right
                // border below and the rows after overwrite that.
                long avail = (long)(h - iy) * w - off;
                if (s == 1)
                {
                    switch (Simd.BestWidth)
                    {
                        case 512: t = Copy<Vec512<float>>(src, d, t, hi, avail); break;
                        case 256: t = Copy<Vec256<float>>(src, d, t, hi, avail); break;
                        case 128: t = Copy<Vec128<float>>(src, d, t, hi, avail); break;
                    }
                }
                else if (s == 2)
                {
                    if (Avx512F.IsSupported)
                    {
                        var idx = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
                        for (; t < hi && 2 * t + 32 <= avail; t += 16)
                        {
                            float* q = src + 2 * t;
                            Vector512.Store(Avx512F.PermuteVar16x32x2(Vector512.Load(q), idx, Vector512.Load(q + 16)), d + t);
                        }
                        if (t > hi) t = hi;
                    }
                    if (Avx2.IsSupported)
                    {
                        // Even lanes of two ymm loads: in-lane shuffle, then put the 64-bit pairs in order.
                        for (; t < hi && 2 * t + 16 <= avail; t += 8)
                        {
                            float* q = src + 2 * t;
                            var sh = Avx.Shuffle(Vector256.Load(q), Vector256.Load(q + 8), 0b10_00_10_00);
                            Vector256.Store(Avx2.Permute4x64(sh.AsDouble(), 0b11_01_10_00).AsSingle(), d + t);
                        }
                        if (t > hi) t = hi;
                    }
                    if (Sse.IsSupported)
                    {
                        for (; t + 4 <= hi && 2 * t + 7 + off < w; t += 4)
                        {
                            float* q = src + 2 * t;
                            Vector128.Store(Sse.Shuffle(Vector128.Load(q), Vector128.Load(q + 4), 0b10_00_10_00), d + t);
                        }
                    }
                    else if (AdvSimd.Arm64.IsSupported)
                    {
                        // NEON: UZP1 takes the even lanes of two registers.
                        for (; t + 4 <= hi && 2 * t + 7 + off < w; t += 4)
                        {
                            float* q = src + 2 * t;
                            Vector128.Store(AdvSimd.Arm64.UnzipEven(Vector128.Load(q), Vector128.Load(q + 4)), d + t);
                        }
                    }
                }
                for (; t < hi; t++) d[t] = src[t * s];
                for (; t < phaseLen; t++) d[t] = 0f;
            }
        }
    }

    /// <summary>
    /// <see cref="Border"/> for column stride 1 or 2 (others: <see cref="Border"/>), with each phase's valid span worked out once
    /// per plane and every row a straight run: zeros, whole vectors (the last one overlapping the one before instead of a scalar
    /// tail), zeros. Pure data movement: the same buffer contents as <see cref="Border"/> over the padded extent.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    internal static void BorderFast(float* x, int h, int w, in ConvGeometry g, int rowsP, int phaseLen, float* buf, int maxVector = 16)
    {
        int s = g.SW;
        int width = maxVector >= 16 ? Simd.BestWidth : maxVector >= 8 ? Math.Min(Simd.BestWidth, 256) : maxVector >= 4 ? Math.Min(Simd.BestWidth, 128) : 0;
        if (s == 1)
        {
            switch (width)
            {
                case 512: BorderS1<Vec512<float>>(x, h, w, g.PadTop, g.PadLeft, rowsP, phaseLen, buf); return;
                case 256: BorderS1<Vec256<float>>(x, h, w, g.PadTop, g.PadLeft, rowsP, phaseLen, buf); return;
                case 128: BorderS1<Vec128<float>>(x, h, w, g.PadTop, g.PadLeft, rowsP, phaseLen, buf); return;
            }
        }
        else if (s == 2 && width > 0)
        {
            BorderS2(x, h, w, g.PadTop, g.PadLeft, rowsP, phaseLen, buf, width);
            return;
        }
        Border(x, h, w, g, rowsP, phaseLen, buf);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BorderS1<TV>(float* x, int h, int w, int pt, int pl, int rowsP, int len, float* buf)
        where TV : struct, IVec<TV, float>
    {
        // Destination columns [lo, hi) hold input columns [lo − pl, hi − pl).
        int lo = Math.Min(pl, len), hi = Math.Max(lo, Math.Min(len, w + pl)), n = hi - lo, v = TV.Count;
        for (int r = 0; r < rowsP; r++)
        {
            float* d = buf + (long)r * len;
            int iy = r - pt;
            if ((uint)iy >= (uint)h)
            {
                new Span<float>(d, len).Clear();
                continue;
            }
            float* src = x + (long)iy * w + (lo - pl);
            for (int t = 0; t < lo; t++) d[t] = 0f;
            float* dd = d + lo;
            int i = 0;
            if (n >= v)
            {
                for (; i + v <= n; i += v) TV.Store(TV.Load(src + i), dd + i);
                if (i < n) TV.Store(TV.Load(src + n - v), dd + n - v);
            }
            else
            {
                for (; i < n; i++) dd[i] = src[i];
            }
            for (int t = hi; t < len; t++) d[t] = 0f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BorderS2(float* x, int h, int w, int pt, int pl, int rowsP, int len, float* buf, int width)
    {
        // Phase φ position t holds input column 2t + φ − pl: valid for t in [lo, hi) (ceil(a/2) = (a + 1) >> 1, any sign).
        int lo0 = Math.Clamp((pl + 1) >> 1, 0, len), hi0 = Math.Clamp((w + pl + 1) >> 1, lo0, len);
        int lo1 = Math.Clamp(pl >> 1, 0, len), hi1 = Math.Clamp((w + pl) >> 1, lo1, len);
        for (int r = 0; r < rowsP; r++)
        {
            float* d = buf + (long)r * 2 * len;
            int iy = r - pt;
            if ((uint)iy >= (uint)h)
            {
                new Span<float>(d, 2 * len).Clear();
                continue;
            }
            float* row = x + (long)iy * w;
            EvenRun(row, w, 2 * lo0 - pl, d, lo0, hi0, len, width);
            EvenRun(row, w, 2 * lo1 + 1 - pl, d + len, lo1, hi1, len, width);
        }
    }

    /// <summary>d[t] = row[c0 + 2(t − lo)] for t in [lo, hi), zeros elsewhere in [0, len); reads stay inside the row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EvenRun(float* row, int w, int c0, float* d, int lo, int hi, int len, int width)
    {
        for (int t = 0; t < lo; t++) d[t] = 0f;
        int n = hi - lo;
        float* src = row + c0;
        float* dd = d + lo;
        // Position i reads src[2i]; a vector of V positions reads 2V floats, so it needs 2i + 2V ≤ avail.
        int pairs = Math.Min(n, (w - c0) >> 1);
        int i = 0;
        if (width == 512 && Avx512F.IsSupported && pairs >= 16)
        {
            var idx = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            for (; i + 16 <= pairs; i += 16) Vector512.Store(Avx512F.PermuteVar16x32x2(Vector512.Load(src + 2 * i), idx, Vector512.Load(src + 2 * i + 16)), dd + i);
            if (i < pairs)
            {
                int j = pairs - 16;
                Vector512.Store(Avx512F.PermuteVar16x32x2(Vector512.Load(src + 2 * j), idx, Vector512.Load(src + 2 * j + 16)), dd + j);
                i = pairs;
            }
        }
        else if (width >= 256 && Avx2.IsSupported && pairs >= 8)
        {
            for (; i + 8 <= pairs; i += 8) Vector256.Store(Even8(src + 2 * i), dd + i);
            if (i < pairs)
            {
                Vector256.Store(Even8(src + 2 * (pairs - 8)), dd + pairs - 8);
                i = pairs;
            }
        }
        else if (width >= 128 && pairs >= 4 && (Sse.IsSupported || AdvSimd.Arm64.IsSupported))
        {
            for (; i + 4 <= pairs; i += 4) Vector128.Store(Even4(src + 2 * i), dd + i);
            if (i < pairs)
            {
                Vector128.Store(Even4(src + 2 * (pairs - 4)), dd + pairs - 4);
                i = pairs;
            }
        }
        for (; i < n; i++) dd[i] = src[2 * i];
        for (int t = hi; t < len; t++) d[t] = 0f;
    }

    /// <summary>Even lanes of the 16 floats at p (AVX2: in-lane shuffle, then the 64-bit pairs in order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Even8(float* p)
    {
        var sh = Avx.Shuffle(Vector256.Load(p), Vector256.Load(p + 8), 0b10_00_10_00);
        return Avx2.Permute4x64(sh.AsDouble(), 0b11_01_10_00).AsSingle();
    }

    /// <summary>Even lanes of the 8 floats at p (SSE shuffle; NEON UZP1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Even4(float* p)
    {
        if (Sse.IsSupported) return Sse.Shuffle(Vector128.Load(p), Vector128.Load(p + 4), 0b10_00_10_00);
        return AdvSimd.Arm64.UnzipEven(Vector128.Load(p), Vector128.Load(p + 4));
    }

    /// <summary>Whole-vector copy of positions [t, hi) (may overrun hi, never <paramref name="avail"/>); returns the next position, at most hi.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Copy<TV>(float* src, float* d, int t, int hi, long avail)
        where TV : struct, IVec<TV, float>
    {
        for (; t < hi && t + TV.Count <= avail; t += TV.Count) TV.Store(TV.Load(src + t), d + t);
        return Math.Min(t, hi);
    }

    /// <summary>Floats past the bordered phases that the last vector of a row may read (lanes beyond Wo are discarded).</summary>
    internal const int Slack = 32;

    /// <summary>
    /// One output plane from the bordered phases; <paramref name="maxVector"/> caps the vector width and <paramref name="rowBodies"/>
    /// false skips <see cref="DepthwiseRows"/> (tests force each path).
    /// Two output rows run together (independent accumulator chains); a row's last partial vector
    /// computes full width from the bordered buffer (its slack covers the overrun) and stores only Wo lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    internal static void Plane(float* buf, int phaseLen, float* f, float* y, int ho, int wo, in ConvGeometry g, int maxVector, bool rowBodies = true)
    {
        int s = g.SW, kh = g.KH, kw = g.KW;
        int taps = kh * kw;
        // Tap t of output (oy, ox) reads buf[oy·rowStep + tapOff[t] + ox].
        int* tapOff = stackalloc int[taps];
        for (int ky = 0, t = 0; ky < kh; ky++)
        {
            for (int kx = 0; kx < kw; kx++, t++)
            {
                int off = kx * g.DW;
                tapOff[t] = (ky * g.DH * s + off % s) * phaseLen + off / s;
            }
        }
        long rowStep = (long)g.SH * s * phaseLen;
        int vec = maxVector >= 16 && Vector512.IsHardwareAccelerated ? 16
            : maxVector >= 8 && Vector256.IsHardwareAccelerated ? 8
            : maxVector >= 4 && Vector128.IsHardwareAccelerated ? 4 : 1;
        // 3×3 / 5×5: rows in groups of four then two through the register-blocked bodies (same sums), a last odd row below.
        int done = 0;
        if (vec > 1 && rowBodies && DepthwiseRows.Supports(g))
        {
            done = vec switch
            {
                16 => DepthwiseRows.Run<Vec512<float>>(buf, phaseLen, g, f, y, ho, wo),
                8 => DepthwiseRows.Run<Vec256<float>>(buf, phaseLen, g, f, y, ho, wo),
                _ => DepthwiseRows.Run<Vec128<float>>(buf, phaseLen, g, f, y, ho, wo),
            };
            if (done == ho) return;
            buf += done * rowStep;
            y += (long)done * wo;
        }
        switch (vec)
        {
            case 16: Rows<Vec512<float>>(buf, rowStep, tapOff, taps, f, y, ho - done, wo); break;
            case 8: Rows<Vec256<float>>(buf, rowStep, tapOff, taps, f, y, ho - done, wo); break;
            case 4: Rows<Vec128<float>>(buf, rowStep, tapOff, taps, f, y, ho - done, wo); break;
            default: RowsScalar(buf, rowStep, tapOff, taps, f, y, ho, wo); break;
        }
    }

    /// <summary>
    /// The plane's rows, lanes outputs at a time: four rows together (four independent accumulator chains
    /// per vector: small planes are latency-bound), then pairs; each output is 0 + x·f per tap in order with
    /// separate multiply and add, as <see cref="RowsScalar"/>. One body for every width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TV>(float* buf, long rowStep, int* tapOff, int taps, float* f, float* y, int ho, int wo)
        where TV : struct, IVec<TV, float>
    {
        int lanes = TV.Count;
        int oy0 = 0;
        for (; oy0 + 4 <= ho; oy0 += 4)
        {
            float* r0 = buf + oy0 * rowStep;
            float* r1 = r0 + rowStep, r2 = r1 + rowStep, r3 = r2 + rowStep;
            float* y0 = y + (long)oy0 * wo;
            float* y1 = y0 + wo, y2 = y1 + wo, y3 = y2 + wo;
            for (int ox = 0; ox < wo; ox += lanes)
            {
                TV a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero;
                for (int t = 0; t < taps; t++)
                {
                    var fv = TV.Create(f[t]);
                    int o = tapOff[t] + ox;
                    a0 = TV.MultiplyAdd(TV.Load(r0 + o), fv, a0);
                    a1 = TV.MultiplyAdd(TV.Load(r1 + o), fv, a1);
                    a2 = TV.MultiplyAdd(TV.Load(r2 + o), fv, a2);
                    a3 = TV.MultiplyAdd(TV.Load(r3 + o), fv, a3);
                }
                // A row's last partial vector was computed full width from the bordered buffer (its slack covers the overrun).
                int rem = wo - ox;
                TV.StorePartial(a0, y0 + ox, rem); TV.StorePartial(a1, y1 + ox, rem);
                TV.StorePartial(a2, y2 + ox, rem); TV.StorePartial(a3, y3 + ox, rem);
            }
        }
        for (int oy = oy0; oy < ho; oy += 2)
        {
            bool two = oy + 1 < ho;
            float* ra = buf + oy * rowStep;
            float* rb = ra + rowStep;
            float* ya = y + (long)oy * wo;
            float* yb = ya + wo;
            for (int ox = 0; ox < wo; ox += lanes)
            {
                TV a0 = TV.Zero, b0 = TV.Zero;
                for (int t = 0; t < taps; t++)
                {
                    var fv = TV.Create(f[t]);
                    a0 = TV.MultiplyAdd(TV.Load(ra + tapOff[t] + ox), fv, a0);
                    if (two) b0 = TV.MultiplyAdd(TV.Load(rb + tapOff[t] + ox), fv, b0);
                }
                int rem = wo - ox;
                TV.StorePartial(a0, ya + ox, rem);
                if (two) TV.StorePartial(b0, yb + ox, rem);
            }
        }
    }

    /// <summary>Scalar form of <see cref="Rows{TV}"/> (no SIMD): the same sums in the same order.</summary>
    private static void RowsScalar(float* buf, long rowStep, int* tapOff, int taps, float* f, float* y, int ho, int wo)
    {
        for (int oy = 0; oy < ho; oy++)
        {
            float* ra = buf + oy * rowStep;
            float* ya = y + (long)oy * wo;
            for (int ox = 0; ox < wo; ox++)
            {
                float a0 = 0f;
                for (int t = 0; t < taps; t++) a0 += ra[tapOff[t] + ox] * f[t];
                ya[ox] = a0;
            }
        }
    }
}

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(IntraOpPool pool, RunScratch scratch, float* x, float* f, float* y, int n, int c, int h, int w, int m, ConvGeometry g, int ho, int wo,
        in ConvEpilogue epilogue = default, int maxVector = 16, bool? blocked = null, bool rowBodies = true)
    {
        var body = new Body { S = scratch, X = x, F = f, Y = y, C = c, H = h, W = w, M = m, G = g, Ho = ho, Wo = wo, Ep = epilogue, MaxVector = maxVector, RowBodies = rowBodies };
        int minChunk = (int)Math.Clamp(32768L / Math.Max(1L, (long)ho * wo * g.KH * g.KW), 1, int.MaxValue);
        // Narrow planes and stride 2: a vector of channels instead of a row (see DepthwiseBlocked); bits as the planes'.
        int lanes = m == c ? DepthwiseBlocked.Lanes(maxVector) : 0;
        if (lanes > 0 && (blocked ?? UseBlocked(w, g)))
        {
            DepthwiseBlocked.Run(pool, scratch, x, f, y, n, c, h, w, g, ho, wo, epilogue, lanes);
            return;
        }
        pool.For(n * m, body, minChunk);
        GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
    }

    /// <summary>Input widths up to this run channel-blocked at stride 1 (<see cref="DepthwiseBlocked"/>; measured, see README).</summary>
    internal const int BlockedMaxW = 28;

    /// <summary>
    /// Whether the channel-blocked kernel runs this layer (shape only: the same choice at any thread count or batch): narrow
    /// planes, and every column stride ≥ 2 (since its stride-2 row groups and aligned ring it beats the planes' phase copies
    /// at every width measured, 112 included; README).
    /// </summary>
    internal static bool UseBlocked(int w, in ConvGeometry g) => g.SW >= 2 || w <= BlockedMaxW;

    private struct Body : IParallelBody
    {
        public RunScratch S;
        public float* X, F, Y;
        public int C, H, W, M, Ho, Wo, MaxVector;
        public bool RowBodies;
        public ConvGeometry G;
        public ConvEpilogue Ep;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            int mult = M / C;
            int rowsP = (Ho - 1) * G.SH + (G.KH - 1) * G.DH + 1;
            int colsP = (Wo - 1) * G.SW + (G.KW - 1) * G.DW + 1;
            // Phase rows padded to whole cache lines and the buffer 64-byte aligned: the taps at a phase's start load whole lines.
            int phaseLen = ((colsP + G.SW - 1) / G.SW + 15) & ~15;
            long rowStep = (long)G.SH * G.SW * phaseLen;
            // Strips of rows (a multiple of four, ~8 KB of output) so the epilogue finds its rows still in L1.
            int strip = Math.Max(4, StripFloats / Math.Max(1, Wo) & ~3);
            // Wide planes: each strip's input rows are bordered just before its rows are computed, so they stay in L1.
            bool wide = (long)rowsP * G.SW * phaseLen > BorderStripFloats;
            int stripRowsP = (strip - 1) * G.SH + (G.KH - 1) * G.DH + 1;
            float* buf = DepthwiseBlocked.Align64(S.C((long)(wide ? stripRowsP : rowsP) * G.SW * phaseLen + Slack + 16));
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
    internal const int StripFloats = 2048;

    /// <summary>Bordered planes larger than this many floats (past L1 with the rest) are bordered strip by strip instead.</summary>
    internal const int BorderStripFloats = 8192;

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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
    public static void Run(IntraOpPool pool, float* x, float* f, float* y, int n, int c, int h, int w, int m, ConvGeometry g, int ho, int wo,
        in ConvEpilogue epilogue = default, int maxVector = 16)
    {
        var body = new Body { X = x, F = f, Y = y, C = c, H = h, W = w, M = m, G = g, Ho = ho, Wo = wo, Ep = epilogue, MaxVector = maxVector };
        int minChunk = (int)Math.Clamp(32768L / Math.Max(1L, (long)ho * wo * g.KH * g.KW), 1, int.MaxValue);
        pool.For(n * m, body, minChunk);
    }

    private struct Body : IParallelBody
    {
        public float* X, F, Y;
        public int C, H, W, M, Ho, Wo, MaxVector;
        public ConvGeometry G;
        public ConvEpilogue Ep;

        public readonly void Run(int start, int end)
        {
            int mult = M / C;
            int rowsP = (Ho - 1) * G.SH + (G.KH - 1) * G.DH + 1;
            int colsP = (Wo - 1) * G.SW + (G.KW - 1) * G.DW + 1;
            int phaseLen = (colsP + G.SW - 1) / G.SW;
            float* buf = NnScratch.C((long)rowsP * G.SW * phaseLen + Slack);
            int lastSrc = -1;
            for (int p = start; p < end; p++)
            {
                int i = p / M, o = p % M;
                int src = i * C + o / mult;
                if (src != lastSrc)
                {
                    Border(X + (long)src * H * W, H, W, G, rowsP, phaseLen, buf);
                    lastSrc = src;
                }
                float* yp = Y + (long)p * Ho * Wo;
                Plane(buf, phaseLen, F + (long)o * G.KH * G.KW, yp, Ho, Wo, G, MaxVector);
                if (Ep.Active) Ep.Apply(yp, Ho * Wo, o);
            }
        }
    }

    /// <summary>Padded row r, phase φ, position t = x[r − pt, t·SW + φ − pl] (0 outside), stored at buf[(r·SW + φ)·L + t].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    internal static void Border(float* x, int h, int w, in ConvGeometry g, int rowsP, int phaseLen, float* buf)
    {
        int s = g.SW;
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
                // ix = t·s + φ − pl in [0, w)
                int off = phi - g.PadLeft;
                int lo = off >= 0 ? 0 : Math.Min(phaseLen, (-off + s - 1) / s);
                int hi = w - off <= 0 ? 0 : Math.Min(phaseLen, (w - off + s - 1) / s);
                if (hi < lo) hi = lo;
                int t = 0;
                for (; t < lo; t++) d[t] = 0f;
                float* src = row + off; // source of position t is src[t·s]
                // Whole vectors may read past this row (up to the plane's end: avail floats from src) and
                // write past hi (into the next phase row, the next padded row or the slack): the right
                // border below and the rows after overwrite that.
                long avail = (long)(h - iy) * w - off;
                if (s == 1)
                {
                    if (Vector512.IsHardwareAccelerated)
                    {
                        for (; t < hi && t + 16 <= avail; t += 16) Vector512.Store(Vector512.Load(src + t), d + t);
                        if (t > hi) t = hi;
                    }
                    else if (Vector256.IsHardwareAccelerated)
                    {
                        for (; t < hi && t + 8 <= avail; t += 8) Vector256.Store(Vector256.Load(src + t), d + t);
                        if (t > hi) t = hi;
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
                }
                for (; t < hi; t++) d[t] = src[t * s];
                for (; t < phaseLen; t++) d[t] = 0f;
            }
        }
    }

    /// <summary>Lanes [0, n) set (n in 0..8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> TailMask(int n) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(n)).AsSingle();

    /// <summary>Stores lanes [0, n) of <paramref name="v"/> (n &lt; 16) without touching the memory after them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTail(float* dst, Vector512<float> v, int n)
    {
        var lo = v.GetLower();
        if (n >= 8)
        {
            Vector256.Store(lo, dst);
            Avx.MaskStore(dst + 8, TailMask(n - 8), v.GetUpper());
        }
        else
        {
            Avx.MaskStore(dst, TailMask(n), lo);
        }
    }

    /// <summary>Floats past the bordered phases that the last vector of a row may read (lanes beyond Wo are discarded).</summary>
    internal const int Slack = 32;

    /// <summary>
    /// One output plane from the bordered phases; <paramref name="maxVector"/> caps the vector width (tests force each path).
    /// Two output rows run together (independent accumulator chains); a row's last partial vector
    /// computes full width from the bordered buffer (its slack covers the overrun) and stores only Wo lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    internal static void Plane(float* buf, int phaseLen, float* f, float* y, int ho, int wo, in ConvGeometry g, int maxVector)
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
        float* tmp = stackalloc float[32];
        int oy0 = 0;
        if (vec >= 8 && Avx.IsSupported)
        {
            // Four rows at once: four independent accumulator chains per vector (small planes are latency-bound).
            for (; oy0 + 4 <= ho; oy0 += 4)
            {
                float* r0 = buf + oy0 * rowStep;
                float* r1 = r0 + rowStep, r2 = r1 + rowStep, r3 = r2 + rowStep;
                float* y0 = y + (long)oy0 * wo;
                float* y1 = y0 + wo, y2 = y1 + wo, y3 = y2 + wo;
                int ox = 0;
                while (ox < wo)
                {
                    int rem = wo - ox;
                    if (vec == 16 && rem > 8)
                    {
                        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                        for (int t = 0; t < taps; t++)
                        {
                            var fv = Vector512.Create(f[t]);
                            int o = tapOff[t] + ox;
                            a0 = Vector512.Add(a0, Vector512.Multiply(Vector512.Load(r0 + o), fv));
                            a1 = Vector512.Add(a1, Vector512.Multiply(Vector512.Load(r1 + o), fv));
                            a2 = Vector512.Add(a2, Vector512.Multiply(Vector512.Load(r2 + o), fv));
                            a3 = Vector512.Add(a3, Vector512.Multiply(Vector512.Load(r3 + o), fv));
                        }
                        if (rem >= 16)
                        {
                            Vector512.Store(a0, y0 + ox); Vector512.Store(a1, y1 + ox); Vector512.Store(a2, y2 + ox); Vector512.Store(a3, y3 + ox);
                        }
                        else
                        {
                            StoreTail(y0 + ox, a0, rem); StoreTail(y1 + ox, a1, rem); StoreTail(y2 + ox, a2, rem); StoreTail(y3 + ox, a3, rem);
                        }
                        ox += 16;
                    }
                    else
                    {
                        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                        for (int t = 0; t < taps; t++)
                        {
                            var fv = Vector256.Create(f[t]);
                            int o = tapOff[t] + ox;
                            a0 = Vector256.Add(a0, Vector256.Multiply(Vector256.Load(r0 + o), fv));
                            a1 = Vector256.Add(a1, Vector256.Multiply(Vector256.Load(r1 + o), fv));
                            a2 = Vector256.Add(a2, Vector256.Multiply(Vector256.Load(r2 + o), fv));
                            a3 = Vector256.Add(a3, Vector256.Multiply(Vector256.Load(r3 + o), fv));
                        }
                        if (rem >= 8)
                        {
                            Vector256.Store(a0, y0 + ox); Vector256.Store(a1, y1 + ox); Vector256.Store(a2, y2 + ox); Vector256.Store(a3, y3 + ox);
                        }
                        else
                        {
                            var mask = TailMask(rem);
                            Avx.MaskStore(y0 + ox, mask, a0); Avx.MaskStore(y1 + ox, mask, a1); Avx.MaskStore(y2 + ox, mask, a2); Avx.MaskStore(y3 + ox, mask, a3);
                        }
                        ox += 8;
                    }
                }
            }
        }
        for (int oy = oy0; oy < ho; oy += 2)
        {
            bool two = oy + 1 < ho;
            float* ra = buf + oy * rowStep;
            float* rb = ra + rowStep;
            float* ya = y + (long)oy * wo;
            float* yb = ya + wo;
            int ox = 0;
            while (ox < wo)
            {
                int rem = wo - ox;
                if (vec == 16 && rem > 8)
                {
                    Vector512<float> a0 = Vector512<float>.Zero, b0 = Vector512<float>.Zero;
                    for (int t = 0; t < taps; t++)
                    {
                        var fv = Vector512.Create(f[t]);
                        a0 = Vector512.Add(a0, Vector512.Multiply(Vector512.Load(ra + tapOff[t] + ox), fv));
                        if (two) b0 = Vector512.Add(b0, Vector512.Multiply(Vector512.Load(rb + tapOff[t] + ox), fv));
                    }
                    if (rem >= 16)
                    {
                        Vector512.Store(a0, ya + ox);
                        if (two) Vector512.Store(b0, yb + ox);
                    }
                    else if (Avx.IsSupported)
                    {
                        StoreTail(ya + ox, a0, rem);
                        if (two) StoreTail(yb + ox, b0, rem);
                    }
                    else
                    {
                        Vector512.Store(a0, tmp);
                        Vector512.Store(b0, tmp + 16);
                        for (int q = 0; q < rem; q++) ya[ox + q] = tmp[q];
                        if (two) for (int q = 0; q < rem; q++) yb[ox + q] = tmp[16 + q];
                    }
                    ox += 16;
                }
                else if (vec >= 8 && rem > 4)
                {
                    Vector256<float> a0 = Vector256<float>.Zero, b0 = Vector256<float>.Zero;
                    for (int t = 0; t < taps; t++)
                    {
                        var fv = Vector256.Create(f[t]);
                        a0 = Vector256.Add(a0, Vector256.Multiply(Vector256.Load(ra + tapOff[t] + ox), fv));
                        if (two) b0 = Vector256.Add(b0, Vector256.Multiply(Vector256.Load(rb + tapOff[t] + ox), fv));
                    }
                    if (rem >= 8)
                    {
                        Vector256.Store(a0, ya + ox);
                        if (two) Vector256.Store(b0, yb + ox);
                    }
                    else if (Avx.IsSupported)
                    {
                        Avx.MaskStore(ya + ox, TailMask(rem), a0);
                        if (two) Avx.MaskStore(yb + ox, TailMask(rem), b0);
                    }
                    else
                    {
                        Vector256.Store(a0, tmp);
                        Vector256.Store(b0, tmp + 16);
                        for (int q = 0; q < rem; q++) ya[ox + q] = tmp[q];
                        if (two) for (int q = 0; q < rem; q++) yb[ox + q] = tmp[16 + q];
                    }
                    ox += 8;
                }
                else if (vec >= 4)
                {
                    Vector128<float> a0 = Vector128<float>.Zero, b0 = Vector128<float>.Zero;
                    for (int t = 0; t < taps; t++)
                    {
                        var fv = Vector128.Create(f[t]);
                        a0 = Vector128.Add(a0, Vector128.Multiply(Vector128.Load(ra + tapOff[t] + ox), fv));
                        if (two) b0 = Vector128.Add(b0, Vector128.Multiply(Vector128.Load(rb + tapOff[t] + ox), fv));
                    }
                    if (rem >= 4)
                    {
                        Vector128.Store(a0, ya + ox);
                        if (two) Vector128.Store(b0, yb + ox);
                    }
                    else
                    {
                        Vector128.Store(a0, tmp);
                        Vector128.Store(b0, tmp + 16);
                        for (int q = 0; q < rem; q++) ya[ox + q] = tmp[q];
                        if (two) for (int q = 0; q < rem; q++) yb[ox + q] = tmp[16 + q];
                    }
                    ox += 4;
                }
                else
                {
                    float a0 = 0f, b0 = 0f;
                    for (int t = 0; t < taps; t++)
                    {
                        a0 += ra[tapOff[t] + ox] * f[t];
                        if (two) b0 += rb[tapOff[t] + ox] * f[t];
                    }
                    ya[ox] = a0;
                    if (two) yb[ox] = b0;
                    ox++;
                }
            }
        }
    }
}

using System.Runtime.Intrinsics;
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
            float* buf = NnScratch.C((long)rowsP * G.SW * phaseLen);
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
                if (s == 1)
                {
                    Buffer.MemoryCopy(row + off + lo, d + lo, (hi - lo) * sizeof(float), (hi - lo) * sizeof(float));
                    t = hi;
                }
                else
                {
                    for (; t < hi; t++) d[t] = row[t * s + off];
                }
                for (; t < phaseLen; t++) d[t] = 0f;
            }
        }
    }

    /// <summary>One output plane from the bordered phases; <paramref name="maxVector"/> caps the vector width (tests force each path).</summary>
    internal static void Plane(float* buf, int phaseLen, float* f, float* y, int ho, int wo, in ConvGeometry g, int maxVector)
    {
        int s = g.SW, kh = g.KH, kw = g.KW;
        int taps = kh * kw;
        // Tap t reads phase row (oy·SH + ky·DH)·s + φ at column offset (kx·DW) / s.
        int* tapRow = stackalloc int[taps];
        int* tapCol = stackalloc int[taps];
        for (int ky = 0, t = 0; ky < kh; ky++)
        {
            for (int kx = 0; kx < kw; kx++, t++)
            {
                int off = kx * g.DW;
                tapRow[t] = ky * g.DH * s + off % s;
                tapCol[t] = off / s;
            }
        }
        bool v512 = maxVector >= 16 && Vector512.IsHardwareAccelerated;
        bool v256 = maxVector >= 8 && Vector256.IsHardwareAccelerated;
        bool v128 = maxVector >= 4 && Vector128.IsHardwareAccelerated;
        for (int oy = 0; oy < ho; oy++)
        {
            float* yr = y + (long)oy * wo;
            float* rowBase = buf + (long)oy * g.SH * s * phaseLen;
            int ox = 0;
            if (v512)
            {
                for (; ox + 16 <= wo; ox += 16)
                {
                    var acc = Vector512<float>.Zero;
                    for (int t = 0; t < taps; t++)
                    {
                        acc = Vector512.Add(acc, Vector512.Multiply(Vector512.Load(rowBase + (long)tapRow[t] * phaseLen + tapCol[t] + ox), Vector512.Create(f[t])));
                    }
                    Vector512.Store(acc, yr + ox);
                }
            }
            if (v256)
            {
                for (; ox + 8 <= wo; ox += 8)
                {
                    var acc = Vector256<float>.Zero;
                    for (int t = 0; t < taps; t++)
                    {
                        acc = Vector256.Add(acc, Vector256.Multiply(Vector256.Load(rowBase + (long)tapRow[t] * phaseLen + tapCol[t] + ox), Vector256.Create(f[t])));
                    }
                    Vector256.Store(acc, yr + ox);
                }
            }
            if (v128)
            {
                for (; ox + 4 <= wo; ox += 4)
                {
                    var acc = Vector128<float>.Zero;
                    for (int t = 0; t < taps; t++)
                    {
                        acc = Vector128.Add(acc, Vector128.Multiply(Vector128.Load(rowBase + (long)tapRow[t] * phaseLen + tapCol[t] + ox), Vector128.Create(f[t])));
                    }
                    Vector128.Store(acc, yr + ox);
                }
            }
            for (; ox < wo; ox++)
            {
                float acc = 0f;
                for (int t = 0; t < taps; t++) acc += rowBase[(long)tapRow[t] * phaseLen + tapCol[t] + ox] * f[t];
                yr[ox] = acc;
            }
        }
    }
}

using System.Runtime.Intrinsics;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Direct kernel for Paddle <c>depthwise_conv2d</c> (and <c>conv2d</c> with groups = C, C/groups = 1),
/// registered through <see cref="Conv2DKernel"/> (identical math and attributes). Filter [M, 1, kh, kw]
/// with channel multiplier M/C: output channel o reads input channel o / (M/C).
/// Each (image, out channel) plane is independent (parallel over planes). Interior columns with
/// stride 1 are computed 8 at a time with Vector256; taps are summed in (ky, kx) order.
/// </summary>
internal static unsafe class DepthwiseConv2D
{
    public static void Run(IntraOpPool pool, float* x, float* f, float* y, int n, int c, int h, int w, int m, ConvGeometry g, int ho, int wo)
    {
        var body = new Body { X = x, F = f, Y = y, C = c, H = h, W = w, M = m, G = g, Ho = ho, Wo = wo };
        int minChunk = (int)Math.Clamp(32768L / Math.Max(1L, (long)ho * wo * g.KH * g.KW), 1, int.MaxValue);
        pool.For(n * m, body, minChunk);
    }

    private struct Body : IParallelBody
    {
        public float* X, F, Y;
        public int C, H, W, M, Ho, Wo;
        public ConvGeometry G;

        public readonly void Run(int start, int end)
        {
            int mult = M / C;
            for (int p = start; p < end; p++)
            {
                int i = p / M, o = p % M;
                Plane(X + ((long)i * C + o / mult) * H * W, F + (long)o * G.KH * G.KW, Y + (long)p * Ho * Wo, H, W, Ho, Wo, G);
            }
        }
    }

    private static void Plane(float* x, float* f, float* y, int h, int w, int ho, int wo, in ConvGeometry g)
    {
        // Interior columns: every kx tap in range.
        int oxLo = 0, oxHi = -1;
        if (g.SW == 1)
        {
            oxLo = g.PadLeft;
            oxHi = w - 1 + g.PadLeft - (g.KW - 1) * g.DW; // inclusive
            oxLo = Math.Min(oxLo, wo);
            oxHi = Math.Min(oxHi, wo - 1);
        }
        bool vec = Vector256.IsHardwareAccelerated && oxHi - oxLo + 1 >= 8;
        for (int oy = 0; oy < ho; oy++)
        {
            float* yr = y + (long)oy * wo;
            int iyBase = oy * g.SH - g.PadTop;
            int ox = 0;
            if (vec)
            {
                for (; ox < oxLo; ox++) yr[ox] = Point(x, f, h, w, iyBase, ox, g);
                for (; ox + 8 <= oxHi + 1; ox += 8)
                {
                    var acc = Vector256<float>.Zero;
                    for (int ky = 0; ky < g.KH; ky++)
                    {
                        int iy = iyBase + ky * g.DH;
                        if ((uint)iy >= (uint)h) continue;
                        float* xr = x + (long)iy * w + ox - g.PadLeft;
                        float* fr = f + ky * g.KW;
                        for (int kx = 0; kx < g.KW; kx++)
                        {
                            acc = Vector256.Add(acc, Vector256.Multiply(Vector256.Load(xr + kx * g.DW), Vector256.Create(fr[kx])));
                        }
                    }
                    Vector256.Store(acc, yr + ox);
                }
            }
            for (; ox < wo; ox++) yr[ox] = Point(x, f, h, w, iyBase, ox, g);
        }
    }

    private static float Point(float* x, float* f, int h, int w, int iyBase, int ox, in ConvGeometry g)
    {
        float s = 0f;
        int ixBase = ox * g.SW - g.PadLeft;
        for (int ky = 0; ky < g.KH; ky++)
        {
            int iy = iyBase + ky * g.DH;
            if ((uint)iy >= (uint)h) continue;
            float* xr = x + (long)iy * w;
            float* fr = f + ky * g.KW;
            for (int kx = 0; kx < g.KW; kx++)
            {
                int ix = ixBase + kx * g.DW;
                if ((uint)ix < (uint)w) s += xr[ix] * fr[kx];
            }
        }
        return s;
    }
}

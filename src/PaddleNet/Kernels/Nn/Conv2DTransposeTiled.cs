using System.Numerics;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// conv2d_transpose when the kernel equals the stride with no padding, dilation or groups (the 2×2 stride-2
/// upsampling of DB text detectors): output pixels tile the output, each fed by exactly one (ky, kx) tap, so an
/// output row is, per kx, Σ_ci f[ci, o, ky, kx] · x[ci, iy, :] — a vector multiply-add over the input row, in the
/// reference's ci order and without fused multiply-add, hence bit-identical to <see cref="Plane"/>.
/// </summary>
internal sealed unsafe partial class Conv2DTransposeKernel
{
    /// <summary>Row accumulators live on the stack: at most this many floats (kw × input width).</summary>
    private const int MaxTiledRow = 8192;

    internal static bool IsTiled(in ConvGeometry g, int groups, int w, int ho, int wo, int h) =>
        groups == 1 && g.KH == g.SH && g.KW == g.SW && g.DH == 1 && g.DW == 1 && g.PadTop == 0 && g.PadLeft == 0 && g.PadBottom == 0 && g.PadRight == 0
        && ho == h * g.SH && wo == w * g.SW && (long)g.KW * w <= MaxTiledRow;

    /// <summary>One output plane (n, o) of the tiled case.</summary>
    internal static void TiledPlane(float* x, float* f, float* y, int n, int o, int c, int h, int w, int m, int ho, int wo, in ConvGeometry g, float bias)
    {
        int kh = g.KH, kw = g.KW;
        float* yp = y + ((long)n * m + o) * ho * wo;
        float* xn = x + (long)n * c * h * w;
        float* acc = stackalloc float[kw * w];
        int vw = Vector<float>.Count;
        for (int iy = 0; iy < h; iy++)
        {
            for (int ky = 0; ky < kh; ky++)
            {
                new Span<float>(acc, kw * w).Clear();
                for (int ci = 0; ci < c; ci++)
                {
                    float* xr = xn + ((long)ci * h + iy) * w;
                    float* fp = f + ((long)ci * m + o) * kh * kw + ky * kw;
                    for (int kx = 0; kx < kw; kx++)
                    {
                        float fv = fp[kx];
                        float* a = acc + kx * w;
                        int ix = 0;
                        if (Vector.IsHardwareAccelerated)
                        {
                            var vf = new Vector<float>(fv);
                            for (; ix <= w - vw; ix += vw)
                            {
                                var va = *(Vector<float>*)(a + ix);
                                *(Vector<float>*)(a + ix) = va + *(Vector<float>*)(xr + ix) * vf;
                            }
                        }

                        for (; ix < w; ix++) a[ix] += xr[ix] * fv;
                    }
                }

                float* row = yp + (long)(iy * kh + ky) * wo;
                for (int ix = 0; ix < w; ix++)
                {
                    for (int kx = 0; kx < kw; kx++) row[ix * kw + kx] = acc[kx * w + ix] + bias;
                }
            }
        }
    }
}

using System.Buffers;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Detection;

/// <summary>
/// Paddle <c>roi_align</c> (phi CPU kernel): X [N,C,H,W], ROIs [R,4] (x1, y1, x2, y2 in input pixels), RoisNum
/// int32/int64 [N] (or the legacy LoD, <see cref="LodLowering"/>; absent only for a batch of one) → Out [R,C,ph,pw].
/// Attributes pooled_height=1, pooled_width=1, spatial_scale=1, sampling_ratio=−1 (≤ 0: ceil(roi side / pooled side)
/// samples per bin), aligned=false (true shifts the RoI by −0.5 and drops the minimum side of 1). Each bin averages
/// bilinear samples at the centres of a regular grid; samples beyond one pixel outside the map count as 0.
/// The sampling plan (four offsets and weights per sample) is built once per RoI and applied to every channel,
/// as the CPU kernel does; arithmetic is float in its order.
/// </summary>
internal sealed class RoiAlignKernel : Kernel
{
    private readonly int _x, _rois, _roisNum, _out;
    private readonly int _ph, _pw, _sampling;
    private readonly float _scale;
    private readonly bool _aligned;

    private RoiAlignKernel(int x, int rois, int roisNum, int output, int ph, int pw, float scale, int sampling, bool aligned)
    {
        _x = x; _rois = rois; _roisNum = roisNum; _out = output; _ph = ph; _pw = pw; _scale = scale; _sampling = sampling; _aligned = aligned;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        int ph = a.GetInt("pooled_height", 1), pw = a.GetInt("pooled_width", 1);
        if (ph <= 0 || pw <= 0) throw b.Unsupported($"pooled_height and pooled_width must be positive, got {ph} and {pw}");
        float scale = a.GetFloat("spatial_scale", 1f);
        if (!(scale > 0) || float.IsInfinity(scale)) throw b.Unsupported($"spatial_scale must be positive, got {scale}");
        return new RoiAlignKernel(b.RequiredInput("X"), b.RequiredInput("ROIs"), b.Input("RoisNum"), b.RequiredOutput("Out"),
            ph, pw, scale, a.GetInt("sampling_ratio", -1), a.GetBool("aligned", false));
    }

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        var rs = ctx.Shape(_rois);
        if (xs.Length != 4) throw new ShapeMismatchException("roi_align X", "[N, C, H, W]", RoisNum.Fmt(xs), "roi_align");
        if (rs.Length != 2 || rs[1] != 4) throw new ShapeMismatchException("roi_align ROIs", "[R, 4]", RoisNum.Fmt(rs), "roi_align");
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3], r = rs[0];
        int images = RoisNum.Images(ctx, _roisNum);
        if (images != n) throw new ShapeMismatchException("roi_align RoisNum", $"{n} images (the batch of X)", $"{images}", "roi_align");
        Span<int> os = [r, c, _ph, _pw];
        var o = ctx.Allocate<float>(_out, os);
        if (r == 0) return;
        int[] offsets = ArrayPool<int>.Shared.Rent(n + 1);
        try
        {
            RoisNum.Offsets(ctx, _roisNum, r, offsets.AsSpan(0, n + 1), "roi_align", "RoisNum");
            var x = ctx.Read<float>(_x);
            var rois = ctx.Read<float>(_rois);
            for (int img = 0; img < n; img++)
            {
                for (int i = offsets[img]; i < offsets[img + 1]; i++)
                {
                    Roi(x.Slice(img * c * h * w, c * h * w), rois.Slice(i * 4, 4), o.Slice(i * c * _ph * _pw, c * _ph * _pw), c, h, w, _ph, _pw, _scale, _sampling, _aligned);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(offsets);
        }
    }

    public override double Flops(RunContext ctx) => 0;

    /// <summary>One RoI over one image's [C,H,W] map into its [C,ph,pw] output.</summary>
    internal static void Roi(ReadOnlySpan<float> x, ReadOnlySpan<float> roi, Span<float> o, int c, int h, int w, int ph, int pw, float scale, int sampling, bool aligned)
    {
        float off = aligned ? 0.5f : 0f;
        float xmin = roi[0] * scale - off, ymin = roi[1] * scale - off;
        float xmax = roi[2] * scale - off, ymax = roi[3] * scale - off;
        float rw = xmax - xmin, rh = ymax - ymin;
        if (!aligned)
        {
            rw = Math.Max(rw, 1f);
            rh = Math.Max(rh, 1f);
        }
        int gh = sampling > 0 ? sampling : (int)MathF.Ceiling(rh / ph);
        int gw = sampling > 0 ? sampling : (int)MathF.Ceiling(rw / pw);
        int samples = ph * pw * gh * gw;
        int[] idx = ArrayPool<int>.Shared.Rent(Math.Max(1, samples * 4));
        float[] wt = ArrayPool<float>.Shared.Rent(Math.Max(1, samples * 4));
        try
        {
            Plan(idx, wt, w, h, rw, rh, xmin, ymin, pw, gw, ph, gh);
            int grid = gh * gw;
            float count = (float)(1.0 / grid);
            for (int ch = 0; ch < c; ch++)
            {
                var plane = x.Slice(ch * h * w, h * w);
                var dst = o.Slice(ch * ph * pw, ph * pw);
                int s = 0;
                for (int bin = 0; bin < ph * pw; bin++)
                {
                    float sum = 0f;
                    for (int g = 0; g < grid; g++, s++)
                    {
                        int q = s * 4;
                        sum += wt[q] * plane[idx[q]] + wt[q + 1] * plane[idx[q + 1]] + wt[q + 2] * plane[idx[q + 2]] + wt[q + 3] * plane[idx[q + 3]];
                    }
                    dst[bin] = sum * count;
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(idx);
            ArrayPool<float>.Shared.Return(wt);
        }
    }

    /// <summary>phi GetIndexesAndRatios: per sample the offsets of (xl,yl), (xh,yl), (xl,yh), (xh,yh) and their weights.</summary>
    private static void Plan(int[] idx, float[] wt, int width, int height, float rw, float rh, float xmin, float ymin, int pw, int gw, int ph, int gh)
    {
        float binW = rw / pw, binH = rh / ph;
        int q = 0;
        for (int py = 0; py < ph; py++)
        {
            for (int px = 0; px < pw; px++)
            {
                for (int iy = 0; iy < gh; iy++)
                {
                    float y = ymin + binH * (py + (iy + .5f) / gh);
                    for (int ix = 0; ix < gw; ix++, q += 4)
                    {
                        float x = xmin + binW * (px + (ix + .5f) / gw);
                        if (y < -1.0 || y > height || x < -1.0 || x > width)
                        {
                            idx[q] = idx[q + 1] = idx[q + 2] = idx[q + 3] = 0;
                            wt[q] = wt[q + 1] = wt[q + 2] = wt[q + 3] = 0f;
                            continue;
                        }
                        if (y <= 0) y = 0;
                        if (x <= 0) x = 0;
                        int xl = (int)x, yl = (int)y, xh, yh;
                        if (xl >= width - 1) { xh = xl = width - 1; x = xl; } else xh = xl + 1;
                        if (yl >= height - 1) { yh = yl = height - 1; y = yl; } else yh = yl + 1;
                        float xr = xh - x, yr = yh - y;
                        // order of the phi sum: xy, Xy, xY, XY
                        idx[q] = yl * width + xl; wt[q] = xr * yr;
                        idx[q + 1] = yl * width + xh; wt[q + 1] = (1 - xr) * yr;
                        idx[q + 2] = yh * width + xl; wt[q + 2] = xr * (1 - yr);
                        idx[q + 3] = yh * width + xh; wt[q + 3] = (1 - xr) * (1 - yr);
                    }
                }
            }
        }
    }
}

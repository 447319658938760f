using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Resize;

/// <summary>
/// Paddle <c>grid_sampler</c> (PIR <c>grid_sample</c>): X [N, C, H, W], Grid [N, Ho, Wo, 2] holding (x, y) in [−1, 1] →
/// Output [N, C, Ho, Wo]. Attributes <c>mode</c> (bilinear | nearest), <c>padding_mode</c> (zeros | border | reflection),
/// <c>align_corners</c> (legacy default true). Coordinates unnormalise to ((g+1)/2)·(size−1) with align_corners, else
/// ((g+1)·size − 1)/2; border clamps, reflection folds; corners outside the image read 0. Nearest rounds half away from zero (Eigen round(), as Paddle's CPU kernel; numpy's oracle uses np.round, equal off exact halves).
/// float32/float64; 5-D (volumetric) sampling is refused at load.
/// </summary>
internal sealed class GridSamplerKernel : Kernel
{
    private readonly int _x, _grid, _out;
    private readonly bool _nearest, _alignCorners;
    private readonly int _padding; // 0 zeros, 1 border, 2 reflection

    private GridSamplerKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _grid = b.RequiredInput("Grid");
        _out = b.RequiredOutput("Output");
        var mode = b.Attrs.GetString("mode", "bilinear");
        _nearest = mode switch
        {
            "bilinear" => false,
            "nearest" => true,
            _ => throw b.Unsupported($"mode '{mode}'"),
        };
        var padding = b.Attrs.GetString("padding_mode", "zeros");
        _padding = padding switch
        {
            "zeros" => 0,
            "border" => 1,
            "reflection" => 2,
            _ => throw b.Unsupported($"padding_mode '{padding}'"),
        };
        _alignCorners = b.Attrs.GetBool("align_corners", true);
    }

    public static Kernel Create(KernelBuilder b) => new GridSamplerKernel(b);

    public override void Execute(RunContext ctx)
    {
        const string op = "grid_sampler";
        var xs = ctx.Shape(_x);
        var gs = ctx.Shape(_grid);
        if (xs.Length != 4) throw new ShapeMismatchException("grid_sampler X", "[N, C, H, W] (5-D sampling is not supported)", $"rank {xs.Length}", op);
        if (gs.Length != 4 || gs[0] != xs[0] || gs[3] != 2) throw new ShapeMismatchException("grid_sampler Grid", $"[{xs[0]}, Ho, Wo, 2]", $"[{string.Join(", ", gs.ToArray())}]", op);
        var type = ctx.Type(_x);
        if (type is not (DataType.Float32 or DataType.Float64)) throw new ShapeMismatchException("grid_sampler X", "float32 or float64", type.Name(), op);
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3], ho = gs[1], wo = gs[2];
        var dst = ctx.AllocateBytes(_out, type, [n, c, ho, wo]);
        bool f32 = type == DataType.Float32;
        var xf = f32 ? ctx.Read<float>(_x) : default;
        var xd = f32 ? default : ctx.Read<double>(_x);
        var of = f32 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(dst) : default;
        var od = f32 ? default : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(dst);
        int plane = h * w, oplane = ho * wo;
        for (int b = 0; b < n; b++)
        {
            for (int p = 0; p < oplane; p++)
            {
                int gi = (b * oplane + p) * 2;
                double gx = Unnormalize(ctx.ReadDouble(_grid, gi), w);
                double gy = Unnormalize(ctx.ReadDouble(_grid, gi + 1), h);
                if (_nearest)
                {
                    double rx = Math.Round(gx, MidpointRounding.AwayFromZero), ry = Math.Round(gy, MidpointRounding.AwayFromZero);
                    bool inside = rx >= 0 && rx <= w - 1 && ry >= 0 && ry <= h - 1;
                    int src = inside ? (int)ry * w + (int)rx : 0;
                    for (int ch = 0; ch < c; ch++)
                    {
                        int o = (b * c + ch) * oplane + p, i = (b * c + ch) * plane + src;
                        if (f32) of[o] = inside ? xf[i] : 0;
                        else od[o] = inside ? xd[i] : 0;
                    }
                    continue;
                }
                double fx = Math.Floor(gx), fy = Math.Floor(gy);
                int x0 = (int)Math.Clamp(fx, -2, w + 1), y0 = (int)Math.Clamp(fy, -2, h + 1);
                double dw = gx - fx, de = 1 - dw, dn = gy - fy, ds = 1 - dn;
                if (double.IsNaN(gx) || double.IsNaN(gy))
                {
                    x0 = -2;
                    y0 = -2;
                }
                for (int ch = 0; ch < c; ch++)
                {
                    int basei = (b * c + ch) * plane;
                    double v00 = f32 ? At(xf, basei, x0, y0, w, h) : At(xd, basei, x0, y0, w, h);
                    double v10 = f32 ? At(xf, basei, x0 + 1, y0, w, h) : At(xd, basei, x0 + 1, y0, w, h);
                    double v01 = f32 ? At(xf, basei, x0, y0 + 1, w, h) : At(xd, basei, x0, y0 + 1, w, h);
                    double v11 = f32 ? At(xf, basei, x0 + 1, y0 + 1, w, h) : At(xd, basei, x0 + 1, y0 + 1, w, h);
                    double v = v00 * de * ds + v01 * de * dn + v10 * dw * ds + v11 * dw * dn;
                    int o = (b * c + ch) * oplane + p;
                    if (f32) of[o] = (float)v;
                    else od[o] = v;
                }
            }
        }
    }

    private static double At<T>(ReadOnlySpan<T> x, int basei, int ix, int iy, int w, int h) where T : unmanaged, System.Numerics.INumberBase<T> =>
        ix >= 0 && ix < w && iy >= 0 && iy < h ? double.CreateTruncating(x[basei + iy * w + ix]) : 0;

    private double Unnormalize(double g, int size)
    {
        int max = size - 1;
        double v = _alignCorners ? 0.5 * ((g + 1) * max) : 0.5 * ((g + 1) * (max + 1)) - 0.5;
        if (_padding == 1)
        {
            v = Math.Clamp(v, 0, max);
        }
        else if (_padding == 2)
        {
            double range = _alignCorners ? 2.0 * max : 2.0 * (max + 1);
            if (range <= 0) return 0;
            double a = _alignCorners ? Math.Abs(v) : Math.Abs(v + 0.5);
            double extra = a - Math.Floor(a / range) * range;
            v = Math.Min(extra, range - extra);
            if (!_alignCorners) v = Math.Clamp(v - 0.5, 0, max);
        }
        return v;
    }
}

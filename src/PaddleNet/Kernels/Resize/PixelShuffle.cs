using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Resize;

/// <summary>
/// Paddle <c>pixel_shuffle</c>: X [N, C·r², H, W] → Out [N, C, H·r, W·r] with out[n, c, h·r+i, w·r+j] = x[n, c·r²+i·r+j, h, w],
/// r = <c>upscale_factor</c> (1); data_format "NCHW" or "NHWC" (channels last, same mapping). Any element type (data movement).
/// </summary>
internal sealed class PixelShuffleKernel : Kernel
{
    private readonly int _x, _out, _r;
    private readonly bool _nhwc;

    private PixelShuffleKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _out = b.RequiredOutput("Out");
        _r = b.Attrs.GetInt("upscale_factor", 1);
        if (_r < 1) throw b.Unsupported($"upscale_factor {_r}");
        var fmt = b.Attrs.GetString("data_format", "NCHW");
        _nhwc = fmt is "NHWC";
        if (!_nhwc && fmt is not ("NCHW" or "AnyLayout")) throw b.Unsupported($"data_format '{fmt}'");
    }

    public static Kernel Create(KernelBuilder b) => new PixelShuffleKernel(b);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        if (xs.Length != 4) throw new ShapeMismatchException("pixel_shuffle X", "rank 4", $"rank {xs.Length}");
        int r = _r, rr = r * r;
        int n = xs[0], cin = _nhwc ? xs[3] : xs[1], h = _nhwc ? xs[1] : xs[2], w = _nhwc ? xs[2] : xs[3];
        if (cin % rr != 0) throw new ShapeMismatchException("pixel_shuffle channels", $"a multiple of {rr}", cin.ToString());
        int c = cin / rr, oh = h * r, ow = w * r;
        Span<int> os = stackalloc int[4];
        if (_nhwc) { os[0] = n; os[1] = oh; os[2] = ow; os[3] = c; }
        else { os[0] = n; os[1] = c; os[2] = oh; os[3] = ow; }
        int es = ctx.Type(_x).SizeOf();
        var src = ctx.ReadBytes(_x);
        var dst = ctx.AllocateBytes(_out, ctx.Type(_x), os);
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < oh; y++)
                    for (int x = 0; x < ow; x++)
                    {
                        int hi = y / r, i = y % r, wi = x / r, j = x % r;
                        int ic = ch * rr + i * r + j;
                        long si = _nhwc ? (((long)b * h + hi) * w + wi) * cin + ic : (((long)b * cin + ic) * h + hi) * w + wi;
                        long di = _nhwc ? (((long)b * oh + y) * ow + x) * c + ch : (((long)b * c + ch) * oh + y) * ow + x;
                        src.Slice((int)(si * es), es).CopyTo(dst.Slice((int)(di * es), es));
                    }
    }
}

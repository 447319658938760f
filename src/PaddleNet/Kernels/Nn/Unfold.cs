using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>unfold</c> (im2col): X [N, C, H, W] → Y [N, C·kh·kw, L], L = Ho·Wo, with attributes <c>kernel_sizes</c>,
/// <c>strides</c>, <c>paddings</c> ([top, left, bottom, right]), <c>dilations</c>. Y[n, (c·kh + i)·kw + j, oh·Wo + ow] =
/// X[n, c, oh·sh − top + i·dh, ow·sw − left + j·dw], 0 in the padding. Any dtype.
/// </summary>
internal sealed class UnfoldKernel : Kernel
{
    private readonly int _x, _y;
    private readonly int[] _k, _s, _p, _d;

    private UnfoldKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _y = b.RequiredOutput("Y");
        _k = b.Attrs.GetInts("kernel_sizes");
        _s = b.Attrs.GetInts("strides");
        _p = b.Attrs.GetInts("paddings");
        _d = b.Attrs.GetInts("dilations");
        if (_k.Length != 2 || _s.Length != 2 || _d.Length != 2 || _p.Length != 4) throw b.Unsupported("kernel_sizes/strides/dilations need 2 values and paddings 4");
        if (_k.Any(v => v <= 0) || _s.Any(v => v <= 0) || _d.Any(v => v <= 0) || _p.Any(v => v < 0)) throw b.Unsupported("non-positive kernel, stride or dilation, or negative padding");
    }

    public static Kernel Create(KernelBuilder b) => new UnfoldKernel(b);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        if (xs.Length != 4) throw new ShapeMismatchException("unfold X", "[N, C, H, W]", $"rank {xs.Length}", "unfold");
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3];
        int ho = (h + _p[0] + _p[2] - (_d[0] * (_k[0] - 1) + 1)) / _s[0] + 1;
        int wo = (w + _p[1] + _p[3] - (_d[1] * (_k[1] - 1) + 1)) / _s[1] + 1;
        if (ho <= 0 || wo <= 0) throw new ShapeMismatchException("unfold output", "positive sizes", $"{ho}x{wo}", "unfold");
        var type = ctx.Type(_x);
        int es = type.SizeOf();
        int rows = c * _k[0] * _k[1], l = ho * wo;
        var dst = ctx.AllocateBytes(_y, type, [n, rows, l]);
        var src = ctx.ReadBytes(_x);
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int i = 0; i < _k[0]; i++)
                {
                    for (int j = 0; j < _k[1]; j++)
                    {
                        int row = (ch * _k[0] + i) * _k[1] + j;
                        for (int oh = 0; oh < ho; oh++)
                        {
                            int ih = oh * _s[0] - _p[0] + i * _d[0];
                            for (int ow = 0; ow < wo; ow++)
                            {
                                int iw = ow * _s[1] - _p[1] + j * _d[1];
                                var target = dst.Slice((int)((((long)b * rows + row) * l + oh * wo + ow) * es), es);
                                if (ih < 0 || ih >= h || iw < 0 || iw >= w) target.Clear();
                                else src.Slice((int)((((long)(b * c + ch) * h + ih) * w + iw) * es), es).CopyTo(target);
                            }
                        }
                    }
                }
            }
        }
    }
}

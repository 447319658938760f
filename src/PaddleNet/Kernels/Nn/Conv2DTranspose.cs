using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>conv2d_transpose</c> and <c>depthwise_conv2d_transpose</c> (NCHW, float32): Input [N,C,H,W],
/// Filter [C, M/groups, kh, kw] (, Bias [M]) → Output [N,M,Ho,Wo], the gradient of conv2d:
/// y[n,o,oy,ox] = Σ x[n,ci,iy,ix]·f[ci, o mod (M/groups), ky, kx] over iy·sh − pt + ky·dh = oy (ix likewise), ci in o's group.
/// Output size: (in−1)·s − pt − pb + d·(k−1) + 1 + output_padding, or output_size when given.
/// Attributes: strides, paddings (2/4 values), output_padding [], output_size [], padding_algorithm
/// (SAME pads from the input extent, dilation 1; VALID 0), groups 1, dilations [1,1], data_format NCHW.
/// Computed in gather form (each output pixel independent), parallel over (image, out channel) planes.
/// </summary>
internal sealed unsafe partial class Conv2DTransposeKernel : Kernel
{
    private readonly int _x, _w, _bias, _y, _groups;
    private readonly int[] _strides, _dilations, _pads, _outPad, _outSize;
    private readonly PadAlgorithm _alg;

    private Conv2DTransposeKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("Input");
        _w = b.RequiredInput("Filter");
        _bias = b.Input("Bias");
        _y = b.RequiredOutput("Output");
        ConvGeometry.CheckNchw(b);
        if (b.Input("output_size") >= 0 || b.Input("OutputSize") >= 0) throw b.Unsupported("output_size given as a tensor");
        _strides = ConvGeometry.ParsePair(b, "strides", 1);
        _dilations = ConvGeometry.ParsePair(b, "dilations", 1);
        _pads = ConvGeometry.ParsePads(b);
        _alg = ConvGeometry.ParseAlgorithm(b);
        _groups = Math.Max(1, b.Attrs.GetInt("groups", 1));
        _outPad = b.Attrs.GetInts("output_padding");
        _outSize = b.Attrs.GetInts("output_size");
        if (_outPad.Length is not (0 or 2) || _outSize.Length is not (0 or 2)) throw b.Unsupported("output_padding/output_size must have 0 or 2 values");
        if (_strides[0] <= 0 || _strides[1] <= 0 || _dilations[0] <= 0 || _dilations[1] <= 0) throw b.Unsupported("non-positive strides/dilations");
    }

    public static Kernel Create(KernelBuilder b) => new Conv2DTransposeKernel(b);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        var ws = ctx.Shape(_w);
        if (xs.Length != 4 || ws.Length != 4) throw new ShapeMismatchException("conv2d_transpose Input/Filter", "rank 4", $"ranks {xs.Length}, {ws.Length}");
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3];
        if (ws[0] != c) throw new ShapeMismatchException("conv2d_transpose Filter dim 0", $"{c} (input channels)", $"{ws[0]}");
        if (c % _groups != 0) throw new ShapeMismatchException("conv2d_transpose Input channels", $"a multiple of groups {_groups}", $"{c}");
        int mg = ws[1], m = mg * _groups, kh = ws[2], kw = ws[3];
        var g = ConvGeometry.Resolve(h, w, kh, kw, _strides, _dilations, _pads, _alg);
        int ho = (h - 1) * g.SH - g.PadTop - g.PadBottom + g.DH * (kh - 1) + 1;
        int wo = (w - 1) * g.SW - g.PadLeft - g.PadRight + g.DW * (kw - 1) + 1;
        if (_outSize.Length == 2)
        {
            if (_outSize[0] < ho || _outSize[0] >= ho + g.SH || _outSize[1] < wo || _outSize[1] >= wo + g.SW)
                throw new ShapeMismatchException("conv2d_transpose output_size", $"in [{ho}, {ho + g.SH}) x [{wo}, {wo + g.SW})", $"{_outSize[0]}x{_outSize[1]}");
            ho = _outSize[0]; wo = _outSize[1];
        }
        else if (_outPad.Length == 2)
        {
            ho += _outPad[0]; wo += _outPad[1];
        }
        if (ho <= 0 || wo <= 0) throw new ShapeMismatchException("conv2d_transpose output", "positive spatial size", $"{ho}x{wo}");
        Span<int> shape = stackalloc int[4];
        shape[0] = n; shape[1] = m; shape[2] = ho; shape[3] = wo;
        var y = ctx.Allocate<float>(_y, shape);
        ReadOnlySpan<float> bias = default;
        if (_bias >= 0)
        {
            bias = ctx.Read<float>(_bias);
            if (bias.Length != m) throw new ShapeMismatchException("conv2d_transpose Bias", $"{m} elements", $"{bias.Length}");
        }
        fixed (float* px = ctx.Read<float>(_x))
        fixed (float* pf = ctx.Read<float>(_w))
        fixed (float* pb = bias)
        fixed (float* py = y)
        {
            var body = new Body { X = px, F = pf, B = pb, Y = py, C = c, H = h, W = w, M = m, Groups = _groups, Ho = ho, Wo = wo, G = g };
            ctx.Pool.For(n * m, body, (int)Math.Clamp(16384L / Math.Max(1L, (long)ho * wo * kh * kw * (c / _groups)), 1, int.MaxValue));
        }
    }

    private struct Body : IParallelBody
    {
        public float* X, F, B, Y;
        public int C, H, W, M, Groups, Ho, Wo;
        public ConvGeometry G;

        public readonly void Run(int start, int end)
        {
            bool tiled = IsTiled(G, Groups, W, Ho, Wo, H);
            for (int p = start; p < end; p++)
            {
                if (tiled) TiledPlane(X, F, Y, p / M, p % M, C, H, W, M, Ho, Wo, G, B == null ? 0f : B[p % M]);
                else Plane(X, F, Y, p / M, p % M, C, H, W, M, Groups, Ho, Wo, G, B == null ? 0f : B[p % M]);
            }
        }
    }

    /// <summary>Reference for one output plane (n, o): gather form of the scatter-add, in (ci, ky, kx) order.</summary>
    internal static void Plane(float* x, float* f, float* y, int n, int o, int c, int h, int w, int m, int groups, int ho, int wo, in ConvGeometry g, float bias)
    {
        int cg = c / groups, mg = m / groups, grp = o / mg, og = o % mg;
        float* yp = y + ((long)n * m + o) * ho * wo;
        for (int oy = 0; oy < ho; oy++)
        {
            for (int ox = 0; ox < wo; ox++)
            {
                float s = 0f;
                for (int ci = grp * cg; ci < (grp + 1) * cg; ci++)
                {
                    float* xp = x + ((long)n * c + ci) * h * w;
                    float* fp = f + ((long)ci * mg + og) * g.KH * g.KW;
                    for (int ky = 0; ky < g.KH; ky++)
                    {
                        int ty = oy + g.PadTop - ky * g.DH;
                        if (ty < 0 || ty % g.SH != 0) continue;
                        int iy = ty / g.SH;
                        if (iy >= h) continue;
                        for (int kx = 0; kx < g.KW; kx++)
                        {
                            int tx = ox + g.PadLeft - kx * g.DW;
                            if (tx < 0 || tx % g.SW != 0) continue;
                            int ix = tx / g.SW;
                            if (ix >= w) continue;
                            s += xp[iy * w + ix] * fp[ky * g.KW + kx];
                        }
                    }
                }
                yp[oy * wo + ox] = s + bias;
            }
        }
    }
}

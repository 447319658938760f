using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>max_pool2d_with_index</c> (NCHW, float32): X [N,C,H,W] → Out [N,C,Ho,Wo], Mask int32
/// [N,C,Ho,Wo] = flat index iy·W + ix of the maximum inside the unpadded input plane (first of
/// equal values: replaced only when strictly greater, from −FLT_MAX).
/// Attributes: ksize, strides [1,1], paddings [0,0] (symmetric pair, or 4 values), global_pooling
/// false, adaptive false. Output (non-adaptive): (in − k + pad_before + pad_after)/s + 1; window
/// hs = oy·s − pt, he = min(hs + k, H), hs = max(hs, 0). Adaptive: [floor(i·H/o), ceil((i+1)·H/o)).
/// </summary>
internal sealed class MaxPool2DWithIndexKernel : Kernel
{
    private readonly int _x, _y, _mask;
    private readonly bool _global, _adaptive;
    private readonly int[] _ksize, _strides, _pads;

    private MaxPool2DWithIndexKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _y = b.RequiredOutput("Out");
        _mask = b.Output("Mask");
        _ksize = ConvGeometry.ParsePair(b, "ksize", 1);
        _strides = ConvGeometry.ParsePair(b, "strides", 1);
        _pads = ConvGeometry.ParsePads(b);
        _global = b.Attrs.GetBool("global_pooling", false);
        _adaptive = b.Attrs.GetBool("adaptive", false);
        if (b.Attrs.GetBool("ceil_mode", false)) throw b.Unsupported("ceil_mode");
        if (!_adaptive && (_strides[0] <= 0 || _strides[1] <= 0)) throw b.Unsupported("non-positive strides");
    }

    public static Kernel Create(KernelBuilder b) => new MaxPool2DWithIndexKernel(b);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        if (xs.Length != 4) throw new ShapeMismatchException("max_pool2d_with_index X", "rank 4 (NCHW)", $"rank {xs.Length}");
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3];
        int kh = _ksize[0], kw = _ksize[1], pt = _pads[0], pb = _pads[1], pl = _pads[2], pr = _pads[3];
        if (_global || _adaptive) pt = pb = pl = pr = 0;
        if (_global) { kh = h; kw = w; }
        int ho, wo;
        if (_adaptive) { ho = kh; wo = kw; }
        else
        {
            ho = (h - kh + pt + pb) / _strides[0] + 1;
            wo = (w - kw + pl + pr) / _strides[1] + 1;
        }
        if (ho <= 0 || wo <= 0) throw new ShapeMismatchException("max_pool2d_with_index output", "positive spatial size", $"{ho}x{wo}");
        Span<int> shape = stackalloc int[4];
        shape[0] = n; shape[1] = c; shape[2] = ho; shape[3] = wo;
        var y = ctx.Allocate<float>(_y, shape);
        Span<int> mask = _mask >= 0 ? ctx.Allocate<int>(_mask, shape) : default;
        var x = ctx.Read<float>(_x);
        int plane = h * w, oplane = ho * wo;
        for (int i = 0; i < n * c; i++)
        {
            Reference(x.Slice(i * plane, plane), h, w, kh, kw, _strides[0], _strides[1], pt, pl, _adaptive, ho, wo,
                y.Slice(i * oplane, oplane), mask.IsEmpty ? default : mask.Slice(i * oplane, oplane));
        }
    }

    /// <summary>Scalar reference for one plane.</summary>
    internal static void Reference(ReadOnlySpan<float> x, int h, int w, int kh, int kw, int sh, int sw, int pt, int pl, bool adaptive,
        int ho, int wo, Span<float> y, Span<int> mask)
    {
        for (int oy = 0; oy < ho; oy++)
        {
            int hs, he;
            if (adaptive)
            {
                hs = (int)Math.Floor((double)oy * h / ho);
                he = (int)Math.Ceiling((double)(oy + 1) * h / ho);
            }
            else
            {
                hs = oy * sh - pt;
                he = Math.Min(hs + kh, h);
                hs = Math.Max(hs, 0);
            }
            for (int ox = 0; ox < wo; ox++)
            {
                int ws, we;
                if (adaptive)
                {
                    ws = (int)Math.Floor((double)ox * w / wo);
                    we = (int)Math.Ceiling((double)(ox + 1) * w / wo);
                }
                else
                {
                    ws = ox * sw - pl;
                    we = Math.Min(ws + kw, w);
                    ws = Math.Max(ws, 0);
                }
                float best = -float.MaxValue;
                int index = -1;
                for (int iy = hs; iy < he; iy++)
                {
                    for (int ix = ws; ix < we; ix++)
                    {
                        float v = x[iy * w + ix];
                        if (best < v)
                        {
                            best = v;
                            index = iy * w + ix;
                        }
                    }
                }
                y[oy * wo + ox] = best;
                if (!mask.IsEmpty) mask[oy * wo + ox] = index;
            }
        }
    }
}

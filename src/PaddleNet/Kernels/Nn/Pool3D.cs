using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>pool3d</c> (NCDHW, float32): X [N, C, D, H, W] → Out [N, C, Do, Ho, Wo], pool2d's rules per dim (formats.md §5.4):
/// attributes pooling_type max|avg, ksize, strides, paddings (3 or 6), global_pooling, ceil_mode, exclusive (true),
/// adaptive, padding_algorithm. Window: s = o·stride − pad, e = min(s + k, in + pad), pool size (e − s) before clipping to
/// the input; max from −FLT_MAX; avg divides by the clipped volume (exclusive) or the pool size. Adaptive windows are
/// [⌊i·in/out⌋, ⌈(i+1)·in/out⌉) for both types (test_pool3d_op.py's oracle).
/// </summary>
internal sealed class Pool3DKernel : Kernel
{
    private readonly int _x, _y;
    private readonly bool _max, _global, _ceil, _exclusive, _adaptive;
    private readonly int[] _ksize, _strides, _pads;
    private readonly PadAlgorithm _alg;

    private Pool3DKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _y = b.RequiredOutput("Out");
        var type = b.Attrs.GetString("pooling_type", "max");
        _max = type switch
        {
            "max" => true,
            "avg" => false,
            _ => throw b.Unsupported($"pooling_type '{type}'"),
        };
        _ksize = Geometry3D.Triple(b, "ksize", 1);
        _strides = Geometry3D.Triple(b, "strides", 1);
        _pads = Geometry3D.Pads(b);
        _global = b.Attrs.GetBool("global_pooling", false);
        _ceil = b.Attrs.GetBool("ceil_mode", false);
        _exclusive = b.Attrs.GetBool("exclusive", true);
        _adaptive = b.Attrs.GetBool("adaptive", false);
        _alg = ConvGeometry.ParseAlgorithm(b);
        Geometry3D.CheckNcdhw(b);
        if (!_adaptive && !_global && _strides.Any(s => s < 1)) throw b.Unsupported("non-positive strides");
    }

    public static Kernel Create(KernelBuilder b) => new Pool3DKernel(b);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        if (xs.Length != 5) throw new ShapeMismatchException("pool3d X", "rank 5 (NCDHW)", $"rank {xs.Length}", "pool3d");
        Span<int> input = [xs[2], xs[3], xs[4]];
        Span<int> k = stackalloc int[3];
        _ksize.CopyTo(k);
        Span<int> pads = stackalloc int[6];
        _pads.CopyTo(pads);
        Span<int> one = [1, 1, 1];
        Geometry3D.Resolve(_alg, input, k, _strides, pads, one);
        if (_global || _adaptive) pads.Clear();
        if (_global) input.CopyTo(k);
        Span<int> outS = stackalloc int[3];
        for (int d = 0; d < 3; d++)
        {
            if (_adaptive) outS[d] = k[d];
            else if (_global) outS[d] = 1;
            else
            {
                int e = _ceil ? _strides[d] - 1 : 0;
                int num = input[d] - k[d] + pads[2 * d] + pads[2 * d + 1] + e;
                outS[d] = (num >= 0 ? num / _strides[d] : -((-num + _strides[d] - 1) / _strides[d])) + 1;
            }
            if (outS[d] <= 0) throw new ShapeMismatchException("pool3d output", "positive extents", $"[{outS[0]}, {outS[1]}, {outS[2]}]", "pool3d");
        }
        var x = ctx.Read<float>(_x);
        var y = ctx.Allocate<float>(_y, [xs[0], xs[1], outS[0], outS[1], outS[2]]);
        int planes = xs[0] * xs[1];
        int inVol = input[0] * input[1] * input[2], outVol = outS[0] * outS[1] * outS[2];
        Span<int> s = stackalloc int[3];
        Span<int> e2 = stackalloc int[3];
        Span<int> size = stackalloc int[3];
        Span<int> o = stackalloc int[3];
        for (int p = 0; p < planes; p++)
        {
            var xp = x.Slice(p * inVol, inVol);
            for (int f = 0; f < outVol; f++)
            {
                o[0] = f / (outS[1] * outS[2]);
                o[1] = f / outS[2] % outS[1];
                o[2] = f % outS[2];
                for (int d = 0; d < 3; d++)
                {
                    if (_adaptive)
                    {
                        s[d] = (int)Math.Floor((double)o[d] * input[d] / outS[d]);
                        e2[d] = (int)Math.Ceiling((double)(o[d] + 1) * input[d] / outS[d]);
                        size[d] = e2[d] - s[d];
                    }
                    else
                    {
                        s[d] = o[d] * (_global ? 1 : _strides[d]) - pads[2 * d];
                        e2[d] = Math.Min(s[d] + k[d], input[d] + pads[2 * d]);
                        size[d] = e2[d] - s[d];
                        s[d] = Math.Max(s[d], 0);
                        e2[d] = Math.Min(e2[d], input[d]);
                    }
                }
                float acc = _max ? -float.MaxValue : 0f;
                for (int a = s[0]; a < e2[0]; a++)
                {
                    for (int bb = s[1]; bb < e2[1]; bb++)
                    {
                        for (int c = s[2]; c < e2[2]; c++)
                        {
                            float v = xp[(a * input[1] + bb) * input[2] + c];
                            if (_max) acc = acc > v ? acc : v;
                            else acc += v;
                        }
                    }
                }
                if (!_max)
                {
                    int div = _exclusive || _adaptive ? (e2[0] - s[0]) * (e2[1] - s[1]) * (e2[2] - s[2]) : size[0] * size[1] * size[2];
                    acc /= div;
                }
                y[p * outVol + f] = acc;
            }
        }
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>max_pool3d_with_index</c> (NCDHW, float32): X → Out (max per window) and Mask (int32, the window maximum's
/// flat index d·H·W + h·W + w in its input plane; the first of equal maxima). Attributes ksize, strides, paddings
/// (3, symmetric), global_pooling, adaptive (windows [⌊i·in/out⌋, ⌈(i+1)·in/out⌉)). Out = (in + 2p − k)/s + 1.
/// </summary>
internal sealed class MaxPool3DWithIndexKernel : Kernel
{
    private readonly int _x, _y, _mask;
    private readonly int[] _ksize, _strides, _pads;
    private readonly bool _global, _adaptive;

    private MaxPool3DWithIndexKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _y = b.RequiredOutput("Out");
        _mask = b.Output("Mask");
        _ksize = Geometry3D.Triple(b, "ksize", 1);
        _strides = Geometry3D.Triple(b, "strides", 1);
        _pads = Geometry3D.Triple(b, "paddings", 0);
        _global = b.Attrs.GetBool("global_pooling", false);
        _adaptive = b.Attrs.GetBool("adaptive", false);
        if (_strides.Any(s => s < 1)) throw b.Unsupported("non-positive strides");
        if (_pads.Any(v => v < 0)) throw b.Unsupported("negative paddings");
    }

    public static Kernel Create(KernelBuilder b) => new MaxPool3DWithIndexKernel(b);

    public override void Execute(RunContext ctx)
    {
        const string op = "max_pool3d_with_index";
        var xs = ctx.Shape(_x);
        if (xs.Length != 5) throw new ShapeMismatchException("max_pool3d_with_index X", "rank 5 (NCDHW)", $"rank {xs.Length}", op);
        Span<int> input = [xs[2], xs[3], xs[4]];
        Span<int> k = stackalloc int[3];
        Span<int> pads = stackalloc int[3];
        _ksize.CopyTo(k);
        _pads.CopyTo(pads);
        if (_global)
        {
            input.CopyTo(k);
            pads.Clear();
        }
        Span<int> outS = stackalloc int[3];
        for (int d = 0; d < 3; d++)
        {
            outS[d] = _adaptive ? k[d] : (input[d] - k[d] + 2 * pads[d]) / _strides[d] + 1;
            if (outS[d] <= 0) throw new ShapeMismatchException("max_pool3d_with_index output", "positive extents", $"[{outS[0]}, {outS[1]}, {outS[2]}]", op);
        }
        var x = ctx.Read<float>(_x);
        Span<int> os = [xs[0], xs[1], outS[0], outS[1], outS[2]];
        var y = ctx.Allocate<float>(_y, os);
        var m = _mask >= 0 ? ctx.Allocate<int>(_mask, os) : default;
        int planes = xs[0] * xs[1];
        int inVol = input[0] * input[1] * input[2], outVol = outS[0] * outS[1] * outS[2];
        Span<int> s = stackalloc int[3];
        Span<int> e = stackalloc int[3];
        for (int p = 0; p < planes; p++)
        {
            var xp = x.Slice(p * inVol, inVol);
            for (int f = 0; f < outVol; f++)
            {
                int o0 = f / (outS[1] * outS[2]), o1 = f / outS[2] % outS[1], o2 = f % outS[2];
                Window(0, o0, input, k, pads, outS, s, e);
                Window(1, o1, input, k, pads, outS, s, e);
                Window(2, o2, input, k, pads, outS, s, e);
                float best = -float.MaxValue;
                int idx = -1;
                for (int a = s[0]; a < e[0]; a++)
                {
                    for (int b = s[1]; b < e[1]; b++)
                    {
                        for (int c = s[2]; c < e[2]; c++)
                        {
                            int at = (a * input[1] + b) * input[2] + c;
                            if (xp[at] > best)
                            {
                                best = xp[at];
                                idx = at;
                            }
                        }
                    }
                }
                y[p * outVol + f] = best;
                if (_mask >= 0) m[p * outVol + f] = idx;
            }
        }
    }

    private void Window(int d, int o, ReadOnlySpan<int> input, ReadOnlySpan<int> k, ReadOnlySpan<int> pads, ReadOnlySpan<int> outS, Span<int> s, Span<int> e)
    {
        if (_adaptive)
        {
            s[d] = (int)Math.Floor((double)o * input[d] / outS[d]);
            e[d] = (int)Math.Ceiling((double)(o + 1) * input[d] / outS[d]);
            return;
        }
        int start = o * _strides[d] - pads[d];
        s[d] = Math.Max(start, 0);
        e[d] = Math.Min(start + k[d], input[d]);
    }
}

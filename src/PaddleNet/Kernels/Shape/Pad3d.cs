using System.Runtime.InteropServices;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>pad3d</c>: X 5-D (, Paddings 1-D int tensor) → Out. Attributes <c>paddings</c> [left, right, top, bottom,
/// front, back] (W first; default zeros), <c>mode</c> constant (default) | reflect | replicate | circular, <c>value</c>
/// (constant fill, default 0), <c>data_format</c> NCDHW (default) or NDHWC. Reflect mirrors without repeating the edge,
/// replicate clamps, circular wraps. Any dtype.
/// </summary>
internal sealed class Pad3dKernel : Kernel
{
    private enum Mode { Constant, Reflect, Replicate, Circular }

    private readonly int _x, _out, _paddingsTensor;
    private readonly long[] _paddings;
    private readonly Mode _mode;
    private readonly double _value;
    private readonly bool _channelsLast;

    private Pad3dKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _out = b.RequiredOutput("Out");
        _paddingsTensor = b.Input("Paddings");
        _paddings = b.Attrs.GetLongs("paddings");
        if (_paddingsTensor < 0 && _paddings.Length == 0) _paddings = new long[6];
        _mode = b.Attrs.GetString("mode", "constant") switch
        {
            "constant" => Mode.Constant,
            "reflect" => Mode.Reflect,
            "replicate" or "edge" => Mode.Replicate,
            "circular" => Mode.Circular,
            var m => throw b.Unsupported($"mode '{m}'"),
        };
        _value = b.Attrs.GetDouble("value", 0);
        _channelsLast = b.Attrs.GetString("data_format", "NCDHW") switch
        {
            "NCDHW" or "NCHW" => false,
            "NDHWC" or "NHWC" => true,
            var f => throw b.Unsupported($"data_format '{f}'"),
        };
    }

    public static Kernel Create(KernelBuilder b) => new Pad3dKernel(b);

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        if (input.Length != 5) throw new ShapeMismatchException("pad3d X", "a 5-D tensor", $"rank {input.Length}");
        Span<long> p = stackalloc long[6];
        int np = DataMove.ReadIntArray(ctx, [], _paddingsTensor, _paddings, p, tensorFirst: true);
        if (np != 6) throw new ShapeMismatchException("pad3d paddings", "6 entries", np.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int n = input[0];
        int c = _channelsLast ? input[4] : input[1];
        int d = _channelsLast ? input[1] : input[2], h = _channelsLast ? input[2] : input[3], w = _channelsLast ? input[3] : input[4];
        int od = checked((int)(d + p[4] + p[5])), oh = checked((int)(h + p[2] + p[3])), ow = checked((int)(w + p[0] + p[1]));
        if (od < 0 || oh < 0 || ow < 0) throw new ShapeMismatchException("pad3d paddings", "a non-negative output", $"[{od}, {oh}, {ow}]");
        if (_mode == Mode.Reflect && (p[0] >= w || p[1] >= w || p[2] >= h || p[3] >= h || p[4] >= d || p[5] >= d))
        {
            throw new ShapeMismatchException("pad3d paddings", "reflect paddings smaller than the input dims", $"[{string.Join(", ", p.ToArray())}]");
        }
        if (_mode != Mode.Constant && (d == 0 || h == 0 || w == 0)) throw new ShapeMismatchException("pad3d X", "non-empty spatial dims", "an empty dim");
        Span<int> shape = stackalloc int[5];
        if (_channelsLast) { shape[0] = n; shape[1] = od; shape[2] = oh; shape[3] = ow; shape[4] = c; }
        else { shape[0] = n; shape[1] = c; shape[2] = od; shape[3] = oh; shape[4] = ow; }
        var type = ctx.Type(_x);
        var dst = ctx.AllocateBytes(_out, type, shape);
        var src = ctx.ReadBytes(_x);
        switch (type.SizeOf())
        {
            case 1: Run(src, dst, type, n, c, d, h, w, od, oh, ow, p); break;
            case 2: Run(MemoryMarshal.Cast<byte, short>(src), MemoryMarshal.Cast<byte, short>(dst), type, n, c, d, h, w, od, oh, ow, p); break;
            case 4: Run(MemoryMarshal.Cast<byte, int>(src), MemoryMarshal.Cast<byte, int>(dst), type, n, c, d, h, w, od, oh, ow, p); break;
            default: Run(MemoryMarshal.Cast<byte, long>(src), MemoryMarshal.Cast<byte, long>(dst), type, n, c, d, h, w, od, oh, ow, p); break;
        }
    }

    private void Run<T>(ReadOnlySpan<T> src, Span<T> dst, DataType type, int n, int c, int d, int h, int w, int od, int oh, int ow, ReadOnlySpan<long> p)
        where T : unmanaged
    {
        Span<T> fill = stackalloc T[1];
        DataMove.Fill(MemoryMarshal.AsBytes(fill), type, _value);
        T value = fill[0];
        // Element strides of (n, c, d, h, w) in input and output.
        long isc, isd, ish, isw, osc, osd, osh, osw;
        if (_channelsLast)
        {
            isc = 1; isw = c; ish = (long)w * c; isd = (long)h * w * c;
            osc = 1; osw = c; osh = (long)ow * c; osd = (long)oh * ow * c;
        }
        else
        {
            isw = 1; ish = w; isd = (long)h * w; isc = (long)d * h * w;
            osw = 1; osh = ow; osd = (long)oh * ow; osc = (long)od * oh * ow;
        }
        long isn = (long)c * d * h * w, osn = (long)c * od * oh * ow;
        for (int b = 0; b < n; b++)
        {
            for (int z = 0; z < od; z++)
            {
                int sz = Map(z - (int)p[4], d);
                for (int y = 0; y < oh; y++)
                {
                    int sy = Map(y - (int)p[2], h);
                    for (int x = 0; x < ow; x++)
                    {
                        int sx = Map(x - (int)p[0], w);
                        long o = b * osn + z * osd + y * osh + x * osw;
                        if (sz < 0 || sy < 0 || sx < 0)
                        {
                            for (int ch = 0; ch < c; ch++) dst[(int)(o + ch * osc)] = value;
                        }
                        else
                        {
                            long i = b * isn + sz * isd + sy * ish + sx * isw;
                            for (int ch = 0; ch < c; ch++) dst[(int)(o + ch * osc)] = src[(int)(i + ch * isc)];
                        }
                    }
                }
            }
        }
    }

    /// <summary>Source index for padded coordinate <paramref name="i"/> of a dim of size <paramref name="size"/>; −1 = constant.</summary>
    private int Map(int i, int size)
    {
        if (i >= 0 && i < size) return i;
        switch (_mode)
        {
            case Mode.Constant: return -1;
            case Mode.Reflect:
                if (size == 1) return 0;
                int period = 2 * (size - 1);
                int m = ((i % period) + period) % period;
                return m < size ? m : period - m;
            case Mode.Replicate: return Math.Clamp(i, 0, size - 1);
            default: return ((i % size) + size) % size;
        }
    }
}

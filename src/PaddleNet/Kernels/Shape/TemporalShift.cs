using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>temporal_shift</c> (TSM): X [N·T, C, H, W] (or NHWC with <c>data_format</c>) → Out of the same shape. With
/// T = <c>seg_num</c>, c1 = ⌊C·shift_ratio⌋, c2 = ⌊C·2·shift_ratio⌋: channels [0, c1) take frame t−1, [c1, c2) frame t+1
/// (zeros past either end), the rest frame t — test_temporal_shift_op.py's pad-and-slice oracle. Any dtype.
/// </summary>
internal sealed class TemporalShiftKernel : Kernel
{
    private readonly int _x, _out, _seg;
    private readonly double _ratio;
    private readonly bool _nhwc;

    private TemporalShiftKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _out = b.RequiredOutput("Out");
        _seg = b.Attrs.GetInt("seg_num", 1);
        _ratio = b.Attrs.GetFloat("shift_ratio", 0.25f);
        var layout = b.Attrs.GetString("data_format", "NCHW");
        _nhwc = layout switch
        {
            "NCHW" or "AnyLayout" => false,
            "NHWC" => true,
            _ => throw b.Unsupported($"data_format '{layout}'"),
        };
        if (_seg < 1) throw b.Unsupported($"seg_num {_seg}");
    }

    public static Kernel Create(KernelBuilder b) => new TemporalShiftKernel(b);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        if (xs.Length != 4 || xs[0] % _seg != 0) throw new ShapeMismatchException("temporal_shift X", $"4-D with dim 0 a multiple of seg_num {_seg}", $"[{string.Join(", ", xs.ToArray())}]", "temporal_shift");
        int nt = xs[0], c = _nhwc ? xs[3] : xs[1], hw = _nhwc ? xs[1] * xs[2] : xs[2] * xs[3];
        int c1 = (int)(c * _ratio), c2 = (int)(c * 2 * _ratio);
        var type = ctx.Type(_x);
        int es = type.SizeOf();
        var dst = ctx.AllocateBytes(_out, type, xs);
        var src = ctx.ReadBytes(_x);
        for (int f = 0; f < nt; f++)
        {
            int t = f % _seg;
            for (int ch = 0; ch < c; ch++)
            {
                int from = ch < c1 ? t - 1 : ch < c2 ? t + 1 : t;
                bool zero = from < 0 || from >= _seg;
                int sf = f - t + from;
                for (int p = 0; p < hw; p++)
                {
                    long o = _nhwc ? ((long)f * hw + p) * c + ch : ((long)f * c + ch) * hw + p;
                    long i = _nhwc ? ((long)sf * hw + p) * c + ch : ((long)sf * c + ch) * hw + p;
                    var target = dst.Slice((int)(o * es), es);
                    if (zero) target.Clear();
                    else src.Slice((int)(i * es), es).CopyTo(target);
                }
            }
        }
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Detection;

/// <summary>
/// Paddle <c>lod_reset</c>: Out = X with a new level-0 LoD. PaddleNet keeps LoD as explicit per-image counts
/// (<see cref="LodLowering"/>): when Y carries a LoD, Out simply takes Y's counts (traced at load, no work here); when
/// Y is a plain offsets tensor (int) or there is no Y and <c>target_lod</c> gives the offsets, the kernel writes the
/// counts to <c>paddlenet_OutRoisNum</c>. Offsets must start at 0, not decrease, and end at X's row count.
/// <c>append</c> (a second LoD level) is refused at load.
/// </summary>
internal sealed class LodResetKernel : Kernel
{
    /// <summary>The counts output <see cref="LodLowering"/> adds when the new LoD comes from Y's values or target_lod.</summary>
    public const string CountsSlot = "paddlenet_OutRoisNum";

    private readonly int _x, _y, _out, _counts;
    private readonly int[] _target;

    private LodResetKernel(int x, int y, int output, int counts, int[] target)
    {
        _x = x; _y = y; _out = output; _counts = counts; _target = target;
    }

    public static Kernel Create(KernelBuilder b)
    {
        if (b.Attrs.GetBool("append", false)) throw b.Unsupported("append=true (a second LoD level) is not supported");
        var target = b.Attrs.GetInts("target_lod");
        int y = b.Input("Y");
        int counts = b.Output(CountsSlot);
        if (y < 0 && target.Length == 0) throw b.Unsupported("neither Y nor target_lod gives the new LoD");
        return new LodResetKernel(b.RequiredInput("X"), counts >= 0 ? y : -1, b.RequiredOutput("Out"), counts, target);
    }

    public override void Execute(RunContext ctx)
    {
        var s = ctx.Shape(_x);
        ctx.CopyValue(_x, _out, s);
        if (_counts < 0) return;
        int rows = s.Length == 0 ? 1 : s[0];
        int len = _y >= 0 ? (int)ctx.ElementCount(_y) : _target.Length;
        if (len < 2) throw new ShapeMismatchException("lod_reset new LoD", "offsets [0, ..., rows] (at least 2 values)", $"{len} values", "lod_reset");
        Span<int> cs = [len - 1];
        var c = ctx.Allocate<int>(_counts, cs);
        long prev = Offset(ctx, 0);
        if (prev != 0) throw new ShapeMismatchException("lod_reset new LoD", "offsets starting at 0", $"{prev}", "lod_reset");
        for (int i = 1; i < len; i++)
        {
            long v = Offset(ctx, i);
            if (v < prev) throw new ShapeMismatchException("lod_reset new LoD", "non-decreasing offsets", $"{v} after {prev}", "lod_reset");
            c[i - 1] = (int)(v - prev);
            prev = v;
        }
        if (prev != rows) throw new ShapeMismatchException("lod_reset new LoD", $"offsets ending at X's {rows} rows", $"{prev}", "lod_reset");
    }

    private long Offset(RunContext ctx, int i) => _y >= 0 ? ctx.ReadInt64(_y, i) : _target[i];
}

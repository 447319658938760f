using System.Buffers;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Detection;

/// <summary>
/// Paddle <c>sequence_expand</c> for an X without LoD (the R-CNN use: one row per image, repeated once per RoI of that
/// image): Out row block i = X row i repeated counts[i] times, where counts are Y's per-image row counts at ref_level
/// (−1 or 0: PaddleNet traces one LoD level), wired in by <see cref="LodLowering"/> as <c>paddlenet_YRoisNum</c>.
/// X rows must equal Y's sequence count. An X that carries a LoD, or a Y whose LoD cannot be traced, is refused at load.
/// </summary>
internal sealed class SequenceExpandKernel : Kernel
{
    /// <summary>Y's per-sequence counts.</summary>
    public const string CountsSlot = "paddlenet_YRoisNum";

    /// <summary>Attribute <see cref="LodLowering"/> sets when X carries a LoD of its own.</summary>
    public const string XHasLodAttr = "paddlenet_x_has_lod";

    private readonly int _x, _counts, _out;

    private SequenceExpandKernel(int x, int counts, int output)
    {
        _x = x; _counts = counts; _out = output;
    }

    public static Kernel Create(KernelBuilder b)
    {
        int refLevel = b.Attrs.GetInt("ref_level", -1);
        if (refLevel is not (-1 or 0)) throw b.Unsupported($"ref_level {refLevel} (only one LoD level is traced: -1 or 0)");
        if (b.Attrs.GetBool(XHasLodAttr, false)) throw b.Unsupported("X carries a LoD (expanding whole sequences is not supported)");
        int counts = b.Input(CountsSlot);
        if (counts < 0) throw b.Unsupported("Y carries no LoD that could be traced from the program (its per-sequence counts are unknown)");
        return new SequenceExpandKernel(b.RequiredInput("X"), counts, b.RequiredOutput("Out"));
    }

    public override void Execute(RunContext ctx)
    {
        var s = ctx.Shape(_x);
        if (s.Length == 0) throw new ShapeMismatchException("sequence_expand X", "rank >= 1", "a scalar", "sequence_expand");
        int n = (int)ctx.ElementCount(_counts);
        if (s[0] != n) throw new ShapeMismatchException("sequence_expand X", $"{n} rows (one per sequence of Y)", RoisNum.Fmt(s), "sequence_expand");
        int rowBytes = n == 0 ? 0 : ctx.ReadBytes(_x).Length / n;
        long total = 0;
        for (int i = 0; i < n; i++)
        {
            long c = ctx.ReadInt64(_counts, i);
            if (c < 0) throw new ShapeMismatchException("sequence_expand Y counts", "non-negative", $"{c}", "sequence_expand");
            total += c;
        }
        int[] shape = ArrayPool<int>.Shared.Rent(s.Length);
        try
        {
            s.CopyTo(shape);
            shape[0] = checked((int)total);
            var o = ctx.AllocateBytes(_out, ctx.Type(_x), shape.AsSpan(0, s.Length));
            var x = ctx.ReadBytes(_x);
            int w = 0;
            for (int i = 0; i < n; i++)
            {
                long c = ctx.ReadInt64(_counts, i);
                for (long k = 0; k < c; k++, w++) x.Slice(i * rowBytes, rowBytes).CopyTo(o.Slice(w * rowBytes, rowBytes));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(shape);
        }
    }
}

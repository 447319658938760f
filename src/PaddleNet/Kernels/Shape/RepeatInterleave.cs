using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>repeat_interleave</c> (PIR <c>repeat_interleave</c>, <c>repeat_interleave_with_tensor_index</c>): X (,
/// RepeatsTensor) → Out, each slice of X along attribute <c>dim</c> repeated in place: <c>Repeats</c> times each, or
/// RepeatsTensor[i] times for slice i (numpy.repeat(x, repeats, axis=dim)). Any dtype.
/// </summary>
internal sealed class RepeatInterleaveKernel(int x, int repeatsTensor, int output, int repeats, int dim) : Kernel
{
    public static Kernel Create(KernelBuilder b) =>
        new RepeatInterleaveKernel(b.RequiredInput("X"), b.Input("RepeatsTensor"), b.RequiredOutput("Out"), b.Attrs.GetInt("Repeats", 1), b.Attrs.GetInt("dim", 0));

    public override void Execute(RunContext ctx)
    {
        const string op = "repeat_interleave";
        var xs = ctx.Shape(x);
        int r = Math.Max(xs.Length, 1);
        Span<int> shape = stackalloc int[r];
        if (xs.Length == 0) shape[0] = 1;
        else xs.CopyTo(shape);
        int a = DataMove.NormAxis(dim, r, "repeat_interleave dim");
        int n = shape[a];
        long tensorCount = repeatsTensor >= 0 ? ctx.ElementCount(repeatsTensor) : 0;
        if (repeatsTensor >= 0 && tensorCount != n && tensorCount != 1) throw new ShapeMismatchException("repeat_interleave RepeatsTensor", $"{n} (or 1) repeats", tensorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), op);
        long total = 0;
        for (int i = 0; i < n; i++)
        {
            long c = Repeat(ctx, i, tensorCount);
            if (c < 0) throw new ShapeMismatchException("repeat_interleave repeats", "non-negative counts", c.ToString(System.Globalization.CultureInfo.InvariantCulture), op);
            total += c;
        }
        shape[a] = checked((int)total);
        var type = ctx.Type(x);
        int es = type.SizeOf();
        var dst = ctx.AllocateBytes(output, type, shape);
        var src = ctx.ReadBytes(x);
        long outer = DataMove.Product(shape, 0, a), inner = DataMove.Product(shape, a + 1) * es;
        long o = 0;
        for (long p = 0; p < outer; p++)
        {
            for (int i = 0; i < n; i++)
            {
                var piece = src.Slice((int)((p * n + i) * inner), (int)inner);
                for (long c = Repeat(ctx, i, tensorCount); c > 0; c--)
                {
                    piece.CopyTo(dst.Slice((int)o, (int)inner));
                    o += inner;
                }
            }
        }
    }

    private long Repeat(RunContext ctx, int i, long tensorCount) =>
        repeatsTensor < 0 ? repeats : ctx.ReadInt64(repeatsTensor, tensorCount == 1 ? 0 : i);
}

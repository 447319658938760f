using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>take_along_axis</c>: Input, Index (int32/int64, same rank) → Result of Index's shape, numpy.take_along_axis:
/// Result[…, i, …] = Input[…, Index[…, i, …], …] along attribute <c>Axis</c>; the other dims index Input directly (Index's
/// must not exceed Input's). Negative indices count from the end; out-of-range ones are an error. Any dtype.
/// </summary>
internal sealed class TakeAlongAxisKernel(int input, int index, int output, int axis) : Kernel
{
    public static Kernel Create(KernelBuilder b) =>
        new TakeAlongAxisKernel(b.RequiredInput("Input"), b.RequiredInput("Index"), b.RequiredOutput("Result"), b.Attrs.GetInt("Axis", 0));

    public override void Execute(RunContext ctx)
    {
        const string op = "take_along_axis";
        var xs = ctx.Shape(input);
        var ids = ctx.Shape(index);
        int r = xs.Length;
        if (ids.Length != r) throw new ShapeMismatchException("take_along_axis Index", $"rank {r}", $"rank {ids.Length}", op);
        int a = DataMove.NormAxis(axis, r, "take_along_axis Axis");
        for (int d = 0; d < r; d++)
        {
            if (d != a && ids[d] > xs[d]) throw new ShapeMismatchException("take_along_axis Index", $"dim {d} <= {xs[d]}", ids[d].ToString(System.Globalization.CultureInfo.InvariantCulture), op);
        }
        var type = ctx.Type(input);
        int es = type.SizeOf();
        var dst = ctx.AllocateBytes(output, type, ids);
        var src = ctx.ReadBytes(input);
        Span<long> xstr = stackalloc long[RunContext.MaxRank];
        DataMove.Strides(xs, xstr[..r]);
        long n = ctx.ElementCount(index);
        for (long f = 0; f < n; f++)
        {
            long rest = f, off = 0;
            for (int d = r - 1; d >= 0; d--)
            {
                long i = rest % ids[d];
                rest /= ids[d];
                if (d == a)
                {
                    i = ctx.ReadInt64(index, (int)f);
                    if (i < 0) i += xs[a];
                    if (i < 0 || i >= xs[a]) throw new ShapeMismatchException("take_along_axis Index", $"values in [-{xs[a]}, {xs[a]})", ctx.ReadInt64(index, (int)f).ToString(System.Globalization.CultureInfo.InvariantCulture), op);
                }
                off += i * xstr[d];
            }
            src.Slice((int)(off * es), es).CopyTo(dst.Slice((int)(f * es), es));
        }
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>pad</c>: X → Out; attribute <c>paddings</c> = [before0, after0, before1, after1, …] (non-negative, one pair
/// per dim), <c>pad_value</c> (default 0) fills the border. Any dtype (fill + one box copy).
/// </summary>
internal sealed class PadKernel : Kernel
{
    private readonly int _x, _out;
    private readonly int[] _paddings;
    private readonly double _value;

    private PadKernel(int x, int output, int[] paddings, double value)
    {
        _x = x;
        _out = output;
        _paddings = paddings;
        _value = value;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var p = b.Attrs.GetInts("paddings");
        if (p.Any(v => v < 0)) throw b.Unsupported("negative paddings");
        return new PadKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), p, b.Attrs.GetDouble("pad_value", 0));
    }

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        int r = input.Length;
        if (_paddings.Length != 2 * r) throw new ShapeMismatchException("pad paddings", $"{2 * r} entries for rank {r}", _paddings.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Span<int> shape = stackalloc int[r];
        for (int i = 0; i < r; i++) shape[i] = input[i] + _paddings[2 * i] + _paddings[2 * i + 1];
        var type = ctx.Type(_x);
        var dst = ctx.AllocateBytes(_out, type, shape);
        DataMove.Fill(dst, type, _value);
        Span<long> ss = stackalloc long[RunContext.MaxRank];
        Span<long> ds = stackalloc long[RunContext.MaxRank];
        DataMove.Strides(input, ss[..r]);
        DataMove.Strides(shape, ds[..r]);
        long off = 0;
        for (int i = 0; i < r; i++) off += _paddings[2 * i] * ds[i];
        DataMove.Copy(ctx.ReadBytes(_x), 0, ss[..r], dst, off, ds[..r], input, type.SizeOf());
    }
}

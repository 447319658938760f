using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>tril_triu</c> (PIR <c>tril</c> / <c>triu</c>): X (rank ≥ 2) → Out, the last two dims masked: with <c>lower</c>
/// keep (i, j) where j − i ≤ <c>diagonal</c> (numpy.tril(x, k)), else keep j − i ≥ diagonal (numpy.triu); the rest is 0.
/// Any dtype.
/// </summary>
internal sealed class TrilTriuKernel : Kernel
{
    private readonly int _x, _out, _diagonal;
    private readonly bool _lower;

    private TrilTriuKernel(int x, int output, int diagonal, bool lower)
    {
        _x = x;
        _out = output;
        _diagonal = diagonal;
        _lower = lower;
    }

    public static Kernel Create(KernelBuilder b) =>
        new TrilTriuKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), b.Attrs.GetInt("diagonal", 0), b.Attrs.GetBool("lower", true));

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        if (xs.Length < 2) throw new ShapeMismatchException("tril_triu X", "rank >= 2", xs.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), "tril_triu");
        var type = ctx.Type(_x);
        int es = type.SizeOf();
        var dst = ctx.AllocateBytes(_out, type, xs);
        ctx.ReadBytes(_x).CopyTo(dst);
        int h = xs[^2], w = xs[^1];
        long mats = DataMove.Product(xs, 0, xs.Length - 2);
        for (long m = 0; m < mats; m++)
        {
            for (int i = 0; i < h; i++)
            {
                for (int j = 0; j < w; j++)
                {
                    bool keep = _lower ? j - i <= _diagonal : j - i >= _diagonal;
                    if (!keep) dst.Slice((int)(((m * h + i) * w + j) * es), es).Clear();
                }
            }
        }
    }
}

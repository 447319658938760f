using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle op where: Out = Condition ? X : Y. Condition bool; X, Y of one dtype (any). Legacy
/// requires equal shapes; PIR's where broadcasts numpy-style (right-aligned), handled here too.
/// </summary>
internal sealed class WhereKernel(int cond, int x, int y, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b) =>
        new WhereKernel(b.RequiredInput("Condition"), b.RequiredInput("X"), b.RequiredInput("Y"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx)
    {
        var t = ctx.Type(x);
        if (ctx.Type(y) != t) throw new ShapeMismatchException("where Y", t.Name(), ctx.Type(y).Name(), "where");
        if (ctx.Type(cond) != DataType.Bool) throw new ShapeMismatchException("where Condition", "bool", ctx.Type(cond).Name(), "where");
        var cs = ctx.Shape(cond);
        var xs = ctx.Shape(x);
        var ys = ctx.Shape(y);
        int rank = Math.Max(cs.Length, Math.Max(xs.Length, ys.Length));
        Span<int> ca = stackalloc int[RunContext.MaxRank];
        Span<int> xa = stackalloc int[RunContext.MaxRank];
        Span<int> ya = stackalloc int[RunContext.MaxRank];
        Span<int> os = stackalloc int[RunContext.MaxRank];
        Pad(cs, ca, rank);
        Pad(xs, xa, rank);
        Pad(ys, ya, rank);
        for (int d = 0; d < rank; d++)
        {
            int m = Math.Max(ca[d], Math.Max(xa[d], ya[d]));
            if ((ca[d] != m && ca[d] != 1) || (xa[d] != m && xa[d] != 1) || (ya[d] != m && ya[d] != 1))
            {
                throw new ShapeMismatchException("where operand shapes", "broadcastable shapes", $"Condition [{Broadcast.Fmt(cs)}], X [{Broadcast.Fmt(xs)}], Y [{Broadcast.Fmt(ys)}]", "where");
            }
            os[d] = ca[d] == 0 || xa[d] == 0 || ya[d] == 0 ? 0 : m;
        }
        int size = t.SizeOf();
        var c = ctx.Read<bool>(cond);
        var xb = ctx.ReadBytes(x);
        var yb = ctx.ReadBytes(y);
        var o = ctx.AllocateBytes(output, t, os[..rank]);
        int count = o.Length / size;
        bool same = cs.SequenceEqual(xs) && xs.SequenceEqual(ys);
        Span<int> idx = stackalloc int[RunContext.MaxRank];
        for (int i = 0; i < count; i++)
        {
            int ci = i, xi = i, yi = i;
            if (!same)
            {
                int rem = i;
                for (int d = rank - 1; d >= 0; d--)
                {
                    idx[d] = rem % os[d];
                    rem /= os[d];
                }
                ci = xi = yi = 0;
                for (int d = 0; d < rank; d++)
                {
                    ci = ci * ca[d] + (ca[d] == 1 ? 0 : idx[d]);
                    xi = xi * xa[d] + (xa[d] == 1 ? 0 : idx[d]);
                    yi = yi * ya[d] + (ya[d] == 1 ? 0 : idx[d]);
                }
            }
            var src = c[ci] ? xb.Slice(xi * size, size) : yb.Slice(yi * size, size);
            src.CopyTo(o.Slice(i * size, size));
        }
    }

    private static void Pad(ReadOnlySpan<int> s, Span<int> a, int rank)
    {
        int off = rank - s.Length;
        for (int d = 0; d < rank; d++) a[d] = d < off ? 1 : s[d - off];
    }
}

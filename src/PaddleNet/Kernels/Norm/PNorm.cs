using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Norm;

/// <summary>
/// Paddle <c>p_norm</c>: vector p-norm of X along <c>axis</c> (−1), or of all of X when <c>asvector</c> (false).
/// <c>porder</c> (2): 0 ⇒ count of non-zeros; +inf ⇒ max |x|; −inf ⇒ min |x|; else (Σ |x|^p)^(1/p).
/// <c>keepdim</c> (false) keeps the reduced axis (all axes when asvector) as 1. <c>epsilon</c> only matters for the
/// gradient. float32 (accumulated in double).
/// </summary>
internal sealed class PNormKernel : Kernel
{
    private readonly int _x, _out;
    private readonly long _axis;
    private readonly double _p;
    private readonly bool _keep, _asVector;

    private PNormKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _out = b.RequiredOutput("Out");
        _axis = b.Attrs.GetLong("axis", -1);
        _p = b.Attrs.GetDouble("porder", 2.0);
        _keep = b.Attrs.GetBool("keepdim", false);
        _asVector = b.Attrs.GetBool("asvector", false);
    }

    public static Kernel Create(KernelBuilder b) => new PNormKernel(b);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        int rank = xs.Length;
        Span<int> os = stackalloc int[RunContext.MaxRank];
        int orank = 0;
        long outer = 1, n = 1, inner = 1;
        if (_asVector || rank == 0)
        {
            foreach (var d in xs) n *= d;
            if (_keep) for (int d = 0; d < rank; d++) os[orank++] = 1;
        }
        else
        {
            long axis = _axis < 0 ? _axis + rank : _axis;
            if (axis < 0 || axis >= rank) throw new ShapeMismatchException("p_norm axis", $"in [-{rank}, {rank})", _axis.ToString());
            n = xs[(int)axis];
            for (int d = 0; d < rank; d++)
            {
                if (d < axis) outer *= xs[d];
                if (d > axis) inner *= xs[d];
                if (d != axis) os[orank++] = xs[d];
                else if (_keep) os[orank++] = 1;
            }
        }
        var x = ctx.Read<float>(_x);
        var y = ctx.Allocate<float>(_out, os[..orank]);
        for (long o = 0; o < outer; o++)
        {
            for (long i = 0; i < inner; i++)
            {
                y[(int)(o * inner + i)] = Norm(x, o * n * inner + i, n, inner, _p);
            }
        }
    }

    internal static float Norm(ReadOnlySpan<float> x, long start, long n, long stride, double p)
    {
        if (p == 0)
        {
            float c = 0f;
            for (long k = 0; k < n; k++) if (x[(int)(start + k * stride)] != 0f) c += 1f;
            return c;
        }
        if (double.IsPositiveInfinity(p) || double.IsNegativeInfinity(p))
        {
            bool max = p > 0;
            float r = n == 0 ? 0f : MathF.Abs(x[(int)start]);
            for (long k = 1; k < n; k++)
            {
                float a = MathF.Abs(x[(int)(start + k * stride)]);
                if (max ? a > r : a < r) r = a;
            }
            return r;
        }
        double s = 0;
        for (long k = 0; k < n; k++) s += Math.Pow(Math.Abs(x[(int)(start + k * stride)]), p);
        return (float)Math.Pow(s, 1.0 / p);
    }
}

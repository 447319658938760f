using System.Numerics;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Paddle <c>cumsum</c>: running sum along <c>axis</c> (default −1), accumulated in the element type in order.
/// <c>flatten</c> (false) treats X as 1-D (output [numel]); <c>exclusive</c> (false) shifts by one (first is 0);
/// <c>reverse</c> (false) runs from the end. Dtypes float32, float64, int32, int64.
/// </summary>
internal sealed class CumSumKernel : Kernel
{
    private readonly int _x;
    private readonly int _out;
    private readonly long _axis;
    private readonly bool _flatten;
    private readonly bool _exclusive;
    private readonly bool _reverse;

    private CumSumKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _out = b.RequiredOutput("Out");
        _axis = b.Attrs.GetLong("axis", -1);
        _flatten = b.Attrs.GetBool("flatten", false);
        _exclusive = b.Attrs.GetBool("exclusive", false);
        _reverse = b.Attrs.GetBool("reverse", false);
    }

    public static Kernel Create(KernelBuilder b) => new CumSumKernel(b);

    public override void Execute(RunContext ctx)
    {
        switch (ctx.Type(_x))
        {
            case DataType.Float32: Run<float>(ctx); break;
            case DataType.Float64: Run<double>(ctx); break;
            case DataType.Int32: Run<int>(ctx); break;
            case DataType.Int64: Run<long>(ctx); break;
            default: throw new ShapeMismatchException("cumsum X", "float32/float64/int32/int64", ctx.Type(_x).Name());
        }
    }

    private void Run<T>(RunContext ctx) where T : unmanaged, INumber<T>
    {
        var xs = ctx.Shape(_x);
        int rank = xs.Length;
        long outer = 1, n, inner = 1;
        Span<int> os = stackalloc int[RunContext.MaxRank];
        int orank;
        if (_flatten || rank <= 1)
        {
            n = 1;
            foreach (var d in xs) n *= d;
            if (_flatten) { os[0] = (int)n; orank = 1; }
            else { xs.CopyTo(os); orank = rank; }
        }
        else
        {
            AxisRows.Split(xs, _axis, "cumsum axis", out outer, out int len, out inner);
            n = len;
            xs.CopyTo(os);
            orank = rank;
        }
        var src = ctx.Read<T>(_x);
        var y = ctx.Allocate<T>(_out, os[..orank]);
        for (long o = 0; o < outer; o++)
        {
            for (long i = 0; i < inner; i++)
            {
                long baseIdx = o * n * inner + i;
                T acc = T.Zero;
                for (long k = 0; k < n; k++)
                {
                    long kk = _reverse ? n - 1 - k : k;
                    int idx = (int)(baseIdx + kk * inner);
                    T v = src[idx];
                    if (_exclusive) { y[idx] = acc; acc += v; }
                    else { acc += v; y[idx] = acc; }
                }
            }
        }
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Paddle <c>logsumexp</c>: X → Out = log Σ exp X over attribute <c>axis</c> (list; empty or <c>reduce_all</c> = all),
/// <c>keepdim</c>. Max-shifted as Paddle's kernel (max + log Σ exp(x − max)), so large inputs do not overflow; an all
/// −inf slice gives −inf. float32/float64, accumulated in double.
/// </summary>
internal sealed class LogsumexpKernel : Kernel
{
    private readonly int _x, _out;
    private readonly long[] _axes;
    private readonly bool _keep, _all;

    private LogsumexpKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _out = b.RequiredOutput("Out");
        _axes = b.Attrs.GetLongs("axis");
        _keep = b.Attrs.GetBool("keepdim", false);
        _all = b.Attrs.GetBool("reduce_all", false);
    }

    public static Kernel Create(KernelBuilder b) => new LogsumexpKernel(b);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        var type = ctx.Type(_x);
        if (type is not (DataType.Float32 or DataType.Float64)) throw new ShapeMismatchException("logsumexp X", "float32 or float64", type.Name(), "logsumexp");
        int mask = AxisWalk.Mask(_axes, _all, xs.Length, "logsumexp");
        Span<int> os = stackalloc int[RunContext.MaxRank];
        int orank = AxisWalk.OutShape(xs, mask, _keep, os);
        long outN = DataMove.Product(os[..orank]);
        var max = new double[outN];
        var sum = new double[outN];
        Array.Fill(max, double.NegativeInfinity);
        long n = ctx.ElementCount(_x);
        for (long f = 0; f < n; f++)
        {
            long o = AxisWalk.OutIndex(f, xs, mask);
            max[o] = Math.Max(max[o], ctx.ReadDouble(_x, (int)f));
        }
        for (long f = 0; f < n; f++)
        {
            long o = AxisWalk.OutIndex(f, xs, mask);
            if (!double.IsNegativeInfinity(max[o])) sum[o] += Math.Exp(ctx.ReadDouble(_x, (int)f) - max[o]);
        }
        var dst = ctx.AllocateBytes(_out, type, os[..orank]);
        int es = type.SizeOf();
        for (long o = 0; o < outN; o++)
        {
            double v = double.IsNegativeInfinity(max[o]) ? max[o] : max[o] + Math.Log(sum[o]);
            DataMove.Fill(dst.Slice((int)(o * es), es), type, v);
        }
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>index_sample</c>: X [B, N], Index [B, K] (int32/int64) → Out [B, K], Out[b, k] = X[b, Index[b, k]].
/// Indices outside [0, N) are an error. Any dtype.
/// </summary>
internal sealed class IndexSampleKernel(int x, int index, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new IndexSampleKernel(b.RequiredInput("X"), b.RequiredInput("Index"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(x);
        var ids = ctx.Shape(index);
        if (xs.Length != 2 || ids.Length != 2 || ids[0] != xs[0]) throw new ShapeMismatchException("index_sample X/Index", "[B, N] and [B, K]", $"[{string.Join(", ", xs.ToArray())}] and [{string.Join(", ", ids.ToArray())}]", "index_sample");
        var type = ctx.Type(x);
        int es = type.SizeOf(), n = xs[1], k = ids[1];
        var dst = ctx.AllocateBytes(output, type, ids);
        var src = ctx.ReadBytes(x);
        for (int b = 0; b < ids[0]; b++)
        {
            for (int j = 0; j < k; j++)
            {
                long i = ctx.ReadInt64(index, b * k + j);
                if (i < 0 || i >= n) throw new ShapeMismatchException("index_sample Index", $"values in [0, {n})", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "index_sample");
                src.Slice((int)((b * (long)n + i) * es), es).CopyTo(dst.Slice((b * k + j) * es, es));
            }
        }
    }
}

using System.Numerics.Tensors;
using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle ops softmax and log_softmax along attribute <c>axis</c> (−1; any axis, negative counts
/// from the end): softmax = e^(x − max) / Σ e^(x − max); log_softmax = (x − max) − ln Σ e^(x − max).
/// X float32 → Out (same shape).
/// </summary>
internal sealed class SoftmaxKernel(int x, int output, int axis, bool log, string opType) : Kernel
{
    public static Kernel Create(KernelBuilder b) =>
        new SoftmaxKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), b.Attrs.GetInt("axis", -1), false, "softmax");

    public static Kernel CreateLog(KernelBuilder b) =>
        new SoftmaxKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), b.Attrs.GetInt("axis", -1), true, "log_softmax");

    public override void Execute(RunContext ctx)
    {
        if (ctx.Type(x) != DataType.Float32) throw new ShapeMismatchException($"{opType} input X", "float32", ctx.Type(x).Name(), opType);
        var shape = ctx.Shape(x);
        Split(shape, axis, opType, out int outer, out int n, out int inner);
        var src = ctx.Read<float>(x);
        var dst = ctx.Allocate<float>(output, shape);
        if (inner == 1 && n < SmallAxis && !log) SmallRows(src, dst, outer, n);
        else if (inner == 1) FastRows(src, dst, outer, n, log);
        else if (!log) Strided(ctx.Scratch, src, dst, outer, n, inner);
        else Reference(src, dst, outer, n, inner, log);
    }

    public static void Split(ReadOnlySpan<int> shape, int axis, string opType, out int outer, out int n, out int inner)
    {
        int rank = shape.Length;
        if (rank == 0)
        {
            outer = n = inner = 1;
            return;
        }
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ShapeMismatchException($"{opType} axis", $"in [-{rank}, {rank})", $"{axis}", opType);
        outer = 1;
        inner = 1;
        for (int d = 0; d < a; d++) outer *= shape[d];
        for (int d = a + 1; d < rank; d++) inner *= shape[d];
        n = shape[a];
    }

    /// <summary>Rows shorter than this run <see cref="SmallRows"/>: per-row vector calls cost more than the row itself.</summary>
    internal const int SmallAxis = 64;

    /// <summary>
    /// Many short rows (SSD's [priors, classes]): row maxima subtracted in scalar, then one vector exp over the whole
    /// block, then per-row sums and divides in scalar: no per-row call overhead.
    /// </summary>
    public static void SmallRows(ReadOnlySpan<float> x, Span<float> y, int outer, int n)
    {
        if (n == 0) return;
        for (int r = 0; r < outer; r++)
        {
            var xr = x.Slice(r * n, n);
            var yr = y.Slice(r * n, n);
            float max = xr[0];
            for (int i = 1; i < n; i++) max = MathF.Max(max, xr[i]);
            for (int i = 0; i < n; i++) yr[i] = xr[i] - max;
        }
        var all = y[..(outer * n)];
        TensorPrimitives.Exp(all, all);
        for (int r = 0; r < outer; r++)
        {
            var yr = y.Slice(r * n, n);
            float sum = 0;
            for (int i = 0; i < n; i++) sum += yr[i];
            for (int i = 0; i < n; i++) yr[i] /= sum;
        }
    }

    /// <summary>
    /// Axis not innermost (segmentation heads: softmax over channels of [N, C, H, W]): max, exp, sum and divide run as
    /// vector operations across the contiguous inner positions, n rows at a time.
    /// </summary>
    public static void Strided(RunScratch scratch, ReadOnlySpan<float> x, Span<float> y, int outer, int n, int inner)
    {
        if (n == 0 || inner == 0) return;
        using var frame = scratch.Open();
        var max = frame.Take<float>(inner);
        var sum = frame.Take<float>(inner);
        {
            for (int o = 0; o < outer; o++)
            {
                var xb = x.Slice(o * n * inner, n * inner);
                var yb = y.Slice(o * n * inner, n * inner);
                xb[..inner].CopyTo(max);
                for (int i = 1; i < n; i++) TensorPrimitives.Max(max, xb.Slice(i * inner, inner), max);
                for (int i = 0; i < n; i++) TensorPrimitives.Subtract(xb.Slice(i * inner, inner), max, yb.Slice(i * inner, inner));
                TensorPrimitives.Exp(yb, yb);
                yb[..inner].CopyTo(sum);
                for (int i = 1; i < n; i++) TensorPrimitives.Add(sum, yb.Slice(i * inner, inner), sum);
                for (int i = 0; i < n; i++) TensorPrimitives.Divide(yb.Slice(i * inner, inner), sum, yb.Slice(i * inner, inner));
            }
        }
    }

    /// <summary>Contiguous rows (axis innermost) through TensorPrimitives.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FastRows(ReadOnlySpan<float> x, Span<float> y, int outer, int n, bool log)
    {
        if (n == 0) return;
        for (int r = 0; r < outer; r++)
        {
            var xr = x.Slice(r * n, n);
            var yr = y.Slice(r * n, n);
            float max = TensorPrimitives.Max(xr);
            TensorPrimitives.Subtract(xr, max, yr);
            if (log)
            {
                float sum = 0;
                for (int i = 0; i < n; i++) sum += MathF.Exp(yr[i]);
                TensorPrimitives.Subtract(yr, MathF.Log(sum), yr);
            }
            else
            {
                TensorPrimitives.Exp(yr, yr);
                float sum = TensorPrimitives.Sum(yr);
                TensorPrimitives.Divide(yr, sum, yr);
            }
        }
    }

    /// <summary>Scalar reference over [outer, n, inner].</summary>
    public static void Reference(ReadOnlySpan<float> x, Span<float> y, int outer, int n, int inner, bool log)
    {
        if (n == 0) return;
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < inner; j++)
            {
                int b = o * n * inner + j;
                float max = float.NegativeInfinity;
                for (int i = 0; i < n; i++) max = MathF.Max(max, x[b + i * inner]);
                float sum = 0;
                for (int i = 0; i < n; i++) sum += MathF.Exp(x[b + i * inner] - max);
                if (log)
                {
                    float ls = MathF.Log(sum);
                    for (int i = 0; i < n; i++) y[b + i * inner] = x[b + i * inner] - max - ls;
                }
                else
                {
                    for (int i = 0; i < n; i++) y[b + i * inner] = MathF.Exp(x[b + i * inner] - max) / sum;
                }
            }
        }
    }
}

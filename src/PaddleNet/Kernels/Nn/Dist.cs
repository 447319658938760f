using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>dist</c>: X, Y (broadcast numpy-style) → Out 0-D, the p-norm of X − Y (attribute <c>p</c>, default 2):
/// p = 0 counts non-zeros, +inf is max |z|, −inf min |z|, else (Σ |z|^p)^(1/p). float32/float64, summed in double.
/// </summary>
internal sealed class DistKernel(int x, int y, int output, double p) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new DistKernel(b.RequiredInput("X"), b.RequiredInput("Y"), b.RequiredOutput("Out"), b.Attrs.GetDouble("p", 2));

    public override void Execute(RunContext ctx)
    {
        var type = ctx.Type(x);
        if (type is not (DataType.Float32 or DataType.Float64) || ctx.Type(y) != type) throw new ShapeMismatchException("dist X/Y", "float32 or float64, the same for both", $"{type.Name()}/{ctx.Type(y).Name()}", "dist");
        var xs = ctx.Shape(x);
        var ys = ctx.Shape(y);
        int r = Math.Max(xs.Length, ys.Length);
        Span<int> shape = stackalloc int[r];
        Span<long> sx = stackalloc long[r];
        Span<long> sy = stackalloc long[r];
        long strideX = 1, strideY = 1;
        for (int i = r - 1; i >= 0; i--)
        {
            int dx = i - (r - xs.Length) >= 0 ? xs[i - (r - xs.Length)] : 1;
            int dy = i - (r - ys.Length) >= 0 ? ys[i - (r - ys.Length)] : 1;
            if (dx != dy && dx != 1 && dy != 1) throw new ShapeMismatchException("dist X/Y", "broadcastable shapes", $"[{string.Join(", ", xs.ToArray())}] and [{string.Join(", ", ys.ToArray())}]", "dist");
            shape[i] = Math.Max(dx, dy);
            if (dx == 0 || dy == 0) shape[i] = 0;
            sx[i] = dx == 1 ? 0 : strideX;
            sy[i] = dy == 1 ? 0 : strideY;
            strideX *= dx;
            strideY *= dy;
        }
        long total = DataMove.Product(shape);
        double acc = double.IsPositiveInfinity(p) ? 0 : double.IsNegativeInfinity(p) ? double.PositiveInfinity : 0;
        for (long f = 0; f < total; f++)
        {
            long rest = f, ox = 0, oy = 0;
            for (int d = r - 1; d >= 0; d--)
            {
                long i = rest % shape[d];
                rest /= shape[d];
                ox += i * sx[d];
                oy += i * sy[d];
            }
            double z = Math.Abs(ctx.ReadDouble(x, (int)ox) - ctx.ReadDouble(y, (int)oy));
            if (p == 0) acc += z != 0 ? 1 : 0;
            else if (double.IsPositiveInfinity(p)) acc = Math.Max(acc, z);
            else if (double.IsNegativeInfinity(p)) acc = Math.Min(acc, z);
            else acc += Math.Pow(z, p);
        }
        if (p != 0 && double.IsFinite(p)) acc = Math.Pow(acc, 1 / p);
        DataMove.Fill(ctx.AllocateBytes(output, type, []), type, acc);
    }
}

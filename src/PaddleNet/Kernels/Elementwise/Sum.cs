using System.Numerics;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle <c>sum</c> (PIR <c>add_n</c>): X[] (same shape and dtype) → Out = X[0] + X[1] + …, added in slot order.
/// float32, float64, int32, int64.
/// </summary>
internal sealed class SumKernel(int[] xs, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var xs = b.InputList("X");
        if (xs.Length == 0) throw b.Unsupported("no inputs");
        return new SumKernel(xs, b.RequiredOutput("Out"));
    }

    public override void Execute(RunContext ctx)
    {
        switch (ctx.Type(xs[0]))
        {
            case DataType.Float32: Run<float>(ctx); break;
            case DataType.Float64: Run<double>(ctx); break;
            case DataType.Int32: Run<int>(ctx); break;
            case DataType.Int64: Run<long>(ctx); break;
            default: throw new ShapeMismatchException("sum X", "float32, float64, int32 or int64", ctx.Type(xs[0]).Name(), "sum");
        }
    }

    private void Run<T>(RunContext ctx) where T : unmanaged, INumber<T>
    {
        var shape = ctx.Shape(xs[0]);
        foreach (var x in xs)
        {
            if (!ctx.Shape(x).SequenceEqual(shape) || ctx.Type(x) != ctx.Type(xs[0])) throw new ShapeMismatchException("sum X", $"every input [{string.Join(", ", shape.ToArray())}] {ctx.Type(xs[0]).Name()}", $"[{string.Join(", ", ctx.Shape(x).ToArray())}] {ctx.Type(x).Name()}", "sum");
        }
        var dst = ctx.Allocate<T>(output, shape);
        ctx.Read<T>(xs[0]).CopyTo(dst);
        for (int k = 1; k < xs.Length; k++)
        {
            var src = ctx.Read<T>(xs[k]);
            for (int i = 0; i < dst.Length; i++) dst[i] += src[i];
        }
    }
}

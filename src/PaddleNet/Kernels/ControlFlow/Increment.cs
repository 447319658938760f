using PaddleNet.Runtime;

namespace PaddleNet.Kernels.ControlFlow;

/// <summary>Paddle op increment: Out = X + step for a one-element X, in X's element type (loop counters).</summary>
internal sealed class IncrementKernel(int x, int output, double step) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new IncrementKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), b.Attrs.GetDouble("step", 1.0));

    public override void Execute(RunContext ctx)
    {
        if (ctx.ElementCount(x) != 1) throw new ShapeMismatchException("X", "a tensor with one element", $"[{string.Join(", ", ctx.Shape(x).ToArray())}]");
        var shape = ctx.Shape(x);
        switch (ctx.Type(x))
        {
            case DataType.Float32: ctx.Allocate<float>(output, shape)[0] = ctx.Read<float>(x)[0] + (float)step; break;
            case DataType.Float64: ctx.Allocate<double>(output, shape)[0] = ctx.Read<double>(x)[0] + step; break;
            case DataType.Int32: ctx.Allocate<int>(output, shape)[0] = ctx.Read<int>(x)[0] + (int)step; break;
            case DataType.Int64: ctx.Allocate<long>(output, shape)[0] = ctx.Read<long>(x)[0] + (long)step; break;
            default: throw new ShapeMismatchException("X", "float32, float64, int32 or int64", ctx.Type(x).Name());
        }
    }
}

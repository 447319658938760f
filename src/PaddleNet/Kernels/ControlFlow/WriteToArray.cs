using PaddleNet.Runtime;

namespace PaddleNet.Kernels.ControlFlow;

/// <summary>Paddle op write_to_array (PIR array_write_): Out[I] = X, growing the array when I is past its end.</summary>
internal sealed class WriteToArrayKernel(int x, int index, int array) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new WriteToArrayKernel(b.RequiredInput("X"), b.RequiredInput("I"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx)
    {
        int i = ArrayIndex.Read(ctx, index);
        ctx.Array(array).Write(i, ctx.Type(x), ctx.Shape(x), ctx.ReadBytes(x));
    }
}

internal static class ArrayIndex
{
    /// <summary>A tensor-array index: the first element of a one-element integer tensor, non-negative.</summary>
    public static int Read(RunContext ctx, int id)
    {
        if (ctx.ElementCount(id) != 1) throw new ShapeMismatchException("array index I", "one element", $"[{string.Join(", ", ctx.Shape(id).ToArray())}]");
        long i = ctx.ReadInt64(id, 0);
        if (i < 0 || i > int.MaxValue) throw new ShapeMismatchException("array index I", "a non-negative index", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return (int)i;
    }
}

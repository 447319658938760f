using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>reshape2</c> (and <c>reshape</c>): X (, Shape 1-D int tensor, ShapeTensor list of 1-element/0-D int
/// tensors) → Out (XShape ignored). Target shape priority ShapeTensor &gt; Shape &gt; attribute <c>shape</c> (ints, default []).
/// 0 copies the input dim at the same index, one −1 is inferred from the element count. Any dtype (byte copy).
/// </summary>
internal sealed class Reshape2Kernel : Kernel
{
    private readonly int _x, _out, _shapeTensor;
    private readonly int[] _shapeList;
    private readonly long[] _shape;

    private Reshape2Kernel(int x, int output, int shapeTensor, int[] shapeList, long[] shape)
    {
        _x = x;
        _out = output;
        _shapeTensor = shapeTensor;
        _shapeList = shapeList;
        _shape = shape;
    }

    public static Kernel Create(KernelBuilder b) =>
        new Reshape2Kernel(b.RequiredInput("X"), b.RequiredOutput("Out"), b.Input("Shape"), b.InputList("ShapeTensor"), b.Attrs.GetLongs("shape"));

    public override void Execute(RunContext ctx)
    {
        Span<long> target = stackalloc long[RunContext.MaxRank];
        int n = DataMove.ReadIntArray(ctx, _shapeList, _shapeTensor, _shape, target);
        var input = ctx.Shape(_x);
        Span<int> shape = stackalloc int[n];
        InferShape(input, target[..n], shape);
        ctx.CopyValue(_x, _out, shape);
    }

    /// <summary>Resolves 0 (copy) and −1 (infer) entries of <paramref name="target"/> against <paramref name="input"/>.</summary>
    public static void InferShape(ReadOnlySpan<int> input, ReadOnlySpan<long> target, Span<int> shape)
    {
        long total = DataMove.Product(input);
        long known = 1;
        int infer = -1;
        for (int i = 0; i < target.Length; i++)
        {
            long d = target[i];
            if (d == 0)
            {
                if (i >= input.Length) throw new ShapeMismatchException("reshape target", $"a 0 entry only below the input rank {input.Length}", $"0 at index {i}");
                d = input[i];
            }
            if (d == -1)
            {
                if (infer >= 0) throw new ShapeMismatchException("reshape target", "at most one -1", "two");
                infer = i;
                continue;
            }
            if (d < 0) throw new ShapeMismatchException("reshape target", "dims >= -1", d.ToString(System.Globalization.CultureInfo.InvariantCulture));
            shape[i] = checked((int)d);
            known *= d;
        }
        if (infer >= 0)
        {
            if (known == 0 || total % known != 0) throw new ShapeMismatchException("reshape target", $"a shape dividing {total} elements", $"known product {known}");
            shape[infer] = checked((int)(total / known));
            known *= shape[infer];
        }
        if (known != total) throw new ShapeMismatchException("reshape target", $"{total} elements", $"{known}");
    }
}

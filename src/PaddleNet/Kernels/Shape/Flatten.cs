using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>flatten_contiguous_range</c> (PIR <c>flatten</c>): X → Out (XShape ignored); merges dims
/// [start_axis..stop_axis] (defaults 1, 1; negatives allowed). A 0-D input becomes [1]. Any dtype (copy).
/// </summary>
internal sealed class FlattenContiguousRangeKernel : Kernel
{
    private readonly int _x, _out, _start, _stop;

    private FlattenContiguousRangeKernel(int x, int output, int start, int stop)
    {
        _x = x;
        _out = output;
        _start = start;
        _stop = stop;
    }

    public static Kernel Create(KernelBuilder b) => new FlattenContiguousRangeKernel(
        b.RequiredInput("X"), b.RequiredOutput("Out"), b.Attrs.GetInt("start_axis", 1), b.Attrs.GetInt("stop_axis", 1));

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        int r = input.Length;
        if (r == 0)
        {
            Span<int> one = stackalloc int[1] { 1 };
            ctx.CopyValue(_x, _out, one);
            return;
        }
        int start = DataMove.NormAxis(_start, r, "start_axis"), stop = DataMove.NormAxis(_stop, r, "stop_axis");
        if (stop < start) throw new ShapeMismatchException("flatten axes", "start_axis <= stop_axis", $"{start} > {stop}");
        Span<int> shape = stackalloc int[r - (stop - start)];
        int k = 0;
        for (int i = 0; i < start; i++) shape[k++] = input[i];
        shape[k++] = checked((int)DataMove.Product(input, start, stop + 1));
        for (int i = stop + 1; i < r; i++) shape[k++] = input[i];
        ctx.CopyValue(_x, _out, shape);
    }
}

/// <summary>
/// Paddle <c>flatten2</c> / <c>flatten</c>: X → Out (XShape ignored); 2-D [∏dims[:axis], ∏dims[axis:]], attr axis (default 1). Any dtype.
/// </summary>
internal sealed class Flatten2Kernel : Kernel
{
    private readonly int _x, _out, _axis;

    private Flatten2Kernel(int x, int output, int axis)
    {
        _x = x;
        _out = output;
        _axis = axis;
    }

    public static Kernel Create(KernelBuilder b) => new Flatten2Kernel(b.RequiredInput("X"), b.RequiredOutput("Out"), b.Attrs.GetInt("axis", 1));

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        int axis = _axis < 0 ? _axis + input.Length : _axis;
        if (axis < 0 || axis > input.Length) throw new ShapeMismatchException("flatten2 axis", $"in [0, {input.Length}]", _axis.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Span<int> shape = stackalloc int[2];
        shape[0] = checked((int)DataMove.Product(input, 0, axis));
        shape[1] = checked((int)DataMove.Product(input, axis));
        ctx.CopyValue(_x, _out, shape);
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>stack</c>: X (list of equal shapes) → Y, a new dim of size len(X) inserted at attribute <c>axis</c>
/// (default 0, range [−(r+1), r]). Any dtype (block copies).
/// </summary>
internal sealed class StackKernel : Kernel
{
    private readonly int[] _xs;
    private readonly int _out, _axis;

    private StackKernel(int[] xs, int output, int axis)
    {
        _xs = xs;
        _out = output;
        _axis = axis;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var xs = b.InputList("X");
        if (xs.Length == 0) throw b.Unsupported("input slot 'X' is empty");
        return new StackKernel(xs, b.RequiredOutput("Y"), b.Attrs.GetInt("axis", 0));
    }

    public override void Execute(RunContext ctx)
    {
        var first = ctx.Shape(_xs[0]);
        int r = first.Length;
        int axis = DataMove.NormAxis(_axis, r + 1, "stack axis");
        var type = ctx.Type(_xs[0]);
        Span<int> shape = stackalloc int[r + 1];
        for (int i = 0, k = 0; i <= r; i++) shape[i] = i == axis ? _xs.Length : first[k++];
        foreach (var id in _xs)
        {
            if (ctx.Type(id) != type) throw new ShapeMismatchException("stack inputs", type.Name(), ctx.Type(id).Name());
            if (!ctx.Shape(id).SequenceEqual(first)) throw new ShapeMismatchException("stack inputs", "equal shapes", $"rank {ctx.Shape(id).Length}");
        }
        var dst = ctx.AllocateBytes(_out, type, shape);
        long outer = DataMove.Product(first, 0, axis), row = DataMove.Product(first, axis);
        Span<int> box = stackalloc int[2] { (int)outer, (int)row };
        Span<long> ss = stackalloc long[2] { row, 1 };
        Span<long> ds = stackalloc long[2] { row * _xs.Length, 1 };
        for (int i = 0; i < _xs.Length; i++)
        {
            DataMove.Copy(ctx.ReadBytes(_xs[i]), 0, ss, dst, i * row, ds, box, type.SizeOf());
        }
    }
}

/// <summary>
/// Paddle <c>unstack</c>: X → Y (list of len = dim <c>axis</c>), each the slice at one index with that dim removed.
/// Attributes <c>axis</c> (default 0), <c>num</c>. Any dtype.
/// </summary>
internal sealed class UnstackKernel : Kernel
{
    private readonly int _x, _axis;
    private readonly int[] _outs;

    private UnstackKernel(int x, int[] outs, int axis)
    {
        _x = x;
        _outs = outs;
        _axis = axis;
    }

    public static Kernel Create(KernelBuilder b) => Create(b, "Y");

    /// <summary>Also <c>unbind</c>, the same op with its results in slot Out.</summary>
    internal static Kernel Create(KernelBuilder b, string outSlot)
    {
        var outs = b.OutputList(outSlot);
        if (outs.Length == 0) throw b.Unsupported($"output slot '{outSlot}' is empty");
        return new UnstackKernel(b.RequiredInput("X"), outs, b.Attrs.GetInt("axis", 0));
    }

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        int r = input.Length;
        int axis = DataMove.NormAxis(_axis, r, "unstack axis");
        if (input[axis] != _outs.Length) throw new ShapeMismatchException("unstack X", $"dim {axis} = {_outs.Length}", input[axis].ToString(System.Globalization.CultureInfo.InvariantCulture));
        var type = ctx.Type(_x);
        Span<int> shape = stackalloc int[r - 1];
        for (int i = 0, k = 0; i < r; i++)
        {
            if (i != axis) shape[k++] = input[i];
        }
        long outer = DataMove.Product(input, 0, axis), row = DataMove.Product(input, axis + 1);
        Span<int> box = stackalloc int[2] { (int)outer, (int)row };
        Span<long> ss = stackalloc long[2] { row * _outs.Length, 1 };
        Span<long> ds = stackalloc long[2] { row, 1 };
        var src = ctx.ReadBytes(_x);
        for (int i = 0; i < _outs.Length; i++)
        {
            var dst = ctx.AllocateBytes(_outs[i], type, shape);
            DataMove.Copy(src, i * row, ss, dst, 0, ds, box, type.SizeOf());
        }
    }
}

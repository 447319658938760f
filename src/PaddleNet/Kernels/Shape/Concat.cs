using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>concat</c>: X (list) (, AxisTensor) → Out; joins along attribute <c>axis</c> (default 0, negative ok).
/// Inputs with no elements are skipped. Any dtype (one 2-D block copy per input).
/// </summary>
internal sealed class ConcatKernel : Kernel
{
    private readonly int[] _xs;
    private readonly int _out, _axisTensor, _axis;

    private ConcatKernel(int[] xs, int output, int axisTensor, int axis)
    {
        _xs = xs;
        _out = output;
        _axisTensor = axisTensor;
        _axis = axis;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var xs = b.InputList("X");
        if (xs.Length == 0) throw b.Unsupported("input slot 'X' is empty");
        return new ConcatKernel(xs, b.RequiredOutput("Out"), b.Input("AxisTensor"), b.Attrs.GetInt("axis", 0));
    }

    public override void Execute(RunContext ctx)
    {
        var first = ctx.Shape(_xs[0]);
        int r = first.Length;
        int axis = DataMove.NormAxis(_axisTensor >= 0 ? (int)ctx.ReadInt64(_axisTensor, 0) : _axis, r, "concat axis");
        var type = ctx.Type(_xs[0]);
        Span<int> shape = stackalloc int[r];
        first.CopyTo(shape);
        long sum = 0;
        foreach (var id in _xs)
        {
            var s = ctx.Shape(id);
            if (ctx.Type(id) != type) throw new ShapeMismatchException("concat inputs", type.Name(), ctx.Type(id).Name());
            if (s.Length != r) throw new ShapeMismatchException("concat inputs", $"rank {r}", $"rank {s.Length}");
            for (int i = 0; i < r; i++)
            {
                if (i != axis && s[i] != first[i] && DataMove.Product(s) != 0) throw new ShapeMismatchException("concat inputs", $"dim {i} = {first[i]}", s[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            sum += s[axis];
        }
        shape[axis] = checked((int)sum);
        var dst = ctx.AllocateBytes(_out, type, shape);
        int es = type.SizeOf();
        long outer = DataMove.Product(shape, 0, axis), inner = DataMove.Product(shape, axis + 1);
        long outRow = sum * inner, offset = 0;
        Span<int> box = stackalloc int[2];
        Span<long> ss = stackalloc long[2];
        Span<long> ds = stackalloc long[2] { outRow, 1 };
        foreach (var id in _xs)
        {
            if (ctx.ElementCount(id) == 0) continue;
            long row = ctx.Shape(id)[axis] * inner;
            box[0] = (int)outer;
            box[1] = (int)row;
            ss[0] = row;
            ss[1] = 1;
            DataMove.Copy(ctx.ReadBytes(id), 0, ss, dst, offset, ds, box, es);
            offset += row;
        }
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>roll</c>: X (, ShiftsTensor) → Out; out[(i + shift) mod dim] = x[i] along each dim of attribute <c>axis</c>
/// (shifts per axis; repeated axes add up). Empty <c>axis</c> rolls the flattened tensor. Any dtype (≤ 2^k box copies).
/// </summary>
internal sealed class RollKernel : Kernel
{
    private readonly int _x, _out, _shiftsTensor;
    private readonly long[] _shifts;
    private readonly int[] _axes;

    private RollKernel(int x, int output, int shiftsTensor, long[] shifts, int[] axes)
    {
        _x = x;
        _out = output;
        _shiftsTensor = shiftsTensor;
        _shifts = shifts;
        _axes = axes;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var axes = b.Attrs.GetInts("axis");
        if (axes.Length > RunContext.MaxRank) throw b.Unsupported($"{axes.Length} axes");
        return new RollKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), b.Input("ShiftsTensor"), b.Attrs.GetLongs("shifts"), axes);
    }

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        Span<long> shifts = stackalloc long[RunContext.MaxRank];
        int ns = DataMove.ReadIntArray(ctx, [], _shiftsTensor, _shifts, shifts, tensorFirst: true);
        Span<int> shape = stackalloc int[RunContext.MaxRank];
        int r;
        Span<long> shift = stackalloc long[RunContext.MaxRank];
        shift.Clear();
        if (_axes.Length == 0)
        {
            if (ns != 1) throw new ShapeMismatchException("roll shifts", "one shift when axis is empty", ns.ToString(System.Globalization.CultureInfo.InvariantCulture));
            r = 1;
            shape[0] = (int)ctx.ElementCount(_x);
            shift[0] = shifts[0];
        }
        else
        {
            if (ns != _axes.Length) throw new ShapeMismatchException("roll shifts", $"{_axes.Length} entries", ns.ToString(System.Globalization.CultureInfo.InvariantCulture));
            r = input.Length;
            input.CopyTo(shape);
            for (int i = 0; i < _axes.Length; i++) shift[DataMove.NormAxis(_axes[i], r, "roll axis")] += shifts[i];
        }
        var type = ctx.Type(_x);
        var dst = ctx.AllocateBytes(_out, type, input);
        if (dst.Length == 0) return;
        var src = ctx.ReadBytes(_x);
        Span<long> strides = stackalloc long[RunContext.MaxRank];
        DataMove.Strides(shape[..r], strides[..r]);
        Span<int> rolled = stackalloc int[RunContext.MaxRank];
        int k = 0;
        for (int i = 0; i < r; i++)
        {
            long d = shape[i];
            shift[i] = ((shift[i] % d) + d) % d;
            if (shift[i] != 0) rolled[k++] = i;
        }
        Span<int> box = stackalloc int[RunContext.MaxRank];
        for (int mask = 0; mask < 1 << k; mask++)
        {
            shape[..r].CopyTo(box);
            long so = 0, dOff = 0;
            bool empty = false;
            for (int j = 0; j < k; j++)
            {
                int a = rolled[j];
                long d = shape[a], s = shift[a];
                if ((mask >> j & 1) == 0)
                {
                    box[a] = (int)(d - s); // src [0, d-s) → dst [s, d)
                    dOff += s * strides[a];
                }
                else
                {
                    box[a] = (int)s; // src [d-s, d) → dst [0, s)
                    so += (d - s) * strides[a];
                }
                empty |= box[a] == 0;
            }
            if (!empty) DataMove.Copy(src, so, strides[..r], dst, dOff, strides[..r], box[..r], type.SizeOf());
        }
    }
}

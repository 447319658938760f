using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>split</c>: X (, AxisTensor, SectionsTensorList) → Out (list). Attributes <c>axis</c> (default 0),
/// <c>num</c> (equal parts, default 0) or <c>sections</c> (one entry may be −1 = the rest). Any dtype (block copies).
/// </summary>
internal sealed class SplitKernel : Kernel
{
    private readonly int _x, _axisTensor, _axis, _num;
    private readonly int[] _outs, _sectionsList;
    private readonly long[] _sections;

    private SplitKernel(int x, int[] outs, int axisTensor, int axis, int num, int[] sectionsList, long[] sections)
    {
        _x = x;
        _outs = outs;
        _axisTensor = axisTensor;
        _axis = axis;
        _num = num;
        _sectionsList = sectionsList;
        _sections = sections;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var outs = b.OutputList("Out");
        if (outs.Length == 0) throw b.Unsupported("output slot 'Out' is empty");
        var sections = b.Attrs.GetLongs("sections");
        var list = b.InputList("SectionsTensorList");
        int num = b.Attrs.GetInt("num", 0);
        if (num == 0 && sections.Length == 0 && list.Length == 0) num = outs.Length;
        if (num > 0 && num != outs.Length) throw b.Unsupported($"num={num} but {outs.Length} outputs");
        if (num == 0 && Math.Max(sections.Length, list.Length) != outs.Length) throw b.Unsupported($"{Math.Max(sections.Length, list.Length)} sections but {outs.Length} outputs");
        return new SplitKernel(b.RequiredInput("X"), outs, b.Input("AxisTensor"), b.Attrs.GetInt("axis", 0), num, list, sections);
    }

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        int r = input.Length;
        int axis = DataMove.NormAxis(_axisTensor >= 0 ? (int)ctx.ReadInt64(_axisTensor, 0) : _axis, r, "split axis");
        int dim = input[axis];
        int n = _outs.Length;
        Span<long> sizes = stackalloc long[n];
        if (_num > 0)
        {
            if (dim % _num != 0) throw new ShapeMismatchException("split X", $"dim {axis} divisible by {_num}", dim.ToString(System.Globalization.CultureInfo.InvariantCulture));
            sizes.Fill(dim / _num);
        }
        else
        {
            int infer = -1;
            long known = 0;
            for (int i = 0; i < n; i++)
            {
                sizes[i] = _sectionsList.Length > 0 ? ctx.ReadInt64(_sectionsList[i], 0) : _sections[i];
                if (sizes[i] == -1) infer = i;
                else known += sizes[i];
            }
            if (infer >= 0) sizes[infer] = dim - known;
            else if (known != dim) throw new ShapeMismatchException("split sections", $"sum {dim}", known.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (infer >= 0 && sizes[infer] < 0) throw new ShapeMismatchException("split sections", $"sum <= {dim}", known.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var type = ctx.Type(_x);
        int es = type.SizeOf();
        var src = ctx.ReadBytes(_x);
        long outer = DataMove.Product(input, 0, axis), inner = DataMove.Product(input, axis + 1);
        long inRow = dim * inner, offset = 0;
        Span<int> shape = stackalloc int[r];
        input.CopyTo(shape);
        Span<int> box = stackalloc int[2];
        Span<long> ss = stackalloc long[2] { inRow, 1 };
        Span<long> ds = stackalloc long[2];
        for (int i = 0; i < n; i++)
        {
            shape[axis] = (int)sizes[i];
            var dst = ctx.AllocateBytes(_outs[i], type, shape);
            long row = sizes[i] * inner;
            box[0] = (int)outer;
            box[1] = (int)row;
            ds[0] = row;
            ds[1] = 1;
            DataMove.Copy(src, offset, ss, dst, 0, ds, box, es);
            offset += row;
        }
    }
}

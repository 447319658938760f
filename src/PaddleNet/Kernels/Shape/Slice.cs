using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>slice</c>: Input (, StartsTensor, EndsTensor, StartsTensorList, EndsTensorList) → Out. Attributes
/// <c>axes</c>, <c>starts</c>, <c>ends</c>, <c>decrease_axis</c> (default []), infer_flags (ignored). Per axis: negative
/// start/end += dim, both clamped to [0, dim], empty when end &lt;= start; step 1. Dims in decrease_axis (size 1)
/// are removed; removing all gives a 0-D tensor. Any dtype (strided box copy).
/// </summary>
internal sealed class SliceKernel : Kernel
{
    private readonly int _x, _out, _startsTensor, _endsTensor;
    private readonly int[] _startsList, _endsList, _axes, _decrease;
    private readonly long[] _starts, _ends;

    private SliceKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("Input");
        _out = b.RequiredOutput("Out");
        _startsTensor = b.Input("StartsTensor");
        _endsTensor = b.Input("EndsTensor");
        _startsList = b.InputList("StartsTensorList");
        _endsList = b.InputList("EndsTensorList");
        _axes = b.Attrs.GetInts("axes");
        _decrease = b.Attrs.GetInts("decrease_axis");
        _starts = b.Attrs.GetLongs("starts");
        _ends = b.Attrs.GetLongs("ends");
        if (_axes.Length > RunContext.MaxRank) throw b.Unsupported($"{_axes.Length} axes");
    }

    public static Kernel Create(KernelBuilder b) => new SliceKernel(b);

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        int r = input.Length;
        Span<long> starts = stackalloc long[RunContext.MaxRank];
        Span<long> ends = stackalloc long[RunContext.MaxRank];
        int ns = DataMove.ReadIntArray(ctx, _startsList, _startsTensor, _starts, starts, tensorFirst: true);
        int ne = DataMove.ReadIntArray(ctx, _endsList, _endsTensor, _ends, ends, tensorFirst: true);
        if (ns != _axes.Length || ne != _axes.Length) throw new ShapeMismatchException("slice starts/ends", $"{_axes.Length} entries", $"{ns}/{ne}");
        Span<long> strides = stackalloc long[RunContext.MaxRank];
        DataMove.Strides(input, strides[..r]);
        Span<int> box = stackalloc int[r];
        input.CopyTo(box);
        long offset = 0;
        for (int i = 0; i < _axes.Length; i++)
        {
            int a = DataMove.NormAxis(_axes[i], r, "slice axes");
            long dim = input[a];
            long s = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            s = Math.Clamp(s, 0, dim);
            e = Math.Clamp(e, 0, dim);
            box[a] = (int)Math.Max(0, e - s);
            if (box[a] > 0) offset += s * strides[a];
        }
        Span<int> shape = stackalloc int[r];
        int k = 0;
        for (int i = 0; i < r; i++)
        {
            if (Array.IndexOf(_decrease, i) >= 0 || Array.IndexOf(_decrease, i - r) >= 0)
            {
                if (box[i] != 1) throw new ShapeMismatchException("slice decrease_axis", $"dim {i} of size 1", box[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }
            shape[k++] = box[i];
        }
        var type = ctx.Type(_x);
        var dst = ctx.AllocateBytes(_out, type, shape[..k]);
        DataMove.Gather(ctx.ReadBytes(_x), offset, strides[..r], dst, box, type.SizeOf());
    }
}

/// <summary>
/// Paddle <c>strided_slice</c>: Input (, Starts/Ends/StridesTensor, …TensorList) → Out. Attributes <c>axes</c>,
/// <c>starts</c>, <c>ends</c>, <c>strides</c>, <c>decrease_axis</c>. Python slice semantics per axis (negative strides
/// walk backwards; an end of −1 with a negative stride means "past index 0", as in Paddle). Any dtype.
/// </summary>
internal sealed class StridedSliceKernel : Kernel
{
    private readonly int _x, _out, _startsTensor, _endsTensor, _stridesTensor;
    private readonly int[] _startsList, _endsList, _stridesList, _axes, _decrease;
    private readonly long[] _starts, _ends, _strides;

    private StridedSliceKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("Input");
        _out = b.RequiredOutput("Out");
        _startsTensor = b.Input("StartsTensor");
        _endsTensor = b.Input("EndsTensor");
        _stridesTensor = b.Input("StridesTensor");
        _startsList = b.InputList("StartsTensorList");
        _endsList = b.InputList("EndsTensorList");
        _stridesList = b.InputList("StridesTensorList");
        _axes = b.Attrs.GetInts("axes");
        _decrease = b.Attrs.GetInts("decrease_axis");
        _starts = b.Attrs.GetLongs("starts");
        _ends = b.Attrs.GetLongs("ends");
        _strides = b.Attrs.GetLongs("strides");
        if (_axes.Length > RunContext.MaxRank) throw b.Unsupported($"{_axes.Length} axes");
    }

    public static Kernel Create(KernelBuilder b) => new StridedSliceKernel(b);

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        int r = input.Length;
        Span<long> starts = stackalloc long[RunContext.MaxRank];
        Span<long> ends = stackalloc long[RunContext.MaxRank];
        Span<long> steps = stackalloc long[RunContext.MaxRank];
        int ns = DataMove.ReadIntArray(ctx, _startsList, _startsTensor, _starts, starts, tensorFirst: true);
        int ne = DataMove.ReadIntArray(ctx, _endsList, _endsTensor, _ends, ends, tensorFirst: true);
        int nt = DataMove.ReadIntArray(ctx, _stridesList, _stridesTensor, _strides, steps, tensorFirst: true);
        if (ns != _axes.Length || ne != _axes.Length || nt != _axes.Length) throw new ShapeMismatchException("strided_slice starts/ends/strides", $"{_axes.Length} entries", $"{ns}/{ne}/{nt}");
        Span<long> strides = stackalloc long[RunContext.MaxRank];
        DataMove.Strides(input, strides[..r]);
        Span<long> ss = stackalloc long[RunContext.MaxRank];
        strides[..r].CopyTo(ss);
        Span<int> box = stackalloc int[r];
        input.CopyTo(box);
        long offset = 0;
        for (int i = 0; i < _axes.Length; i++)
        {
            int a = DataMove.NormAxis(_axes[i], r, "strided_slice axes");
            long dim = input[a], step = steps[i];
            if (step == 0) throw new ShapeMismatchException("strided_slice strides", "non-zero", "0");
            long s = starts[i], e = ends[i], n;
            if (step > 0)
            {
                s = Math.Clamp(s < 0 ? s + dim : s, 0, dim);
                e = Math.Clamp(e < 0 ? e + dim : e, 0, dim);
                n = e > s ? (e - s + step - 1) / step : 0;
            }
            else
            {
                s = Math.Clamp(s < 0 ? s + dim : s, -1, dim - 1);
                if (!(e == -1)) e = Math.Clamp(e < 0 ? e + dim : e, -1, dim - 1);
                n = s > e ? (s - e - step - 1) / -step : 0;
            }
            box[a] = (int)n;
            if (n > 0) offset += s * strides[a];
            ss[a] = strides[a] * step;
        }
        Span<int> shape = stackalloc int[r];
        int k = 0;
        for (int i = 0; i < r; i++)
        {
            if (Array.IndexOf(_decrease, i) >= 0 || Array.IndexOf(_decrease, i - r) >= 0)
            {
                if (box[i] != 1) throw new ShapeMismatchException("strided_slice decrease_axis", $"dim {i} of size 1", box[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }
            shape[k++] = box[i];
        }
        var type = ctx.Type(_x);
        var dst = ctx.AllocateBytes(_out, type, shape[..k]);
        DataMove.Gather(ctx.ReadBytes(_x), offset, ss[..r], dst, box, type.SizeOf());
    }
}

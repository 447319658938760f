using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>set_value</c> (PIR <c>set_value</c>, <c>set_value_with_tensor</c> and their in-place <c>_</c> forms):
/// Out = a copy of Input with <c>Input[slices] = value</c>. Slices come from <c>axes</c> with <c>starts</c>/<c>ends</c>/<c>steps</c>
/// (attributes, the Starts/Ends/StepsTensorList slots or, from PIR, one 1-D Starts/Ends/StepsTensor), python-style: negative bounds count from the end, clamped as
/// Paddle's CheckAndUpdateSliceAttrs does, steps may be negative. The value is ValueTensor, or the attribute
/// <c>shape</c> with <c>fp32_values</c>/<c>fp64_values</c>/<c>int32_values</c>/<c>int64_values</c>/<c>bool_values</c>
/// (<c>values</c> in PIR files); it broadcasts numpy-style against the slice shape with <c>decrease_axes</c> dropped and
/// <c>none_axes</c> inserted. Any dtype; a value of another dtype is converted to Input's.
/// </summary>
internal sealed class SetValueKernel : Kernel
{
    private readonly int _x, _value, _out, _startsTensor, _endsTensor, _stepsTensor;
    private readonly int[] _startsList, _endsList, _stepsList;
    private readonly int[] _axes, _decrease, _none;
    private readonly long[] _starts, _ends, _steps;
    private readonly int[] _valueShape;
    private readonly double[] _values;

    private SetValueKernel(KernelBuilder b)
    {
        var a = b.Attrs;
        _x = b.RequiredInput("Input");
        _value = b.Input("ValueTensor");
        _out = b.RequiredOutput("Out");
        _startsTensor = b.Input("StartsTensor");
        _endsTensor = b.Input("EndsTensor");
        _stepsTensor = b.Input("StepsTensor");
        _startsList = b.InputList("StartsTensorList");
        _endsList = b.InputList("EndsTensorList");
        _stepsList = b.InputList("StepsTensorList");
        _axes = a.GetInts("axes");
        _decrease = a.GetInts("decrease_axes");
        _none = a.GetInts("none_axes");
        _starts = a.GetLongs("starts");
        _ends = a.GetLongs("ends");
        _steps = a.GetLongs("steps");
        if (_axes.Length > RunContext.MaxRank) throw b.Unsupported($"{_axes.Length} axes");
        _valueShape = a.GetInts("shape");
        _values = [];
        if (_value < 0)
        {
            foreach (var slot in new[] { "fp32_values", "fp64_values", "int32_values", "int64_values", "bool_values", "values" })
            {
                var v = a.Raw(slot) is bool[] bools ? Array.ConvertAll(bools, x => x ? 1.0 : 0.0) : a.Has(slot) ? a.GetDoubles(slot) : [];
                if (v.Length > 0)
                {
                    _values = v;
                    break;
                }
            }
            long count = _valueShape.Aggregate(1L, (p, d) => p * d);
            if (_values.Length == 0 || (count != _values.Length && _values.Length != 1)) throw b.Unsupported($"{_values.Length} values for shape [{string.Join(", ", _valueShape)}]");
            if (count != _values.Length) _valueShape = [];
        }
    }

    public static Kernel Create(KernelBuilder b) => new SetValueKernel(b);

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        int r = input.Length;
        var type = ctx.Type(_x);
        int es = type.SizeOf();
        var dst = ctx.AllocateBytes(_out, type, input);
        ctx.ReadBytes(_x).CopyTo(dst);

        Span<long> starts = stackalloc long[RunContext.MaxRank];
        Span<long> ends = stackalloc long[RunContext.MaxRank];
        Span<long> steps = stackalloc long[RunContext.MaxRank];
        int n = _axes.Length;
        int ns = DataMove.ReadIntArray(ctx, _startsList, _startsTensor, _starts, starts);
        int ne = DataMove.ReadIntArray(ctx, _endsList, _endsTensor, _ends, ends);
        int nt = DataMove.ReadIntArray(ctx, _stepsList, _stepsTensor, _steps, steps);
        if (nt == 0)
        {
            steps[..n].Fill(1);
            nt = n;
        }
        if (ns != n || ne != n || nt != n) throw new ShapeMismatchException("set_value starts/ends/steps", $"{n} entries each", $"{ns}/{ne}/{nt}", "set_value");

        // Per dim: first index, step, count (whole dim by default).
        Span<long> first = stackalloc long[RunContext.MaxRank];
        Span<long> step = stackalloc long[RunContext.MaxRank];
        Span<int> count = stackalloc int[RunContext.MaxRank];
        for (int d = 0; d < r; d++)
        {
            first[d] = 0;
            step[d] = 1;
            count[d] = input[d];
        }
        for (int i = 0; i < n; i++)
        {
            int ax = DataMove.NormAxis(_axes[i], r, "set_value axes");
            long dim = input[ax], s = starts[i], e = ends[i], st = steps[i];
            if (st == 0) throw new ShapeMismatchException("set_value steps", "non-zero steps", "0", "set_value");
            long c;
            if (dim == 0)
            {
                s = 0;
                c = 0;
            }
            else if (st > 0)
            {
                s = s < 0 ? Math.Max(s + dim, 0) : Math.Min(s, dim);
                e = e < 0 ? Math.Max(e + dim, 0) : Math.Min(e, dim);
                c = e > s ? (e - s + st - 1) / st : 0;
            }
            else
            {
                s = s < 0 ? Math.Max(s + dim, 0) : s;
                s = Math.Min(s, dim - 1);
                if (e < -1) e += dim;
                e = Math.Max(Math.Min(e, dim), -1);
                c = s > e ? (s - e + (-st) - 1) / (-st) : 0;
            }
            first[ax] = s;
            step[ax] = st;
            count[ax] = (int)c;
        }

        // The shape the value broadcasts against: slice dims minus decrease_axes, plus none_axes as 1.
        Span<int> assign = stackalloc int[RunContext.MaxRank * 2];
        int ar = 0;
        for (int d = 0; d < r; d++)
        {
            if (Array.IndexOf(_decrease, d) >= 0) continue;
            assign[ar++] = count[d];
        }
        foreach (var na in _none.Order())
        {
            if (na < 0 || na > ar || ar >= assign.Length) throw new ShapeMismatchException("set_value none_axes", $"in [0, {ar}]", na.ToString(System.Globalization.CultureInfo.InvariantCulture), "set_value");
            for (int j = ar; j > na; j--) assign[j] = assign[j - 1];
            assign[na] = 1;
            ar++;
        }
        long total = 1;
        for (int d = 0; d < r; d++) total *= count[d];
        if (total == 0) return;

        ReadOnlySpan<int> vshape = _value >= 0 ? ctx.Shape(_value) : _valueShape;
        if (vshape.Length > ar) throw new ShapeMismatchException("set_value value", $"rank <= {ar}", $"[{string.Join(", ", vshape.ToArray())}]", "set_value");
        // Value strides aligned to the assign shape from the right (0 where broadcast).
        Span<long> vstr = stackalloc long[RunContext.MaxRank * 2];
        long vs = 1;
        for (int j = ar - 1, k = vshape.Length - 1; j >= 0; j--, k--)
        {
            if (k < 0)
            {
                vstr[j] = 0;
                continue;
            }
            if (vshape[k] != assign[j] && vshape[k] != 1) throw new ShapeMismatchException("set_value value", $"broadcastable to [{string.Join(", ", assign[..ar].ToArray())}]", $"[{string.Join(", ", vshape.ToArray())}]", "set_value");
            vstr[j] = vshape[k] == 1 ? 0 : vs;
            vs *= vshape[k];
        }

        bool sameType = _value >= 0 && ctx.Type(_value) == type;
        var vbytes = _value >= 0 ? ctx.ReadBytes(_value) : default;
        Span<long> xstr = stackalloc long[RunContext.MaxRank];
        DataMove.Strides(input, xstr[..r]);
        for (long f = 0; f < total; f++)
        {
            // Slice position → input offset; the same flat position in the assign shape → value offset.
            long rest = f, off = 0;
            for (int d = r - 1; d >= 0; d--)
            {
                long i = rest % count[d];
                rest /= count[d];
                off += (first[d] + i * step[d]) * xstr[d];
            }
            rest = f;
            long voff = 0;
            for (int j = ar - 1; j >= 0; j--)
            {
                long i = rest % assign[j];
                rest /= assign[j];
                voff += i * vstr[j];
            }
            var target = dst.Slice((int)(off * es), es);
            if (sameType)
            {
                vbytes.Slice((int)(voff * es), es).CopyTo(target);
            }
            else
            {
                double v = _value >= 0 ? ctx.ReadDouble(_value, (int)voff) : _values[_values.Length == 1 ? 0 : (int)voff];
                DataMove.Fill(target, type, v);
            }
        }
    }
}

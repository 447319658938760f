using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>expand_v2</c> (PIR <c>expand</c>): X (, Shape 1-D int tensor, expand_shapes_tensor list) → Out, X broadcast
/// to the target shape (priority expand_shapes_tensor &gt; Shape &gt; attribute <c>shape</c>). Target rank ≥ rank(X), X aligned
/// to the right; −1 (and the −2 placeholder) keep X's dim; size-1 dims of X broadcast. Any dtype (stride-0 copy).
/// </summary>
internal sealed class ExpandV2Kernel : Kernel
{
    private readonly int _x, _out, _shapeTensor;
    private readonly int[] _shapeList;
    private readonly long[] _shape;

    private ExpandV2Kernel(int x, int output, int shapeTensor, int[] shapeList, long[] shape)
    {
        _x = x;
        _out = output;
        _shapeTensor = shapeTensor;
        _shapeList = shapeList;
        _shape = shape;
    }

    public static Kernel Create(KernelBuilder b) => new ExpandV2Kernel(
        b.RequiredInput("X"), b.RequiredOutput("Out"), b.Input("Shape"), b.InputList("expand_shapes_tensor"), b.Attrs.GetLongs("shape"));

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        int r = input.Length;
        Span<long> target = stackalloc long[RunContext.MaxRank];
        int n = DataMove.ReadIntArray(ctx, _shapeList, _shapeTensor, _shape, target);
        if (n < r) throw new ShapeMismatchException("expand_v2 shape", $"at least {r} entries", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Span<long> inStrides = stackalloc long[RunContext.MaxRank];
        DataMove.Strides(input, inStrides[..r]);
        Span<int> shape = stackalloc int[n];
        Span<long> ss = stackalloc long[n];
        for (int i = 0; i < n; i++)
        {
            int j = i - (n - r);
            int d = j >= 0 ? input[j] : 1;
            long t = target[i];
            if (t is -1 or -2)
            {
                if (j < 0) throw new ShapeMismatchException("expand_v2 shape", "a size for each new leading dim", t.ToString(System.Globalization.CultureInfo.InvariantCulture));
                t = d;
            }
            if (d != 1 && t != d) throw new ShapeMismatchException("expand_v2 X", $"dim {j} = 1 or {t}", d.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (t < 0) throw new ShapeMismatchException("expand_v2 shape", "non-negative sizes", t.ToString(System.Globalization.CultureInfo.InvariantCulture));
            shape[i] = (int)t;
            ss[i] = j >= 0 && d != 1 ? inStrides[j] : 0;
        }
        var type = ctx.Type(_x);
        var dst = ctx.AllocateBytes(_out, type, shape);
        DataMove.Gather(ctx.ReadBytes(_x), 0, ss, dst, shape, type.SizeOf());
    }
}

/// <summary>
/// Paddle <c>tile</c>: X (, RepeatTimes 1-D tensor, repeat_times_tensor list) → Out; attribute <c>repeat_times</c>.
/// Shorter lists are padded with leading 1s; a longer one unsqueezes X at the front. out dim = dim × repeat. Any dtype.
/// </summary>
internal sealed class TileKernel : Kernel
{
    private readonly int _x, _out, _repeatTensor;
    private readonly int[] _repeatList;
    private readonly long[] _repeat;

    private TileKernel(int x, int output, int repeatTensor, int[] repeatList, long[] repeat)
    {
        _x = x;
        _out = output;
        _repeatTensor = repeatTensor;
        _repeatList = repeatList;
        _repeat = repeat;
    }

    public static Kernel Create(KernelBuilder b) => Create(b, "RepeatTimes", "repeat_times_tensor", "repeat_times");

    /// <summary>Also legacy <c>expand</c> (v1), which is tile with slots ExpandTimes / expand_times_tensor / expand_times.</summary>
    internal static Kernel Create(KernelBuilder b, string tensorSlot, string listSlot, string attr) => new TileKernel(
        b.RequiredInput("X"), b.RequiredOutput("Out"), b.Input(tensorSlot), b.InputList(listSlot), b.Attrs.GetLongs(attr));

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        int r = input.Length;
        Span<long> rep = stackalloc long[RunContext.MaxRank];
        int n = DataMove.ReadIntArray(ctx, _repeatList, _repeatTensor, _repeat, rep, tensorFirst: true);
        int rank = Math.Max(n, r);
        Span<long> inStrides = stackalloc long[RunContext.MaxRank];
        DataMove.Strides(input, inStrides[..r]);
        Span<int> shape = stackalloc int[rank];
        Span<int> box = stackalloc int[2 * rank];
        Span<long> ss = stackalloc long[2 * rank];
        for (int i = 0; i < rank; i++)
        {
            int j = i - (rank - r), k = i - (rank - n);
            int d = j >= 0 ? input[j] : 1;
            long t = k >= 0 ? rep[k] : 1;
            if (t < 0) throw new ShapeMismatchException("tile repeat_times", "non-negative", t.ToString(System.Globalization.CultureInfo.InvariantCulture));
            shape[i] = checked((int)(d * t));
            box[2 * i] = (int)t;
            box[2 * i + 1] = d;
            ss[2 * i] = 0;
            ss[2 * i + 1] = j >= 0 ? inStrides[j] : 0;
        }
        var type = ctx.Type(_x);
        var dst = ctx.AllocateBytes(_out, type, shape);
        DataMove.Gather(ctx.ReadBytes(_x), 0, ss, dst, box, type.SizeOf());
    }
}

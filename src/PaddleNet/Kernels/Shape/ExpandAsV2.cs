using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>expand_as_v2</c> (PIR <c>expand_as</c>): X (, Y) → Out, X broadcast numpy-style to Y's shape (or, without Y,
/// to attribute <c>target_shape</c>). Size-1 dims of X broadcast, X aligned to the right. Any dtype (stride-0 copy).
/// </summary>
internal sealed class ExpandAsV2Kernel : Kernel
{
    private readonly int _x, _y, _out;
    private readonly int[] _target;

    private ExpandAsV2Kernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _y = b.Input("Y");
        _out = b.RequiredOutput("Out");
        _target = b.Attrs.GetInts("target_shape");
        if (_y < 0 && _target.Length == 0) throw b.Unsupported("neither Y nor target_shape is given");
    }

    public static Kernel Create(KernelBuilder b) => new ExpandAsV2Kernel(b);

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        ReadOnlySpan<int> target = _y >= 0 ? ctx.Shape(_y) : _target;
        int r = input.Length, n = target.Length;
        if (n < r) throw new ShapeMismatchException("expand_as_v2 target", $"rank >= {r}", n.ToString(System.Globalization.CultureInfo.InvariantCulture), "expand_as_v2");
        Span<long> inStrides = stackalloc long[RunContext.MaxRank];
        DataMove.Strides(input, inStrides[..r]);
        Span<int> shape = stackalloc int[n];
        Span<long> ss = stackalloc long[n];
        for (int i = 0; i < n; i++)
        {
            int j = i - (n - r);
            int d = j >= 0 ? input[j] : 1;
            int t = target[i] == -1 && j >= 0 ? d : target[i];
            if ((d != 1 && t != d) || t < 0) throw new ShapeMismatchException("expand_as_v2 X", $"dims broadcastable to [{string.Join(", ", target.ToArray())}]", $"[{string.Join(", ", input.ToArray())}]", "expand_as_v2");
            shape[i] = t;
            ss[i] = j >= 0 && d != 1 ? inStrides[j] : 0;
        }
        var type = ctx.Type(_x);
        var dst = ctx.AllocateBytes(_out, type, shape);
        DataMove.Gather(ctx.ReadBytes(_x), 0, ss, dst, shape, type.SizeOf());
    }
}

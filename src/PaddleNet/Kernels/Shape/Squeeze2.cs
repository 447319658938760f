using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>squeeze2</c> (and <c>squeeze</c>): X (, AxesTensor, AxesTensorList) → Out (XShape ignored). Attribute
/// <c>axes</c> (default []): empty removes every size-1 dim; listed dims (negative ok) are removed only when their size is 1.
/// Any dtype (copy).
/// </summary>
internal sealed class Squeeze2Kernel : Kernel
{
    private readonly int _x, _out, _axesTensor;
    private readonly int[] _axesList;
    private readonly long[] _axes;

    private Squeeze2Kernel(int x, int output, int axesTensor, int[] axesList, long[] axes)
    {
        _x = x;
        _out = output;
        _axesTensor = axesTensor;
        _axesList = axesList;
        _axes = axes;
    }

    public static Kernel Create(KernelBuilder b) => new Squeeze2Kernel(
        b.RequiredInput("X"), b.RequiredOutput("Out"), b.Input("AxesTensor"), b.InputList("AxesTensorList"), b.Attrs.GetLongs("axes"));

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        int r = input.Length;
        Span<long> axes = stackalloc long[RunContext.MaxRank];
        int n = DataMove.ReadIntArray(ctx, _axesList, _axesTensor, _axes, axes, tensorFirst: true);
        Span<bool> drop = stackalloc bool[r];
        if (n == 0)
        {
            for (int i = 0; i < r; i++) drop[i] = input[i] == 1;
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                int a = DataMove.NormAxis((int)axes[i], r, "squeeze2 axes");
                if (input[a] == 1) drop[a] = true;
            }
        }
        Span<int> shape = stackalloc int[r];
        int k = 0;
        for (int i = 0; i < r; i++)
        {
            if (!drop[i]) shape[k++] = input[i];
        }
        ctx.CopyValue(_x, _out, shape[..k]);
    }
}

/// <summary>
/// Paddle <c>unsqueeze2</c> (and <c>unsqueeze</c>): X (, AxesTensor, AxesTensorList) → Out (XShape ignored). Attribute
/// <c>axes</c>: size-1 dims inserted in the listed order, each negative axis normalised with the current rank + 1
/// (Paddle's GetUnsqueezeShape). Any dtype (copy).
/// </summary>
internal sealed class Unsqueeze2Kernel : Kernel
{
    private readonly int _x, _out, _axesTensor;
    private readonly int[] _axesList;
    private readonly long[] _axes;

    private Unsqueeze2Kernel(int x, int output, int axesTensor, int[] axesList, long[] axes)
    {
        _x = x;
        _out = output;
        _axesTensor = axesTensor;
        _axesList = axesList;
        _axes = axes;
    }

    public static Kernel Create(KernelBuilder b) => new Unsqueeze2Kernel(
        b.RequiredInput("X"), b.RequiredOutput("Out"), b.Input("AxesTensor"), b.InputList("AxesTensorList"), b.Attrs.GetLongs("axes"));

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        Span<long> axes = stackalloc long[RunContext.MaxRank];
        int n = DataMove.ReadIntArray(ctx, _axesList, _axesTensor, _axes, axes, tensorFirst: true);
        Span<int> shape = stackalloc int[RunContext.MaxRank + 1];
        Unsqueeze(input, axes[..n], shape, out int rank);
        ctx.CopyValue(_x, _out, shape[..rank]);
    }

    /// <summary>Paddle's unsqueeze shape rule; <paramref name="shape"/> needs rank(input)+axes entries.</summary>
    public static void Unsqueeze(ReadOnlySpan<int> input, ReadOnlySpan<long> axes, Span<int> shape, out int rank)
    {
        rank = input.Length + axes.Length;
        if (rank > RunContext.MaxRank) throw new ShapeMismatchException("unsqueeze2 result", $"rank <= {RunContext.MaxRank}", $"rank {rank}");
        Span<int> mark = stackalloc int[rank + 1];
        mark.Clear();
        int cur = input.Length;
        foreach (var axis in axes)
        {
            long c = axis < 0 ? axis + cur + 1 : axis;
            if (c < 0 || c > cur) throw new ShapeMismatchException("unsqueeze2 axes", $"in [{-cur - 1}, {cur}]", axis.ToString(System.Globalization.CultureInfo.InvariantCulture));
            for (int i = cur; i >= c; i--)
            {
                if (mark[i] == 1)
                {
                    mark[i + 1] = 1;
                    mark[i] = 0;
                }
            }
            mark[(int)c] = 1;
            cur++;
        }
        for (int i = 0, k = 0; i < rank; i++) shape[i] = mark[i] == 1 ? 1 : input[k++];
    }
}

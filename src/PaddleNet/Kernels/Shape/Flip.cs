using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>flip</c>: X → Out with the dims in attribute <c>axis</c> (list, negative ok) reversed. Any dtype
/// (strided copy with negative source strides).
/// </summary>
internal sealed class FlipKernel : Kernel
{
    private readonly int _x, _out;
    private readonly int[] _axes;

    private FlipKernel(int x, int output, int[] axes)
    {
        _x = x;
        _out = output;
        _axes = axes;
    }

    public static Kernel Create(KernelBuilder b) => new FlipKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), b.Attrs.GetInts("axis"));

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        int r = input.Length;
        Span<long> ss = stackalloc long[RunContext.MaxRank];
        DataMove.Strides(input, ss[..r]);
        Span<bool> flipped = stackalloc bool[RunContext.MaxRank];
        flipped.Clear();
        long offset = 0;
        foreach (var axis in _axes)
        {
            int a = DataMove.NormAxis(axis, r, "flip axis");
            if (flipped[a]) continue;
            flipped[a] = true;
            if (input[a] > 0) offset += (input[a] - 1) * ss[a];
            ss[a] = -ss[a];
        }
        var type = ctx.Type(_x);
        var dst = ctx.AllocateBytes(_out, type, input);
        DataMove.Gather(ctx.ReadBytes(_x), offset, ss[..r], dst, input, type.SizeOf());
    }
}

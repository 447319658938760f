using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>shuffle_channel</c>: X [N, C, H, W] → Out; attribute <c>group</c> (default 1): channels viewed as
/// [group, C/group] and transposed, out channel j·group + g = in channel g·(C/group) + j. Any dtype.
/// </summary>
internal sealed class ShuffleChannelKernel : Kernel
{
    private readonly int _x, _out, _group;

    private ShuffleChannelKernel(int x, int output, int group)
    {
        _x = x;
        _out = output;
        _group = group;
    }

    public static Kernel Create(KernelBuilder b)
    {
        int group = b.Attrs.GetInt("group", 1);
        if (group <= 0) throw b.Unsupported($"group={group}");
        return new ShuffleChannelKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), group);
    }

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        if (input.Length < 2) throw new ShapeMismatchException("shuffle_channel X", "rank >= 2", $"rank {input.Length}");
        int c = input[1];
        if (c % _group != 0) throw new ShapeMismatchException("shuffle_channel X", $"channels divisible by {_group}", c.ToString(System.Globalization.CultureInfo.InvariantCulture));
        long hw = DataMove.Product(input, 2);
        int per = c / _group;
        Span<int> box = stackalloc int[4] { input[0], per, _group, (int)hw };
        Span<long> ss = stackalloc long[4] { c * hw, hw, per * hw, 1 };
        var type = ctx.Type(_x);
        var dst = ctx.AllocateBytes(_out, type, input);
        DataMove.Gather(ctx.ReadBytes(_x), 0, ss, dst, box, type.SizeOf());
    }
}

using System.Buffers;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Detection;

/// <summary>
/// Paddle <c>box_clip</c>: Input [R, …, 4] whose rows belong to images by the legacy LoD (made explicit as
/// <c>paddlenet_RoisNum</c> by <see cref="LodLowering"/>; absent only for a batch of one), ImInfo [N,3] = (h, w, scale)
/// → Output of Input's shape: x into [0, round(w/scale) − 1], y into [0, round(h/scale) − 1] (round half away from
/// zero, as C's round), float.
/// </summary>
internal sealed class BoxClipKernel : Kernel
{
    /// <summary>The per-image row counts of Input that <see cref="LodLowering"/> wires in.</summary>
    public const string RoisNumSlot = "paddlenet_RoisNum";

    private readonly int _input, _imInfo, _roisNum, _out;

    private BoxClipKernel(int input, int imInfo, int roisNum, int output)
    {
        _input = input; _imInfo = imInfo; _roisNum = roisNum; _out = output;
    }

    public static Kernel Create(KernelBuilder b) =>
        new BoxClipKernel(b.RequiredInput("Input"), b.RequiredInput("ImInfo"), b.Input(RoisNumSlot), b.RequiredOutput("Output"));

    public override void Execute(RunContext ctx)
    {
        var s = ctx.Shape(_input);
        var ims = ctx.Shape(_imInfo);
        if (s.Length < 2 || s[^1] != 4) throw new ShapeMismatchException("box_clip Input", "[R, ..., 4]", RoisNum.Fmt(s), "box_clip");
        int n = RoisNum.Images(ctx, _roisNum);
        if (ims.Length != 2 || ims[0] != n || ims[1] < 3) throw new ShapeMismatchException("box_clip ImInfo", $"[{n}, 3] (one row per image)", RoisNum.Fmt(ims), "box_clip");
        int rows = s[0];
        int perRow = rows == 0 ? 0 : (int)(ctx.ElementCount(_input) / rows);
        var x = ctx.Read<float>(_input);
        var im = ctx.Read<float>(_imInfo);
        var o = ctx.Allocate<float>(_out, s);
        int[] offsets = ArrayPool<int>.Shared.Rent(n + 1);
        try
        {
            RoisNum.Offsets(ctx, _roisNum, rows, offsets.AsSpan(0, n + 1), "box_clip", RoisNumSlot);
            for (int i = 0; i < n; i++)
            {
                int a = offsets[i] * perRow, e = offsets[i + 1] * perRow;
                Clip(x[a..e], o[a..e], im.Slice(i * ims[1], 3));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(offsets);
        }
    }

    /// <summary>fluid ClipTiledBoxes with is_scale: the bounds are the original image's (size / scale, rounded).</summary>
    internal static void Clip(ReadOnlySpan<float> x, Span<float> o, ReadOnlySpan<float> im)
    {
        float imW = MathF.Round(im[1] / im[2], MidpointRounding.AwayFromZero);
        float imH = MathF.Round(im[0] / im[2], MidpointRounding.AwayFromZero);
        for (int i = 0; i < x.Length; i++)
        {
            float bound = (i & 1) == 0 ? imW - 1 : imH - 1;
            o[i] = Math.Max(Math.Min(x[i], bound), 0f);
        }
    }
}

using System.Buffers;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Detection;

/// <summary>
/// Paddle <c>distribute_fpn_proposals</c> (phi CPU kernel): FpnRois [R,4] with RoisNum [N] (or the legacy LoD,
/// <see cref="LodLowering"/>) → MultiFpnRois (one [Rl,4] per level min_level..max_level), MultiLevelRoIsNum int32 [N]
/// per level (optional), RestoreIndex int32 [R,1]. A RoI of scale √area (+1 sides when pixel_offset) goes to level
/// clamp(floor(log2(scale / refer_scale + 1e-6) + refer_level), min_level, max_level); within a level RoIs keep image
/// then input order; RestoreIndex[i] is RoI i's row in the level-concatenated order.
/// </summary>
internal sealed class DistributeFpnProposalsKernel : Kernel
{
    private readonly int _rois, _roisNum, _restore;
    private readonly int[] _outs, _outNums;
    private readonly int _min, _max, _referLevel, _referScale;
    private readonly bool _pixelOffset;

    private DistributeFpnProposalsKernel(int rois, int roisNum, int[] outs, int[] outNums, int restore, int min, int max, int referLevel, int referScale, bool pixelOffset)
    {
        _rois = rois; _roisNum = roisNum; _outs = outs; _outNums = outNums; _restore = restore;
        _min = min; _max = max; _referLevel = referLevel; _referScale = referScale; _pixelOffset = pixelOffset;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        int min = a.GetInt("min_level", 2), max = a.GetInt("max_level", 5);
        if (min < 0 || max < min) throw b.Unsupported($"min_level {min} and max_level {max} must satisfy 0 <= min_level <= max_level");
        int levels = max - min + 1;
        var outs = b.OutputList("MultiFpnRois");
        if (outs.Length != levels) throw b.Unsupported($"MultiFpnRois has {outs.Length} outputs for {levels} levels ({min}..{max})");
        var nums = b.OutputList("MultiLevelRoIsNum");
        if (nums.Length != 0 && nums.Length != levels) throw b.Unsupported($"MultiLevelRoIsNum has {nums.Length} outputs for {levels} levels");
        int referScale = a.GetInt("refer_scale", 224);
        if (referScale <= 0) throw b.Unsupported($"refer_scale must be positive, got {referScale}");
        return new DistributeFpnProposalsKernel(b.RequiredInput("FpnRois"), b.Input("RoisNum"), outs, nums, b.RequiredOutput("RestoreIndex"),
            min, max, a.GetInt("refer_level", 4), referScale, a.GetBool("pixel_offset", true));
    }

    /// <summary>The level of one RoI.</summary>
    internal static int Level(ReadOnlySpan<float> box, int min, int max, int referLevel, int referScale, bool pixelOffset)
    {
        float scale = MathF.Sqrt(NmsCore.BoxArea(box, normalized: !pixelOffset));
        int lvl = (int)MathF.Floor(MathF.Log2(scale / referScale + 1e-6f) + referLevel);
        return Math.Min(max, Math.Max(lvl, min));
    }

    public override void Execute(RunContext ctx)
    {
        var rs = ctx.Shape(_rois);
        if (rs.Length != 2 || rs[1] != 4) throw new ShapeMismatchException("distribute_fpn_proposals FpnRois", "[R, 4]", RoisNum.Fmt(rs), "distribute_fpn_proposals");
        int r = rs[0], n = RoisNum.Images(ctx, _roisNum), levels = _outs.Length;
        int[] lvl = ArrayPool<int>.Shared.Rent(Math.Max(1, r));
        int[] offsets = ArrayPool<int>.Shared.Rent(n + 1);
        int[] perLevel = ArrayPool<int>.Shared.Rent(levels * (n + 1));
        try
        {
            RoisNum.Offsets(ctx, _roisNum, r, offsets.AsSpan(0, n + 1), "distribute_fpn_proposals", "RoisNum");
            var rois = ctx.Read<float>(_rois);
            var counts = perLevel.AsSpan(0, levels * (n + 1));
            counts.Clear(); // counts[l·(n+1) + img] = RoIs of image img at level l; slot n = level total
            for (int img = 0; img < n; img++)
            {
                for (int i = offsets[img]; i < offsets[img + 1]; i++)
                {
                    int l = Level(rois.Slice(i * 4, 4), _min, _max, _referLevel, _referScale, _pixelOffset) - _min;
                    lvl[i] = l;
                    counts[l * (n + 1) + img]++;
                    counts[l * (n + 1) + n]++;
                }
            }
            Span<int> rshape = [r, 1];
            var restore = ctx.Allocate<int>(_restore, rshape);
            int levelStart = 0;
            for (int l = 0; l < levels; l++)
            {
                int cnt = counts[l * (n + 1) + n];
                Span<int> os = [cnt, 4];
                var o = ctx.Allocate<float>(_outs[l], os);
                int w = 0;
                for (int i = 0; i < r; i++)
                {
                    if (lvl[i] != l) continue;
                    rois.Slice(i * 4, 4).CopyTo(o.Slice(w * 4, 4));
                    restore[i] = levelStart + w;
                    w++;
                }
                if (_outNums.Length > 0)
                {
                    Span<int> ns = [n];
                    counts.Slice(l * (n + 1), n).CopyTo(ctx.Allocate<int>(_outNums[l], ns));
                }
                levelStart += cnt;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lvl);
            ArrayPool<int>.Shared.Return(offsets);
            ArrayPool<int>.Shared.Return(perLevel);
        }
    }
}

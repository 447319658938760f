using System.Buffers;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Detection;

/// <summary>
/// Paddle <c>collect_fpn_proposals</c>: MultiLevelRois [Rl,4] and MultiLevelScores [Rl,1] per FPN level, with per-image
/// counts MultiLevelRoIsNum (or the legacy LoD, <see cref="LodLowering"/>; absent only for a batch of one) → FpnRois
/// [K,4] and RoisNum int32 [N]: the post_nms_topN best-scoring RoIs over all levels and images, then grouped by image
/// (stable). Scores are stable-sorted descending with ties in level-then-row order; Paddle's comparator (<c>&gt;=</c>)
/// orders exact ties differently, which only reorders RoIs of equal score. RoisNum counts every image, including
/// one left with no RoI (Paddle's own count vector skips it).
/// </summary>
internal sealed class CollectFpnProposalsKernel : Kernel
{
    private readonly int[] _rois, _scores, _nums;
    private readonly int _out, _outNum, _topN;

    private CollectFpnProposalsKernel(int[] rois, int[] scores, int[] nums, int output, int outNum, int topN)
    {
        _rois = rois; _scores = scores; _nums = nums; _out = output; _outNum = outNum; _topN = topN;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var rois = b.InputList("MultiLevelRois");
        var scores = b.InputList("MultiLevelScores");
        var nums = b.InputList("MultiLevelRoIsNum");
        if (rois.Length == 0) throw b.Unsupported("MultiLevelRois is empty");
        if (scores.Length != rois.Length) throw b.Unsupported($"MultiLevelScores has {scores.Length} tensors for {rois.Length} MultiLevelRois");
        if (nums.Length != 0 && nums.Length != rois.Length) throw b.Unsupported($"MultiLevelRoIsNum has {nums.Length} tensors for {rois.Length} levels");
        int topN = b.Attrs.GetInt("post_nms_topN", 0);
        if (topN < 0) throw b.Unsupported($"post_nms_topN must be non-negative, got {topN}");
        return new CollectFpnProposalsKernel(rois, scores, nums, b.RequiredOutput("FpnRois"), b.Output("RoisNum"), topN);
    }

    public override void Execute(RunContext ctx)
    {
        int levels = _rois.Length;
        int n = _nums.Length > 0 ? RoisNum.Images(ctx, _nums[0]) : 1;
        int total = 0;
        for (int l = 0; l < levels; l++)
        {
            var rs = ctx.Shape(_rois[l]);
            if (rs.Length != 2 || rs[1] != 4) throw new ShapeMismatchException($"collect_fpn_proposals MultiLevelRois[{l}]", "[R, 4]", RoisNum.Fmt(rs), "collect_fpn_proposals");
            if (ctx.ElementCount(_scores[l]) != rs[0]) throw new ShapeMismatchException($"collect_fpn_proposals MultiLevelScores[{l}]", $"{rs[0]} scores", RoisNum.Fmt(ctx.Shape(_scores[l])), "collect_fpn_proposals");
            if (_nums.Length > 0 && RoisNum.Images(ctx, _nums[l]) != n) throw new ShapeMismatchException($"collect_fpn_proposals MultiLevelRoIsNum[{l}]", $"{n} images", $"{RoisNum.Images(ctx, _nums[l])}", "collect_fpn_proposals");
            total += rs[0];
        }
        int keep = Math.Min(_topN, total);
        int[] level = ArrayPool<int>.Shared.Rent(Math.Max(1, total));
        int[] row = ArrayPool<int>.Shared.Rent(Math.Max(1, total));
        int[] image = ArrayPool<int>.Shared.Rent(Math.Max(1, total));
        float[] score = ArrayPool<float>.Shared.Rent(Math.Max(1, total));
        int[] order = ArrayPool<int>.Shared.Rent(Math.Max(1, total));
        int[] offsets = ArrayPool<int>.Shared.Rent(n + 1);
        int[] counts = ArrayPool<int>.Shared.Rent(n);
        try
        {
            int k = 0;
            for (int l = 0; l < levels; l++)
            {
                int rl = ctx.Shape(_rois[l])[0];
                RoisNum.Offsets(ctx, _nums.Length > 0 ? _nums[l] : -1, rl, offsets.AsSpan(0, n + 1), "collect_fpn_proposals", $"MultiLevelRoIsNum[{l}]");
                var s = ctx.Read<float>(_scores[l]);
                for (int img = 0; img < n; img++)
                {
                    for (int j = offsets[img]; j < offsets[img + 1]; j++, k++)
                    {
                        level[k] = l; row[k] = j; image[k] = img; score[k] = s[j]; order[k] = k;
                    }
                }
            }
            NmsCore.StableSortDescending(order.AsSpan(0, total), score);
            // stable regroup by image: counting sort
            counts.AsSpan(0, n).Clear();
            for (int t = 0; t < keep; t++) counts[image[order[t]]]++;
            offsets[0] = 0;
            for (int img = 0; img < n; img++) offsets[img + 1] = offsets[img] + counts[img];
            Span<int> os = [keep, 4];
            var o = ctx.Allocate<float>(_out, os);
            for (int t = 0; t < keep; t++)
            {
                int e = order[t];
                int dst = offsets[image[e]]++;
                ctx.Read<float>(_rois[level[e]]).Slice(row[e] * 4, 4).CopyTo(o.Slice(dst * 4, 4));
            }
            if (_outNum >= 0)
            {
                Span<int> ns = [n];
                counts.AsSpan(0, n).CopyTo(ctx.Allocate<int>(_outNum, ns));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(level);
            ArrayPool<int>.Shared.Return(row);
            ArrayPool<int>.Shared.Return(image);
            ArrayPool<float>.Shared.Return(score);
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<int>.Shared.Return(offsets);
            ArrayPool<int>.Shared.Return(counts);
        }
    }
}

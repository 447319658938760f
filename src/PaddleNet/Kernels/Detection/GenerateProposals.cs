using System.Buffers;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Detection;

/// <summary>
/// Paddle <c>generate_proposals</c> (v1, fluid: ImInfo [N,3] = h, w, scale) and <c>generate_proposals_v2</c> (phi:
/// ImShape [N,2] = h, w; <c>pixel_offset</c>): RPN proposals per image. Scores [N,A,H,W], BboxDeltas [N,4A,H,W],
/// Anchors and Variances [H,W,A,4] → RpnRois [R,4], RpnRoiProbs [R,1], RpnRoisNum int32 [N] (optional; a legacy
/// program's LoD, see <see cref="LodLowering"/>). Attributes pre_nms_topN=6000, post_nms_topN=1000, nms_thresh=0.5,
/// min_size=0.1, eta=1. Per image, over anchors in (h, w, a) order: the pre_nms_topN best scores; decode with the
/// variances (+1 widths when pixel_offset, log-size deltas capped at log(1000/16)); clip to [0, w−off] × [0, h−off];
/// drop boxes narrower than max(min_size, 1) (v1 measures the width in original pixels, /scale) or whose centre lies
/// outside the image (pixel_offset); greedy NMS (IoU with +1 sides when pixel_offset, adaptive eta) then post_nms_topN.
/// An image left with no box gets one zero box of score 0, as Paddle does. Candidates are ordered by score with ties
/// broken by anchor index (Paddle's std::sort/nth_element leave tie order unspecified); NMS visits equal scores
/// latest-first, as Paddle's pop-from-the-back loop does.
/// </summary>
internal sealed class GenerateProposalsKernel : Kernel
{
    private static readonly float BBoxClip = (float)Math.Log(1000.0 / 16.0);

    private readonly int _scores, _deltas, _im, _anchors, _variances, _rois, _probs, _num;
    private readonly bool _v2, _pixelOffset;
    private readonly int _preTopN, _postTopN;
    private readonly float _nmsThresh, _minSize, _eta;
    private readonly string _opType;

    private GenerateProposalsKernel(KernelBuilder b, bool v2)
    {
        var a = b.Attrs;
        _v2 = v2;
        _opType = b.Op.Type;
        _scores = b.RequiredInput("Scores");
        _deltas = b.RequiredInput("BboxDeltas");
        _im = b.RequiredInput(v2 ? "ImShape" : "ImInfo");
        _anchors = b.RequiredInput("Anchors");
        _variances = b.RequiredInput("Variances");
        _rois = b.RequiredOutput("RpnRois");
        _probs = b.RequiredOutput("RpnRoiProbs");
        _num = b.Output("RpnRoisNum");
        _preTopN = a.GetInt("pre_nms_topN", 6000);
        _postTopN = a.GetInt("post_nms_topN", 1000);
        _nmsThresh = a.GetFloat("nms_thresh", 0.5f);
        _minSize = a.GetFloat("min_size", 0.1f);
        _eta = a.GetFloat("eta", 1f);
        _pixelOffset = !v2 || a.GetBool("pixel_offset", true);
        if (!(_eta > 0) || _eta > 1) throw b.Unsupported($"eta must be in (0, 1], got {_eta}");
    }

    public static Kernel CreateV1(KernelBuilder b) => new GenerateProposalsKernel(b, v2: false);

    public static Kernel CreateV2(KernelBuilder b) => new GenerateProposalsKernel(b, v2: true);

    public override void Execute(RunContext ctx)
    {
        var ss = ctx.Shape(_scores);
        var ds = ctx.Shape(_deltas);
        if (ss.Length != 4) throw new ShapeMismatchException($"{_opType} Scores", "[N, A, H, W]", RoisNum.Fmt(ss), _opType);
        int n = ss[0], a = ss[1], h = ss[2], w = ss[3];
        if (ds.Length != 4 || ds[0] != n || ds[1] != 4 * a || ds[2] != h || ds[3] != w)
            throw new ShapeMismatchException($"{_opType} BboxDeltas", $"[{n}, {4 * a}, {h}, {w}]", RoisNum.Fmt(ds), _opType);
        int m = a * h * w;
        if (ctx.ElementCount(_anchors) != 4L * m) throw new ShapeMismatchException($"{_opType} Anchors", $"{m} boxes ([H, W, A, 4])", RoisNum.Fmt(ctx.Shape(_anchors)), _opType);
        if (ctx.ElementCount(_variances) != 4L * m) throw new ShapeMismatchException($"{_opType} Variances", $"{m} boxes ([H, W, A, 4])", RoisNum.Fmt(ctx.Shape(_variances)), _opType);
        int imCols = _v2 ? 2 : 3;
        var ims = ctx.Shape(_im);
        if (ims.Length != 2 || ims[0] != n || ims[1] < imCols) throw new ShapeMismatchException($"{_opType} {(_v2 ? "ImShape" : "ImInfo")}", $"[{n}, {imCols}]", RoisNum.Fmt(ims), _opType);

        var scores = ctx.Read<float>(_scores);
        var deltas = ctx.Read<float>(_deltas);
        var anchors = ctx.Read<float>(_anchors);
        var variances = ctx.Read<float>(_variances);
        var im = ctx.Read<float>(_im);
        int pre = _preTopN <= 0 || _preTopN >= m ? m : _preTopN;
        int perImageMax = Math.Max(1, _nmsThresh > 0 && _postTopN > 0 ? Math.Min(pre, _postTopN) : pre);

        int[] order = ArrayPool<int>.Shared.Rent(Math.Max(1, m));
        float[] cand = ArrayPool<float>.Shared.Rent(Math.Max(1, m));
        float[] boxes = ArrayPool<float>.Shared.Rent(Math.Max(4, pre * 4));
        float[] boxScore = ArrayPool<float>.Shared.Rent(Math.Max(1, pre));
        int[] keep = ArrayPool<int>.Shared.Rent(Math.Max(1, pre));
        int[] kept = ArrayPool<int>.Shared.Rent(Math.Max(1, pre));
        float[] outBoxes = ArrayPool<float>.Shared.Rent(n * perImageMax * 4);
        float[] outScores = ArrayPool<float>.Shared.Rent(n * perImageMax);
        int[] counts = ArrayPool<int>.Shared.Rent(n);
        try
        {
            int total = 0;
            for (int i = 0; i < n; i++)
            {
                // scores of image i in (h, w, a) order
                for (int y = 0; y < h; y++)
                {
                    for (int x = 0; x < w; x++)
                    {
                        for (int k = 0; k < a; k++) cand[(y * w + x) * a + k] = scores[((i * a + k) * h + y) * w + x];
                    }
                }
                for (int k = 0; k < m; k++) order[k] = k;
                NmsCore.StableSortDescending(order.AsSpan(0, m), cand);
                var imi = im.Slice(i * ims[1], imCols);
                // decode + clip the pre_nms_topN candidates
                for (int t = 0; t < pre; t++)
                {
                    int k = order[t];
                    int y = k / a / w, x = k / a % w, an = k % a;
                    Span<float> d = [0, 0, 0, 0];
                    for (int j = 0; j < 4; j++) d[j] = deltas[((i * 4 * a + an * 4 + j) * h + y) * w + x];
                    Decode(anchors.Slice(k * 4, 4), variances.Slice(k * 4, 4), d, boxes.AsSpan(t * 4, 4), _pixelOffset);
                    Clip(boxes.AsSpan(t * 4, 4), imi[1], imi[0], _pixelOffset);
                    boxScore[t] = cand[k];
                }
                int nk = Filter(boxes, pre, imi, _v2 ? 1f : imi[2], !_v2, _minSize, _pixelOffset, keep);
                int start = total;
                if (nk == 0)
                {
                    outBoxes.AsSpan(total * 4, 4).Clear();
                    outScores[total++] = 0;
                }
                else if (_nmsThresh <= 0)
                {
                    for (int t = 0; t < nk; t++)
                    {
                        boxes.AsSpan(keep[t] * 4, 4).CopyTo(outBoxes.AsSpan(total * 4, 4));
                        outScores[total++] = boxScore[keep[t]];
                    }
                }
                else
                {
                    int nn = Nms(boxes, boxScore, keep.AsSpan(0, nk), _nmsThresh, _eta, !_pixelOffset, kept, order);
                    if (_postTopN > 0 && _postTopN < nn) nn = _postTopN;
                    for (int t = 0; t < nn; t++)
                    {
                        boxes.AsSpan(kept[t] * 4, 4).CopyTo(outBoxes.AsSpan(total * 4, 4));
                        outScores[total++] = boxScore[kept[t]];
                    }
                }
                counts[i] = total - start;
            }
            Span<int> rs = [total, 4];
            outBoxes.AsSpan(0, total * 4).CopyTo(ctx.Allocate<float>(_rois, rs));
            Span<int> ps = [total, 1];
            outScores.AsSpan(0, total).CopyTo(ctx.Allocate<float>(_probs, ps));
            if (_num >= 0)
            {
                Span<int> cs = [n];
                counts.AsSpan(0, n).CopyTo(ctx.Allocate<int>(_num, cs));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<float>.Shared.Return(cand);
            ArrayPool<float>.Shared.Return(boxes);
            ArrayPool<float>.Shared.Return(boxScore);
            ArrayPool<int>.Shared.Return(keep);
            ArrayPool<int>.Shared.Return(kept);
            ArrayPool<float>.Shared.Return(outBoxes);
            ArrayPool<float>.Shared.Return(outScores);
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>fluid/phi BoxCoder of generate_proposals: anchor + variance-scaled delta → box.</summary>
    internal static void Decode(ReadOnlySpan<float> an, ReadOnlySpan<float> v, ReadOnlySpan<float> d, Span<float> o, bool pixelOffset)
    {
        float off = pixelOffset ? 1f : 0f;
        float aw = an[2] - an[0] + off;
        float ah = an[3] - an[1] + off;
        float acx = (float)(an[0] + 0.5 * aw);
        float acy = (float)(an[1] + 0.5 * ah);
        float cx = v[0] * d[0] * aw + acx;
        float cy = v[1] * d[1] * ah + acy;
        float bw = MathF.Exp(Math.Min(v[2] * d[2], BBoxClip)) * aw;
        float bh = MathF.Exp(Math.Min(v[3] * d[3], BBoxClip)) * ah;
        o[0] = cx - bw / 2;
        o[1] = cy - bh / 2;
        o[2] = cx + bw / 2 - off;
        o[3] = cy + bh / 2 - off;
    }

    /// <summary>ClipTiledBoxes without scale: x into [0, imW − off], y into [0, imH − off].</summary>
    internal static void Clip(Span<float> b, float imW, float imH, bool pixelOffset)
    {
        float off = pixelOffset ? 1f : 0f;
        b[0] = Math.Max(Math.Min(b[0], imW - off), 0f);
        b[1] = Math.Max(Math.Min(b[1], imH - off), 0f);
        b[2] = Math.Max(Math.Min(b[2], imW - off), 0f);
        b[3] = Math.Max(Math.Min(b[3], imH - off), 0f);
    }

    /// <summary>FilterBoxes: indices (in order) of boxes at least max(minSize, 1) wide and high whose centre is in the image.</summary>
    internal static int Filter(ReadOnlySpan<float> boxes, int count, ReadOnlySpan<float> im, float scale, bool isScale, float minSize, bool pixelOffset, Span<int> keep)
    {
        minSize = Math.Max(minSize, 1f);
        float off = pixelOffset ? 1f : 0f;
        int nk = 0;
        for (int i = 0; i < count; i++)
        {
            var b = boxes.Slice(i * 4, 4);
            float ws = b[2] - b[0] + off;
            float hs = b[3] - b[1] + off;
            if (pixelOffset)
            {
                float xc = b[0] + ws / 2;
                float yc = b[1] + hs / 2;
                if (isScale)
                {
                    ws = (b[2] - b[0]) / scale + 1;
                    hs = (b[3] - b[1]) / scale + 1;
                }
                if (ws >= minSize && hs >= minSize && xc <= im[1] && yc <= im[0]) keep[nk++] = i;
            }
            else if (ws >= minSize && hs >= minSize)
            {
                keep[nk++] = i;
            }
        }
        return nk;
    }

    /// <summary>
    /// phi funcs::NMS over boxes[c] for c in <paramref name="cands"/>: visit by score descending (equal scores: the later
    /// candidate first, as Paddle pops the back of an ascending stable sort); keep when IoU with every kept box is ≤ the
    /// adaptive threshold. Returns how many, their box indices in <paramref name="kept"/>.
    /// </summary>
    internal static int Nms(ReadOnlySpan<float> boxes, float[] scores, ReadOnlySpan<int> cands, float thresh, float eta, bool normalized, Span<int> kept, Span<int> scratch)
    {
        int n = cands.Length;
        var visit = scratch[..n];
        for (int i = 0; i < n; i++) visit[i] = cands[n - 1 - i];
        NmsCore.StableSortDescending(visit, scores);
        int nk = 0;
        float adaptive = thresh;
        foreach (int idx in visit)
        {
            bool keep = true;
            for (int k = 0; k < nk && keep; k++) keep = NmsCore.IoU(boxes.Slice(idx * 4, 4), boxes.Slice(kept[k] * 4, 4), normalized) <= adaptive;
            if (keep) kept[nk++] = idx;
            if (keep && eta < 1 && adaptive > 0.5f) adaptive *= eta;
        }
        return nk;
    }
}

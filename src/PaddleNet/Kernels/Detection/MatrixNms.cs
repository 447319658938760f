using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Detection;

/// <summary>
/// Paddle <c>matrix_nms</c> (SOLOv2 / PP-YOLOv2), float32, following phi's CPU kernel. BBoxes [N,M,4],
/// Scores [N,C,M] → Out [K,6] (label, score, x1,y1,x2,y2), Index int32 [K,1] (= image·M + box),
/// RoisNum int32 [N]. Attributes: background_label=0, score_threshold, post_threshold, nms_top_k,
/// keep_top_k, use_gaussian=false, gaussian_sigma=2, normalized=true.
/// Per class: candidates with score &gt; score_threshold, <c>std::partial_sort</c>ed by score desc to
/// nms_top_k; iou_max[i] = max IoU of candidate i with the higher-scored ones; decay_i =
/// min_j&lt;i f(iou_ij, iou_max_j) with linear f = (1−iou)/(1−max) or gaussian f = exp((max²−iou²)·σ);
/// the first candidate keeps its score (if &gt; post_threshold), the others keep score·decay when
/// &gt; post_threshold. All classes of an image are then partial-sorted by decayed score and cut to keep_top_k.
/// Nothing kept: Out [0,6], Index [0,1]. Scratch comes from the run context's scratch.
/// </summary>
internal sealed class MatrixNmsKernel : Kernel
{
    private readonly int _bboxes, _scores, _out, _index, _roisNum;
    private readonly int _background, _nmsTopK, _keepTopK;
    private readonly float _scoreThreshold, _postThreshold, _sigma;
    private readonly bool _gaussian, _normalized;

    private MatrixNmsKernel(KernelBuilder b)
    {
        var a = b.Attrs;
        _bboxes = b.RequiredInput("BBoxes");
        _scores = b.RequiredInput("Scores");
        _out = b.RequiredOutput("Out");
        _index = b.Output("Index");
        _roisNum = b.Output("RoisNum");
        _background = a.GetInt("background_label", 0);
        _nmsTopK = a.GetInt("nms_top_k", -1);
        _keepTopK = a.GetInt("keep_top_k", -1);
        _scoreThreshold = a.GetFloat("score_threshold", 0f);
        _postThreshold = a.GetFloat("post_threshold", 0f);
        _gaussian = a.GetBool("use_gaussian", false);
        _sigma = a.GetFloat("gaussian_sigma", 2f);
        _normalized = a.GetBool("normalized", true);
    }

    public static Kernel Create(KernelBuilder b) => new MatrixNmsKernel(b);

    public override void Execute(RunContext ctx)
    {
        var ss = ctx.Shape(_scores);
        var bs = ctx.Shape(_bboxes);
        if (ss.Length != 3) throw new ShapeMismatchException("matrix_nms Scores", "[N, C, M]", Fmt(ss), "matrix_nms");
        int n = ss[0], c = ss[1], m = ss[2];
        if (bs.Length != 3 || bs[0] != n || bs[1] != m || bs[2] != 4) throw new ShapeMismatchException("matrix_nms BBoxes", $"[{n}, {m}, 4]", Fmt(bs), "matrix_nms");
        var scores = ctx.Read<float>(_scores);
        var boxes = ctx.Read<float>(_bboxes);
        long cap = (long)n * c * m;
        int topK = _nmsTopK > -1 ? Math.Min(_nmsTopK, m) : m;
        long triangle = (long)topK * (topK - 1) / 2;
        if (cap > Array.MaxLength || triangle > Array.MaxLength) throw new ShapeMismatchException("matrix_nms Scores", "fewer boxes", Fmt(ss), "matrix_nms");
        using var frame = ctx.Scratch.Open();
        Span<int> resIdx = frame.Take<int>((int)Math.Max(1, cap));
        Span<int> resCls = frame.Take<int>((int)Math.Max(1, cap));
        Span<float> resScore = frame.Take<float>((int)Math.Max(1, cap));
        Span<int> allIdx = frame.Take<int>(Math.Max(1, c * m));
        Span<int> allCls = frame.Take<int>(Math.Max(1, c * m));
        Span<float> allScore = frame.Take<float>(Math.Max(1, c * m));
        Span<int> perm = frame.Take<int>(Math.Max(1, Math.Max(m, c * m)));
        Span<float> iouMatrix = frame.Take<float>((int)Math.Max(1, triangle));
        Span<float> iouMax = frame.Take<float>(Math.Max(1, m));
        Span<int> perImage = frame.Take<int>(Math.Max(1, n));
                {
            int total = 0;
            for (int i = 0; i < n; i++)
            {
                var img = boxes.Slice(i * m * 4, m * 4);
                int numDet = 0;
                for (int cl = 0; cl < c; cl++)
                {
                    if (cl == _background) continue;
                    var cs = scores.Slice((i * c + cl) * m, m);
                    int before = numDet;
                    numDet = Matrix(img, cs, perm, iouMatrix, iouMax, allIdx, allScore, numDet);
                    for (int k = before; k < numDet; k++) allCls[k] = cl;
                }
                int keep = numDet;
                if (_keepTopK > -1 && keep > _keepTopK) keep = _keepTopK;
                var p = perm.Slice(0, numDet);
                for (int k = 0; k < numDet; k++) p[k] = k;
                NmsCore.PartialSortDescending(p, keep, allScore);
                for (int k = 0; k < keep; k++)
                {
                    int q = p[k];
                    resIdx[total + k] = i * m + allIdx[q];
                    resCls[total + k] = allCls[q];
                    resScore[total + k] = allScore[q];
                }
                perImage[i] = keep;
                total += keep;
            }

            Span<int> oshape = [total, 6];
            var o = ctx.Allocate<float>(_out, oshape);
            for (int r = 0; r < total; r++)
            {
                o[r * 6] = resCls[r];
                o[r * 6 + 1] = resScore[r];
                boxes.Slice(resIdx[r] * 4, 4).CopyTo(o.Slice(r * 6 + 2, 4));
            }
            if (_index >= 0)
            {
                Span<int> ishape = [total, 1];
                resIdx.Slice(0, total).CopyTo(ctx.Allocate<int>(_index, ishape));
            }
            if (_roisNum >= 0)
            {
                Span<int> nshape = [n];
                perImage.Slice(0, n).CopyTo(ctx.Allocate<int>(_roisNum, nshape));
            }
        }
    }

    /// <summary>phi NMSMatrix for one class: appends (box index, decayed score) at position <paramref name="count"/>; returns the new count.</summary>
    private int Matrix(ReadOnlySpan<float> boxes, ReadOnlySpan<float> score, Span<int> permBuf, Span<float> iouMatrix, Span<float> iouMax, Span<int> outIdx, Span<float> outScore, int count)
    {
        int m = score.Length;
        // std::remove_if keeps the survivors in index order
        int numCand = 0;
        for (int k = 0; k < m; k++)
        {
            if (!(score[k] <= _scoreThreshold)) permBuf[numCand++] = k;
        }
        int numPre = numCand;
        if (numPre <= 0) return count;
        if (_nmsTopK > -1 && numPre > _nmsTopK) numPre = _nmsTopK;
        var perm = permBuf.Slice(0, numCand);
        NmsCore.PartialSortDescending(perm, numPre, score);

        iouMax[0] = 0f;
        for (int i = 1; i < numPre; i++)
        {
            float maxIou = 0f;
            var a = boxes.Slice(perm[i] * 4, 4);
            for (int j = 0; j < i; j++)
            {
                float iou = NmsCore.IoU(a, boxes.Slice(perm[j] * 4, 4), _normalized);
                maxIou = Math.Max(maxIou, iou);
                iouMatrix[i * (i - 1) / 2 + j] = iou;
            }
            iouMax[i] = maxIou;
        }

        if (score[perm[0]] > _postThreshold)
        {
            outIdx[count] = perm[0];
            outScore[count] = score[perm[0]];
            count++;
        }
        for (int i = 1; i < numPre; i++)
        {
            float minDecay = 1f;
            for (int j = 0; j < i; j++)
            {
                float maxIou = iouMax[j];
                float iou = iouMatrix[i * (i - 1) / 2 + j];
                float decay = _gaussian
                    ? MathF.Exp((maxIou * maxIou - iou * iou) * _sigma)
                    : (float)((1.0 - iou) / (1.0 - maxIou));
                minDecay = Math.Min(minDecay, decay);
            }
            float ds = minDecay * score[perm[i]];
            if (ds <= _postThreshold) continue;
            outIdx[count] = perm[i];
            outScore[count] = ds;
            count++;
        }
        return count;
    }

    private static string Fmt(ReadOnlySpan<int> s) => "[" + string.Join(", ", s.ToArray()) + "]";
}

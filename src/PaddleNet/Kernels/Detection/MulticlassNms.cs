using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Detection;

/// <summary>
/// Paddle <c>multiclass_nms3</c> (Out, Index, NmsRoisNum) and legacy <c>multiclass_nms</c> (Out only), float32,
/// following phi's CPU kernel. Dense form: BBoxes [N,M,4], Scores [N,C,M]. LoD form: BBoxes [M,C,4],
/// Scores [M,C] with RoisNum int [N] giving each image's rows (absent ⇒ one image).
/// Attributes: background_label=0, score_threshold, nms_top_k, nms_threshold=0.3, nms_eta=1,
/// keep_top_k, normalized=true.
/// Per image, per class c ≠ background_label: candidates with score &gt; score_threshold, stable-sorted by
/// score desc, cut to nms_top_k (if &gt; −1); greedy NMS (IoU ≤ adaptive threshold, eta applied after a keep
/// while threshold &gt; 0.5). If keep_top_k &gt; −1 and more are kept: stable-sort all (score desc, in
/// class-then-NMS order) and keep keep_top_k. Rows [label, score, x1, y1, x2, y2] grouped by class
/// ascending; Index = image offset + box index (int32 [K,1]); NmsRoisNum = rows per image (int32 [N]).
/// Nothing kept: v3 gives Out [0,6] and Index [0,1]; v1 gives Out [1,1] = −1.
/// Scratch comes from the run context's scratch (no steady-state allocation).
/// </summary>
internal sealed unsafe class MulticlassNmsKernel : Kernel
{
    private readonly int _bboxes, _scores, _roisNum, _out, _index, _nmsRoisNum;
    private readonly bool _v3;
    private readonly int _background, _nmsTopK, _keepTopK;
    private readonly float _scoreThreshold, _nmsThreshold, _eta;
    private readonly bool _normalized;

    private MulticlassNmsKernel(KernelBuilder b, bool v3, bool withIndex = false)
    {
        var a = b.Attrs;
        _v3 = v3;
        _opType = b.Op.Type;
        _bboxes = b.RequiredInput("BBoxes");
        _scores = b.RequiredInput("Scores");
        _roisNum = b.Input("RoisNum"); // v1/v2: the legacy LoD made explicit by LodLowering
        _out = b.RequiredOutput("Out");
        _index = v3 || withIndex ? b.Output("Index") : -1;
        _nmsRoisNum = v3 ? b.Output("NmsRoisNum") : -1;
        _background = a.GetInt("background_label", 0);
        _nmsTopK = a.GetInt("nms_top_k", -1);
        _keepTopK = a.GetInt("keep_top_k", -1);
        _scoreThreshold = a.GetFloat("score_threshold", 0f);
        _nmsThreshold = a.GetFloat("nms_threshold", 0.3f);
        _eta = a.GetFloat("nms_eta", 1f);
        _normalized = a.GetBool("normalized", true);
    }

    public static Kernel CreateV3(KernelBuilder b) => new MulticlassNmsKernel(b, v3: true);

    public static Kernel CreateV1(KernelBuilder b) => new MulticlassNmsKernel(b, v3: false);

    /// <summary><c>multiclass_nms2</c> (Paddle Lite, PyramidBox): v1 with the Index output; nothing kept gives Out [0,6] and Index [0,1] when Index is wired.</summary>
    public static Kernel CreateV2(KernelBuilder b) => new MulticlassNmsKernel(b, v3: false, withIndex: true);

    private readonly string _opType;

    private string OpType => _opType;

    public override void Execute(RunContext ctx)
    {
        var ss = ctx.Shape(_scores);
        var bs = ctx.Shape(_bboxes);
        bool dense = ss.Length == 3;
        int n, c, mTotal;
        if (dense)
        {
            n = ss[0]; c = ss[1]; mTotal = ss[2];
            if (bs.Length != 3 || bs[0] != n || bs[1] != mTotal || bs[2] != 4)
                throw new ShapeMismatchException($"{OpType} BBoxes", $"[{n}, {mTotal}, 4]", Fmt(bs), OpType);
        }
        else if (ss.Length == 2)
        {
            mTotal = ss[0]; c = ss[1];
            if (bs.Length != 3 || bs[0] != mTotal || bs[1] != c || bs[2] != 4)
                throw new ShapeMismatchException($"{OpType} BBoxes", $"[{mTotal}, {c}, 4]", Fmt(bs), OpType);
            n = _roisNum >= 0 ? (int)ctx.ElementCount(_roisNum) : 1;
        }
        else
        {
            throw new ShapeMismatchException($"{OpType} Scores", "[N, C, M] or [M, C]", Fmt(ss), OpType);
        }

        var scores = ctx.Read<float>(_scores);
        var boxes = ctx.Read<float>(_bboxes);
        int perImageMax = mTotal; // upper bound on the boxes of one image
        long capacity = (long)(dense ? n : 1) * c * mTotal; // upper bound on the rows kept in all images
        if (capacity > Array.MaxLength) throw new ShapeMismatchException($"{OpType} Scores", "fewer boxes", Fmt(ss), OpType);
        using var frame = ctx.Scratch.Open();
        Span<int> labels = frame.Take<int>((int)Math.Max(1, capacity));
        Span<int> idxs = frame.Take<int>((int)Math.Max(1, capacity));
        Span<int> perImage = frame.Take<int>(n + 1);
        Span<int> starts = frame.Take<int>(n + 1);
        Span<int> kept = frame.Take<int>(Math.Max(1, c * perImageMax));
        Span<int> keptCount = frame.Take<int>(Math.Max(1, c));
        Span<int> order = frame.Take<int>(Math.Max(1, c * perImageMax));
        Span<int> seq = frame.Take<int>(Math.Max(1, c * perImageMax));
        Span<float> seqScore = frame.Take<float>(Math.Max(1, c * perImageMax));
        Span<ulong> sortWork = frame.Take<ulong>(Math.Max(1, c * perImageMax));
        fixed (int* pKept = kept, pKeptCount = keptCount, pOrder = order)
        {
            int total = 0;
            int rowStart = 0;
            for (int i = 0; i < n; i++)
            {
                int m, scoreBase, scoreStride, classScoreStep, boxBase, boxStride, classBoxStep;
                if (dense)
                {
                    m = mTotal;
                    scoreBase = i * c * m; scoreStride = 1; classScoreStep = m;
                    boxBase = i * m * 4; boxStride = 4; classBoxStep = 0;
                    starts[i] = i * m;
                }
                else
                {
                    m = _roisNum >= 0 ? (int)ctx.ReadInt64(_roisNum, i) : mTotal;
                    if (m < 0 || rowStart + m > mTotal) throw new ShapeMismatchException($"{OpType} RoisNum", $"counts summing to at most {mTotal}", $"{rowStart + m}", OpType);
                    scoreBase = rowStart * c; scoreStride = c; classScoreStep = 1;
                    boxBase = rowStart * c * 4; boxStride = c * 4; classBoxStep = 4;
                    starts[i] = rowStart;
                    rowStart += m;
                }
                var body = new ClassBody
                {
                    Kernel = this, Ctx = ctx, M = m, ScoreBase = scoreBase, ScoreStride = scoreStride, ClassScoreStep = classScoreStep,
                    BoxBase = boxBase, BoxStride = boxStride, ClassBoxStep = classBoxStep, Kept = pKept, KeptCount = pKeptCount, Order = pOrder,
                };
                // classes are independent: split them over the pool when there is enough work
                if ((long)c * m >= ParallelMinWork) ctx.Pool.For(c, body);
                else body.Run(0, c);
                int found = Collect(scores, m, c, scoreBase, scoreStride, classScoreStep, kept, keptCount, seq, seqScore, sortWork, labels[total..], idxs[total..]);
                perImage[i] = found;
                total += found;
            }

            bool returnIndex = _v3 || _index >= 0;
            if (total == 0 && !returnIndex)
            {
                Span<int> one = [1, 1];
                ctx.Allocate<float>(_out, one)[0] = -1f;
            }
            else
            {
                Span<int> oshape = [total, 6];
                var o = ctx.Allocate<float>(_out, oshape);
                Span<int> ishape = [total, 1];
                var index = _index >= 0 ? ctx.Allocate<int>(_index, ishape) : default;
                int r = 0;
                for (int i = 0; i < n; i++)
                {
                    int m = dense ? mTotal : 0;
                    for (int k = 0; k < perImage[i]; k++, r++)
                    {
                        int label = labels[r], idx = idxs[r];
                        float score;
                        ReadOnlySpan<float> box;
                        if (dense)
                        {
                            score = scores[(i * c + label) * m + idx];
                            box = boxes.Slice((i * m + idx) * 4, 4);
                        }
                        else
                        {
                            int row = starts[i] + idx;
                            score = scores[row * c + label];
                            box = boxes.Slice((row * c + label) * 4, 4);
                        }
                        o[r * 6] = label;
                        o[r * 6 + 1] = score;
                        box.CopyTo(o.Slice(r * 6 + 2, 4));
                        if (!index.IsEmpty) index[r] = starts[i] + idx;
                    }
                }
            }
            if (_nmsRoisNum >= 0)
            {
                Span<int> nshape = [n];
                var nr = ctx.Allocate<int>(_nmsRoisNum, nshape);
                for (int i = 0; i < n; i++) nr[i] = perImage[i];
            }
        }
    }

    /// <summary>Candidate boxes (classes × boxes) from which one image's classes are spread over the intra-op pool.</summary>
    internal const long ParallelMinWork = 8192;

    /// <summary>
    /// phi MultiClassNMS, first half, for classes [start, end) of one image: class c's candidates
    /// (score &gt; threshold, stable score order, nms_top_k) and greedy NMS into Kept[c·M ..], KeptCount[c].
    /// Class c's score of box b is scores[ScoreBase + c·ClassScoreStep + b·ScoreStride]; its box is
    /// boxes[BoxBase + c·ClassBoxStep + b·BoxStride ..+4]. Classes write disjoint scratch ranges.
    /// </summary>
    private struct ClassBody : IParallelBody
    {
        public MulticlassNmsKernel Kernel;
        public RunContext Ctx;
        public int M, ScoreBase, ScoreStride, ClassScoreStep, BoxBase, BoxStride, ClassBoxStep;
        public int* Kept, KeptCount, Order;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            var k = Kernel;
            var scores = Ctx.Read<float>(k._scores);
            var boxes = Ctx.Read<float>(k._bboxes);
            using var frame = Ctx.Scratch.Open(); // this thread's scratch
            var work = frame.Take<ulong>(Math.Max(1, M));
            for (int cl = start; cl < end; cl++)
            {
                KeptCount[cl] = 0;
                if (cl == k._background || M == 0) continue;
                var order = new Span<int>(Order + (long)cl * M, M);
                var cs = scores[(ScoreBase + cl * ClassScoreStep)..];
                int cand = NmsCore.MaxScoreIndex(cs, M, ScoreStride, k._scoreThreshold, k._nmsTopK, order, work);
                var cb = boxes[(BoxBase + cl * ClassBoxStep)..];
                KeptCount[cl] = NmsCore.Greedy(cb, BoxStride, order[..cand], k._nmsThreshold, k._eta, k._normalized, new Span<int>(Kept + (long)cl * M, M));
            }
        }
    }

    /// <summary>
    /// phi MultiClassNMS, second half: keep_top_k across classes, then the selected (label, index)
    /// pairs class ascending and NMS order within a class. Returns how many.
    /// </summary>
    private int Collect(ReadOnlySpan<float> scores, int m, int c, int scoreBase, int scoreStride, int classScoreStep,
        ReadOnlySpan<int> kept, ReadOnlySpan<int> keptCount, Span<int> seq, Span<float> seqScore, Span<ulong> sortWork, Span<int> outLabels, Span<int> outIdx)
    {
        int numDet = 0;
        for (int cl = 0; cl < c; cl++) numDet += keptCount[cl];

        if (_keepTopK > -1 && numDet > _keepTopK)
        {
            int s = 0;
            for (int cl = 0; cl < c; cl++)
            {
                var cs = scores[(scoreBase + cl * classScoreStep)..];
                for (int k = 0; k < keptCount[cl]; k++, s++)
                {
                    seq[s] = s;
                    seqScore[s] = cs[kept[cl * m + k] * scoreStride];
                }
            }
            NmsCore.StableSortDescending(seq[..s], seqScore, 1, sortWork);
            // seq number → (class, position): walk classes again to map; emit class ascending, score order within.
            int w = 0;
            for (int cl = 0; cl < c; cl++)
            {
                int first = 0;
                for (int q = 0; q < cl; q++) first += keptCount[q];
                int last = first + keptCount[cl];
                for (int t = 0; t < _keepTopK; t++)
                {
                    int sq = seq[t];
                    if (sq < first || sq >= last) continue;
                    outLabels[w] = cl;
                    outIdx[w] = kept[cl * m + (sq - first)];
                    w++;
                }
            }
            return w;
        }

        int r = 0;
        for (int cl = 0; cl < c; cl++)
        {
            for (int k = 0; k < keptCount[cl]; k++, r++)
            {
                outLabels[r] = cl;
                outIdx[r] = kept[cl * m + k];
            }
        }
        return r;
    }

    private static string Fmt(ReadOnlySpan<int> s) => "[" + string.Join(", ", s.ToArray()) + "]";
}

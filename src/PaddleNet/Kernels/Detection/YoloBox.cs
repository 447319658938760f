using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Detection;

/// <summary>
/// Paddle <c>yolo_box</c>, float32. X [N, A·(5+C), H, W] (A extra IoU channels first when
/// iou_aware), ImgSize int32 [N,2] = (h, w) → Boxes [N, A·H·W, 4], Scores [N, A·H·W, C].
/// Attributes: anchors (int pairs), class_num, conf_thresh, downsample_ratio, clip_bbox=true,
/// scale_x_y=1, iou_aware=false, iou_aware_factor=0.5.
/// conf = σ(obj) (iou_aware: conf^(1−f)·σ(iou)^f); below conf_thresh the row stays 0. Else, with
/// s = scale_x_y, b = −0.5(s−1): cx = (l + σ(tx)·s + b)·img_w/W, cy = (k + σ(ty)·s + b)·img_h/H,
/// w = e^tw·anchor_w·img_w/(ratio·W), h likewise; box = [cx−w/2, cy−h/2, cx+w/2, cy+h/2],
/// clipped to [0, img−1] when clip_bbox; score_c = conf·σ(cls_c). σ(x) = (float)(1.0/(1.0+expf(−x))) as in phi.
/// </summary>
internal sealed class YoloBoxKernel : Kernel
{
    private readonly int _x, _imgSize, _boxes, _scores;
    private readonly int[] _anchors;
    private readonly int _classNum, _downsample;
    private readonly float _confThresh, _scale, _bias, _iouFactor;
    private readonly bool _clip, _iouAware;

    private YoloBoxKernel(int x, int imgSize, int boxes, int scores, int[] anchors, int classNum, int downsample, float confThresh, float scale, bool clip, bool iouAware, float iouFactor)
    {
        _x = x; _imgSize = imgSize; _boxes = boxes; _scores = scores; _anchors = anchors; _classNum = classNum;
        _downsample = downsample; _confThresh = confThresh; _scale = scale; _bias = (float)(-0.5 * (scale - 1.0));
        _clip = clip; _iouAware = iouAware; _iouFactor = iouFactor;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        var anchors = a.GetInts("anchors");
        if (anchors.Length == 0 || anchors.Length % 2 != 0) throw b.Unsupported($"anchors must be non-empty pairs, got {anchors.Length} values");
        int classNum = a.GetInt("class_num", 0);
        if (classNum <= 0) throw b.Unsupported($"class_num {classNum}");
        int ds = a.GetInt("downsample_ratio", 32);
        if (ds <= 0) throw b.Unsupported($"downsample_ratio {ds}");
        return new YoloBoxKernel(b.RequiredInput("X"), b.RequiredInput("ImgSize"), b.RequiredOutput("Boxes"), b.RequiredOutput("Scores"),
            anchors, classNum, ds, a.GetFloat("conf_thresh", 0.01f), a.GetFloat("scale_x_y", 1f), a.GetBool("clip_bbox", true),
            a.GetBool("iou_aware", false), a.GetFloat("iou_aware_factor", 0.5f));
    }

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        int an = _anchors.Length / 2;
        int perAnchor = 5 + _classNum;
        int expectC = an * perAnchor + (_iouAware ? an : 0);
        if (xs.Length != 4 || xs[1] != expectC) throw new ShapeMismatchException("yolo_box X", $"[N, {expectC}, H, W]", "[" + string.Join(", ", xs.ToArray()) + "]", "yolo_box");
        int n = xs[0], h = xs[2], w = xs[3];
        var iss = ctx.Shape(_imgSize);
        if (iss.Length != 2 || iss[0] != n || iss[1] != 2) throw new ShapeMismatchException("yolo_box ImgSize", $"[{n}, 2]", "[" + string.Join(", ", iss.ToArray()) + "]", "yolo_box");
        int bnum = an * h * w;
        Span<int> bshape = [n, bnum, 4];
        var boxes = ctx.Allocate<float>(_boxes, bshape);
        Span<int> sshape = [n, bnum, _classNum];
        var scores = ctx.Allocate<float>(_scores, sshape);
        var x = ctx.Read<float>(_x);
        for (int i = 0; i < n; i++)
        {
            int ih = (int)ctx.ReadInt64(_imgSize, 2 * i), iw = (int)ctx.ReadInt64(_imgSize, 2 * i + 1);
            Reference(x, i, ih, iw, h, w, _anchors, _classNum, _downsample, _confThresh, _scale, _bias, _clip, _iouAware, _iouFactor,
                boxes.Slice(i * bnum * 4, bnum * 4), scores.Slice(i * bnum * _classNum, bnum * _classNum));
        }
    }

    internal static float Sigmoid(float v) => (float)(1.0 / (1.0 + MathF.Exp(-v)));

    /// <summary>Scalar reference for batch item <paramref name="i"/>: fills its boxes [A·H·W·4] and scores [A·H·W·C].</summary>
    internal static void Reference(ReadOnlySpan<float> x, int i, int imgH, int imgW, int h, int w, int[] anchors, int classNum, int downsample,
        float confThresh, float scale, float bias, bool clip, bool iouAware, float iouFactor, Span<float> boxes, Span<float> scores)
    {
        boxes.Clear();
        scores.Clear();
        int an = anchors.Length / 2;
        int stride = h * w;
        int anStride = (classNum + 5) * stride;
        int inH = downsample * h, inW = downsample * w;
        for (int j = 0; j < an; j++)
        {
            for (int k = 0; k < h; k++)
            {
                for (int l = 0; l < w; l++)
                {
                    int hw = k * w + l;
                    float conf = Sigmoid(x[Entry(i, j, hw, an, anStride, stride, 4, iouAware)]);
                    if (iouAware)
                    {
                        int iouIdx = i * an * anStride + (i * an + j) * stride + hw;
                        float iou = Sigmoid(x[iouIdx]);
                        conf = MathF.Pow(conf, 1f - iouFactor) * MathF.Pow(iou, iouFactor);
                    }
                    if (conf < confThresh) continue;
                    int bi = Entry(i, j, hw, an, anStride, stride, 0, iouAware);
                    float b0 = (l + Sigmoid(x[bi]) * scale + bias) * imgW / w;
                    float b1 = (k + Sigmoid(x[bi + stride]) * scale + bias) * imgH / h;
                    float b2 = MathF.Exp(x[bi + 2 * stride]) * anchors[2 * j] * imgW / inW;
                    float b3 = MathF.Exp(x[bi + 3 * stride]) * anchors[2 * j + 1] * imgH / inH;
                    int o = (j * stride + hw) * 4;
                    float x1 = b0 - b2 / 2, y1 = b1 - b3 / 2, x2 = b0 + b2 / 2, y2 = b1 + b3 / 2;
                    if (clip)
                    {
                        x1 = x1 > 0 ? x1 : 0f;
                        y1 = y1 > 0 ? y1 : 0f;
                        x2 = x2 < imgW - 1 ? x2 : imgW - 1;
                        y2 = y2 < imgH - 1 ? y2 : imgH - 1;
                    }
                    boxes[o] = x1; boxes[o + 1] = y1; boxes[o + 2] = x2; boxes[o + 3] = y2;
                    int li = Entry(i, j, hw, an, anStride, stride, 5, iouAware);
                    int so = (j * stride + hw) * classNum;
                    for (int c = 0; c < classNum; c++) scores[so + c] = conf * Sigmoid(x[li + c * stride]);
                }
            }
        }
    }

    private static int Entry(int batch, int anIdx, int hwIdx, int an, int anStride, int stride, int entry, bool iouAware) => iouAware
        ? (batch * an + anIdx) * anStride + (batch * an + an + entry) * stride + hwIdx
        : (batch * an + anIdx) * anStride + entry * stride + hwIdx;
}

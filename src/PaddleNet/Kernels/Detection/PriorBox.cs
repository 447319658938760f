using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Detection;

/// <summary>
/// Paddle <c>prior_box</c> (SSD anchors). Input feature [N,C,Hf,Wf] and Image [N,C,Hi,Wi] (only
/// their shapes are used) → Boxes [Hf,Wf,P,4] and Variances [Hf,Wf,P,4], float32.
/// Attributes: min_sizes (required), max_sizes=[], aspect_ratios=[], variances=[0.1,0.1,0.2,0.2]
/// (4 values), flip=true, clip=true, step_w=0, step_h=0 (0 ⇒ image/feature), offset=0.5,
/// min_max_aspect_ratios_order=false.
/// Expanded ratios: [1] then each ar not within 1e-6 of one already present (and 1/ar if flip).
/// P = |ratios|·|min_sizes| + |max_sizes|. Cell (h,w): cx = (w+offset)·step_w, cy = (h+offset)·step_h;
/// per min size: default order = every ratio (half sides min·√ar/2, min/√ar/2) then the
/// √(min·max) square; min_max order = min square, √(min·max) square, then ratios ≠ 1.
/// Box = [(cx−hw)/Wi, (cy−hh)/Hi, (cx+hw)/Wi, (cy+hh)/Hi], optionally clipped to [0,1].
/// Float arithmetic follows phi's CPU kernel (float, with the halvings done in double).
/// </summary>
internal sealed class PriorBoxKernel : Kernel
{
    private readonly int _input, _image, _boxes, _variances;
    private readonly float[] _minSizes, _maxSizes, _ratios, _var;
    private readonly bool _clip, _minMaxOrder;
    private readonly float _stepW, _stepH, _offset;

    private PriorBoxKernel(int input, int image, int boxes, int variances, float[] minSizes, float[] maxSizes, float[] ratios, float[] var, bool clip, bool minMaxOrder, float stepW, float stepH, float offset)
    {
        _input = input; _image = image; _boxes = boxes; _variances = variances;
        _minSizes = minSizes; _maxSizes = maxSizes; _ratios = ratios; _var = var;
        _clip = clip; _minMaxOrder = minMaxOrder; _stepW = stepW; _stepH = stepH; _offset = offset;
    }

    /// <summary>The expanded aspect ratio list: 1, then new ratios (and their inverses when flipping).</summary>
    internal static float[] ExpandAspectRatios(float[] ratios, bool flip)
    {
        var list = new List<float> { 1.0f };
        foreach (float ar in ratios)
        {
            bool exists = false;
            foreach (float r in list)
            {
                if (MathF.Abs(ar - r) < 1e-6f) { exists = true; break; }
            }
            if (exists) continue;
            list.Add(ar);
            if (flip) list.Add(1.0f / ar);
        }
        return list.ToArray();
    }

    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        var minSizes = a.GetFloats("min_sizes");
        if (minSizes.Length == 0) throw b.Unsupported("min_sizes is empty");
        var maxSizes = a.GetFloats("max_sizes");
        if (maxSizes.Length != 0 && maxSizes.Length != minSizes.Length) throw b.Unsupported("max_sizes must be empty or as long as min_sizes");
        var var = a.Has("variances") ? a.GetFloats("variances") : [0.1f, 0.1f, 0.2f, 0.2f];
        if (var.Length != 4) throw b.Unsupported($"variances must have 4 values, got {var.Length}");
        var ratios = ExpandAspectRatios(a.GetFloats("aspect_ratios"), a.GetBool("flip", true));
        return new PriorBoxKernel(b.RequiredInput("Input"), b.RequiredInput("Image"), b.RequiredOutput("Boxes"), b.Output("Variances"),
            minSizes, maxSizes, ratios, var, a.GetBool("clip", true), a.GetBool("min_max_aspect_ratios_order", false),
            a.GetFloat("step_w", 0f), a.GetFloat("step_h", 0f), a.GetFloat("offset", 0.5f));
    }

    public override void Execute(RunContext ctx)
    {
        var fs = ctx.Shape(_input);
        var ims = ctx.Shape(_image);
        if (fs.Length != 4) throw new ShapeMismatchException("prior_box Input", "[N, C, H, W]", $"rank {fs.Length}", "prior_box");
        if (ims.Length != 4) throw new ShapeMismatchException("prior_box Image", "[N, C, H, W]", $"rank {ims.Length}", "prior_box");
        int fh = fs[2], fw = fs[3], ih = ims[2], iw = ims[3];
        int p = NumPriors;
        Span<int> shape = [fh, fw, p, 4];
        var boxes = ctx.Allocate<float>(_boxes, shape);
        Reference(boxes, fh, fw, ih, iw, _minSizes, _maxSizes, _ratios, _clip, _minMaxOrder, _stepW, _stepH, _offset);
        if (_variances >= 0)
        {
            var v = ctx.Allocate<float>(_variances, shape);
            for (int i = 0; i < v.Length; i += 4) _var.CopyTo(v.Slice(i, 4));
        }
    }

    private int NumPriors => _ratios.Length * _minSizes.Length + _maxSizes.Length;

    /// <summary>Scalar reference: fills boxes [fh, fw, P, 4].</summary>
    internal static void Reference(Span<float> boxes, int fh, int fw, int ih, int iw, float[] minSizes, float[] maxSizes, float[] ratios, bool clip, bool minMaxOrder, float stepW, float stepH, float offset)
    {
        float sw, sh;
        if (stepW == 0 || stepH == 0)
        {
            sw = (float)iw / fw;
            sh = (float)ih / fh;
        }
        else
        {
            sw = stepW;
            sh = stepH;
        }
        float fiw = iw, fih = ih;
        int o = 0;
        for (int h = 0; h < fh; h++)
        {
            for (int w = 0; w < fw; w++)
            {
                float cx = (w + offset) * sw;
                float cy = (h + offset) * sh;
                for (int s = 0; s < minSizes.Length; s++)
                {
                    float min = minSizes[s];
                    float bw, bh;
                    if (minMaxOrder)
                    {
                        bw = bh = (float)(min / 2.0);
                        Put(boxes, ref o, cx, cy, bw, bh, fiw, fih);
                        if (maxSizes.Length > 0)
                        {
                            bw = bh = (float)(MathF.Sqrt(min * maxSizes[s]) / 2.0);
                            Put(boxes, ref o, cx, cy, bw, bh, fiw, fih);
                        }
                        foreach (float ar in ratios)
                        {
                            if (Math.Abs(ar - 1.0) < 1e-6) continue;
                            bw = (float)(min * MathF.Sqrt(ar) / 2.0);
                            bh = (float)(min / MathF.Sqrt(ar) / 2.0);
                            Put(boxes, ref o, cx, cy, bw, bh, fiw, fih);
                        }
                    }
                    else
                    {
                        foreach (float ar in ratios)
                        {
                            bw = (float)(min * MathF.Sqrt(ar) / 2.0);
                            bh = (float)(min / MathF.Sqrt(ar) / 2.0);
                            Put(boxes, ref o, cx, cy, bw, bh, fiw, fih);
                        }
                        if (maxSizes.Length > 0)
                        {
                            bw = bh = (float)(MathF.Sqrt(min * maxSizes[s]) / 2.0);
                            Put(boxes, ref o, cx, cy, bw, bh, fiw, fih);
                        }
                    }
                }
            }
        }
        if (clip)
        {
            for (int i = 0; i < o; i++) boxes[i] = Math.Min(Math.Max(boxes[i], 0f), 1f);
        }
    }

    private static void Put(Span<float> b, ref int o, float cx, float cy, float bw, float bh, float iw, float ih)
    {
        b[o] = (cx - bw) / iw;
        b[o + 1] = (cy - bh) / ih;
        b[o + 2] = (cx + bw) / iw;
        b[o + 3] = (cy + bh) / ih;
        o += 4;
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Lite;

/// <summary>
/// Paddle <c>density_prior_box</c> (Paddle Lite host kernel; face SSD / PyramidBox). Input feature [N,C,Hf,Wf]
/// and Image [N,C,Hi,Wi] (only shapes are read) → Boxes and Variances [Hf,Wf,P,4] (flatten_to_2d: [Hf·Wf·P,4]).
/// Attributes: fixed_sizes, fixed_ratios, densities (one per fixed size), variances (4), clip=false,
/// step_w/step_h (0 ⇒ image/feature size), offset=0.5, flatten_to_2d=false.
/// P = Σ_s |fixed_ratios|·densities[s]². With step_average = (int)((step_w + step_h)/2) and for each fixed size
/// s, shift = step_average / densities[s] (integer division), ratio r: bw = size·√r, bh = size/√r; cell (h, w)
/// centre c = ((w+offset)·step_w, (h+offset)·step_h), sub-centres c − step_average/2 + shift/2 + (j, i)·shift
/// for i, j &lt; density. Box = [(cx − bw/2)/Wi, (cy − bh/2)/Hi, (cx + bw/2)/Wi, (cy + bh/2)/Hi] with x1,y1 ≥ 0
/// and x2,y2 ≤ 1 always, then clamped to [0,1] when clip. Float arithmetic follows Lite's host kernel.
/// </summary>
internal sealed class DensityPriorBoxKernel : Kernel
{
    private readonly int _input, _image, _boxes, _variances;
    private readonly float[] _fixedSizes, _fixedRatios, _var;
    private readonly int[] _densities;
    private readonly bool _clip, _flatten;
    private readonly float _stepW, _stepH, _offset;
    private readonly int _numPriors;

    private DensityPriorBoxKernel(int input, int image, int boxes, int variances, float[] fixedSizes, float[] fixedRatios, int[] densities, float[] var, bool clip, bool flatten, float stepW, float stepH, float offset)
    {
        _input = input; _image = image; _boxes = boxes; _variances = variances;
        _fixedSizes = fixedSizes; _fixedRatios = fixedRatios; _densities = densities; _var = var;
        _clip = clip; _flatten = flatten; _stepW = stepW; _stepH = stepH; _offset = offset;
        _numPriors = NumPriors(fixedRatios.Length, densities);
    }

    internal static int NumPriors(int ratios, int[] densities)
    {
        int p = 0;
        foreach (int d in densities) p += ratios * d * d;
        return p;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        var sizes = a.GetFloats("fixed_sizes");
        var ratios = a.GetFloats("fixed_ratios");
        var densities = a.GetInts("densities");
        if (sizes.Length == 0 || ratios.Length == 0) throw b.Unsupported("fixed_sizes and fixed_ratios must be non-empty (the min_sizes form is not supported)");
        if (densities.Length != sizes.Length) throw b.Unsupported($"{densities.Length} densities for {sizes.Length} fixed_sizes");
        if (densities.Any(d => d <= 0)) throw b.Unsupported("densities must be positive");
        var var = a.Has("variances") ? a.GetFloats("variances") : [0.1f, 0.1f, 0.2f, 0.2f];
        if (var.Length != 4) throw b.Unsupported($"variances must have 4 values, got {var.Length}");
        return new DensityPriorBoxKernel(b.RequiredInput("Input"), b.RequiredInput("Image"), b.RequiredOutput("Boxes"), b.Output("Variances"),
            sizes, ratios, densities, var, a.GetBool("clip", false), a.GetBool("flatten_to_2d", false),
            a.GetFloat("step_w", 0f), a.GetFloat("step_h", 0f), a.GetFloat("offset", 0.5f));
    }

    public override void Execute(RunContext ctx)
    {
        var fs = ctx.Shape(_input);
        var ims = ctx.Shape(_image);
        if (fs.Length != 4) throw new ShapeMismatchException("density_prior_box Input", "[N, C, H, W]", $"rank {fs.Length}", "density_prior_box");
        if (ims.Length != 4) throw new ShapeMismatchException("density_prior_box Image", "[N, C, H, W]", $"rank {ims.Length}", "density_prior_box");
        int fh = fs[2], fw = fs[3], ih = ims[2], iw = ims[3];
        Span<int> shape4 = [fh, fw, _numPriors, 4];
        Span<int> shape2 = [fh * fw * _numPriors, 4];
        var shape = _flatten ? shape2 : shape4;
        var boxes = ctx.Allocate<float>(_boxes, shape);
        Reference(boxes, fh, fw, ih, iw, _fixedSizes, _fixedRatios, _densities, _clip, _stepW, _stepH, _offset);
        if (_variances >= 0)
        {
            var v = ctx.Allocate<float>(_variances, shape);
            for (int i = 0; i < v.Length; i += 4) _var.CopyTo(v.Slice(i, 4));
        }
    }

    /// <summary>Scalar reference: fills boxes [fh, fw, P, 4].</summary>
    internal static void Reference(Span<float> boxes, int fh, int fw, int ih, int iw, float[] fixedSizes, float[] fixedRatios, int[] densities, bool clip, float stepW, float stepH, float offset)
    {
        float sw = stepW, sh = stepH;
        if (sw == 0 || sh == 0)
        {
            sw = (float)iw / fw;
            sh = (float)ih / fh;
        }
        int stepAverage = (int)((sw + sh) * 0.5);
        int o = 0;
        for (int h = 0; h < fh; h++)
        {
            for (int w = 0; w < fw; w++)
            {
                float cx = (w + offset) * sw;
                float cy = (h + offset) * sh;
                for (int s = 0; s < fixedSizes.Length; s++)
                {
                    int density = densities[s];
                    int shift = stepAverage / density;
                    foreach (float ar in fixedRatios)
                    {
                        float bw = (float)(fixedSizes[s] * Math.Sqrt(ar));
                        float bh = (float)(fixedSizes[s] / Math.Sqrt(ar));
                        for (int p = 0; p < density; p++)
                        {
                            for (int c = 0; c < density; c++)
                            {
                                float x = cx - stepAverage / 2.0f + shift / 2f + c * shift;
                                float y = cy - stepAverage / 2.0f + shift / 2f + p * shift;
                                float x1 = (x - bw / 2f) / iw, y1 = (y - bh / 2f) / ih;
                                float x2 = (x + bw / 2f) / iw, y2 = (y + bh / 2f) / ih;
                                boxes[o++] = x1 >= 0 ? x1 : 0;
                                boxes[o++] = y1 >= 0 ? y1 : 0;
                                boxes[o++] = x2 <= 1 ? x2 : 1;
                                boxes[o++] = y2 <= 1 ? y2 : 1;
                            }
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
}

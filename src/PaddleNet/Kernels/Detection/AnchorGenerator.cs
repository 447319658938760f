using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Detection;

/// <summary>
/// Paddle <c>anchor_generator</c> (Faster R-CNN RPN anchors, fluid's CPU kernel): Input [N,C,H,W] (only H, W used) →
/// Anchors [H,W,A,4], Variances [H,W,A,4] with A = |aspect_ratios|·|anchor_sizes| (ratios outer, sizes inner).
/// Attributes: anchor_sizes=[64,128,256,512], aspect_ratios=[0.5,1,2], stride=[16,16] (w, h), variances=[0.1,0.1,0.2,0.2],
/// offset=0.5. Cell (h,w): centre = (w·sw + offset·(sw−1), h·sh + offset·(sh−1)); base_w = round(√(sw·sh/ar)),
/// base_h = round(base_w·ar); anchor w = size/sw·base_w, h = size/sh·base_h; box = centre ∓ 0.5·(side−1).
/// float arithmetic as the kernel's T = float, the half-extents in double as its 0.5 literal makes them.
/// </summary>
internal sealed class AnchorGeneratorKernel : Kernel
{
    private readonly int _input, _anchors, _variances;
    private readonly float[] _sizes, _ratios, _var;
    private readonly float _strideW, _strideH, _offset;

    private AnchorGeneratorKernel(int input, int anchors, int variances, float[] sizes, float[] ratios, float[] var, float sw, float sh, float offset)
    {
        _input = input; _anchors = anchors; _variances = variances;
        _sizes = sizes; _ratios = ratios; _var = var; _strideW = sw; _strideH = sh; _offset = offset;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        var sizes = a.Has("anchor_sizes") ? a.GetFloats("anchor_sizes") : [64f, 128f, 256f, 512f];
        var ratios = a.Has("aspect_ratios") ? a.GetFloats("aspect_ratios") : [0.5f, 1f, 2f];
        var stride = a.Has("stride") ? a.GetFloats("stride") : [16f, 16f];
        var var = a.Has("variances") ? a.GetFloats("variances") : [0.1f, 0.1f, 0.2f, 0.2f];
        if (sizes.Length == 0 || sizes.Any(s => !(s > 0))) throw b.Unsupported("anchor_sizes must be non-empty and positive");
        if (ratios.Length == 0 || ratios.Any(r => !(r > 0))) throw b.Unsupported("aspect_ratios must be non-empty and positive");
        if (stride.Length != 2 || !(stride[0] > 0) || !(stride[1] > 0)) throw b.Unsupported($"stride must be 2 positive values, got [{string.Join(", ", stride)}]");
        if (var.Length != 4) throw b.Unsupported($"variances must have 4 values, got {var.Length}");
        return new AnchorGeneratorKernel(b.RequiredInput("Input"), b.RequiredOutput("Anchors"), b.Output("Variances"),
            sizes, ratios, var, stride[0], stride[1], a.GetFloat("offset", 0.5f));
    }

    public int AnchorsPerCell => _sizes.Length * _ratios.Length;

    public override void Execute(RunContext ctx)
    {
        var s = ctx.Shape(_input);
        if (s.Length != 4) throw new ShapeMismatchException("anchor_generator Input", "[N, C, H, W]", RoisNum.Fmt(s), "anchor_generator");
        Span<int> shape = [s[2], s[3], AnchorsPerCell, 4];
        var anchors = ctx.Allocate<float>(_anchors, shape);
        Reference(anchors, s[2], s[3], _sizes, _ratios, _strideW, _strideH, _offset);
        if (_variances >= 0)
        {
            var v = ctx.Allocate<float>(_variances, shape);
            for (int i = 0; i < v.Length; i += 4) _var.CopyTo(v.Slice(i, 4));
        }
    }

    internal static void Reference(Span<float> o, int height, int width, float[] sizes, float[] ratios, float sw, float sh, float offset)
    {
        int k = 0;
        for (int h = 0; h < height; h++)
        {
            for (int w = 0; w < width; w++)
            {
                float xc = w * sw + offset * (sw - 1);
                float yc = h * sh + offset * (sh - 1);
                foreach (float ar in ratios)
                {
                    foreach (float size in sizes)
                    {
                        float area = sw * sh;
                        float areaRatio = area / ar;
                        float baseW = MathF.Round(MathF.Sqrt(areaRatio), MidpointRounding.AwayFromZero);
                        float baseH = MathF.Round(baseW * ar, MidpointRounding.AwayFromZero);
                        float aw = size / sw * baseW;
                        float ah = size / sh * baseH;
                        o[k++] = (float)(xc - 0.5 * (aw - 1));
                        o[k++] = (float)(yc - 0.5 * (ah - 1));
                        o[k++] = (float)(xc + 0.5 * (aw - 1));
                        o[k++] = (float)(yc + 0.5 * (ah - 1));
                    }
                }
            }
        }
    }
}

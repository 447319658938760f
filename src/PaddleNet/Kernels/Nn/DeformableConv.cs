using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>deformable_conv</c> (DCN v2; PIR <c>deformable_conv</c>) and <c>deformable_conv_v1</c> (no Mask), NCHW float32:
/// Input [N, C, H, W], Offset [N, 2·dg·kh·kw, Ho, Wo] ((Δh, Δw) pairs per tap), Mask [N, dg·kh·kw, Ho, Wo], Filter
/// [O, C/groups, kh, kw] → Output [N, O, Ho, Wo]. Tap (i, j) of output (oh, ow) samples input channel c (deformable group
/// c / (C/dg)) at (oh·sh − ph + i·dh + Δh, ow·sw − pw + j·dw + Δw) bilinearly, corners outside the image reading 0 and the
/// whole sample 0 unless −1 &lt; h &lt; H and −1 &lt; w &lt; W (Paddle's DmcnIm2colBilinear), times the mask; the columns
/// are then convolved with the filter per group. Attributes strides, paddings ([ph, pw]), dilations, groups,
/// deformable_groups (im2col_step only batches the work).
/// </summary>
internal sealed class DeformableConvKernel : Kernel
{
    private readonly int _x, _offset, _mask, _w, _y, _groups, _dg;
    private readonly int[] _strides, _pads, _dilations;

    private DeformableConvKernel(KernelBuilder b, bool v1)
    {
        _x = b.RequiredInput("Input");
        _offset = b.RequiredInput("Offset");
        _mask = v1 ? -1 : b.Input("Mask");
        _w = b.RequiredInput("Filter");
        _y = b.RequiredOutput("Output");
        _strides = ConvGeometry.ParsePair(b, "strides", 1);
        _dilations = ConvGeometry.ParsePair(b, "dilations", 1);
        var p = ConvGeometry.ParsePads(b);
        if (p[0] != p[1] || p[2] != p[3]) throw b.Unsupported("asymmetric paddings");
        _pads = [p[0], p[2]];
        _groups = b.Attrs.GetInt("groups", 1);
        _dg = b.Attrs.GetInt("deformable_groups", 1);
        if (_groups < 1 || _dg < 1 || _strides.Any(s => s < 1) || _dilations.Any(d => d < 1)) throw b.Unsupported("groups, deformable_groups, strides and dilations must be >= 1");
    }

    public static Kernel Create(KernelBuilder b) => new DeformableConvKernel(b, v1: false);

    public static Kernel CreateV1(KernelBuilder b) => new DeformableConvKernel(b, v1: true);

    public override void Execute(RunContext ctx)
    {
        const string op = "deformable_conv";
        var xs = ctx.Shape(_x);
        var ws = ctx.Shape(_w);
        if (xs.Length != 4 || ws.Length != 4) throw new ShapeMismatchException("deformable_conv Input/Filter", "4-D tensors", $"rank {xs.Length}/{ws.Length}", op);
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3], o = ws[0], cg = ws[1], kh = ws[2], kw = ws[3];
        if (c != cg * _groups || o % _groups != 0 || c % _dg != 0) throw new ShapeMismatchException("deformable_conv Filter", $"[O, {c}/groups, kh, kw] with C divisible by deformable_groups {_dg}", $"[{string.Join(", ", ws.ToArray())}]", op);
        int ho = (h + 2 * _pads[0] - (_dilations[0] * (kh - 1) + 1)) / _strides[0] + 1;
        int wo = (w + 2 * _pads[1] - (_dilations[1] * (kw - 1) + 1)) / _strides[1] + 1;
        if (ho <= 0 || wo <= 0) throw new ShapeMismatchException("deformable_conv output", "positive extents", $"{ho}x{wo}", op);
        int taps = kh * kw;
        var offShape = ctx.Shape(_offset);
        if (offShape.Length != 4 || offShape[0] != n || offShape[1] != 2 * _dg * taps || offShape[2] != ho || offShape[3] != wo) throw new ShapeMismatchException("deformable_conv Offset", $"[{n}, {2 * _dg * taps}, {ho}, {wo}]", $"[{string.Join(", ", offShape.ToArray())}]", op);
        if (_mask >= 0)
        {
            var ms = ctx.Shape(_mask);
            if (ms.Length != 4 || ms[0] != n || ms[1] != _dg * taps || ms[2] != ho || ms[3] != wo) throw new ShapeMismatchException("deformable_conv Mask", $"[{n}, {_dg * taps}, {ho}, {wo}]", $"[{string.Join(", ", ms.ToArray())}]", op);
        }
        var x = ctx.Read<float>(_x);
        var off = ctx.Read<float>(_offset);
        var mask = _mask >= 0 ? ctx.Read<float>(_mask) : default;
        var filter = ctx.Read<float>(_w);
        var y = ctx.Allocate<float>(_y, [n, o, ho, wo]);
        int l = ho * wo;
        long colLen = (long)c * taps * l;
        if (colLen > int.MaxValue) throw new ShapeMismatchException("deformable_conv columns", "at most 2^31 elements", colLen.ToString(System.Globalization.CultureInfo.InvariantCulture), op);
        using var frame = ctx.Scratch.Open();
        var col = frame.Take<float>((int)colLen); // every element written below before it is read
        int cpg = c / _dg, og = o / _groups;
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                int g = ch / cpg;
                var plane = x.Slice((b * c + ch) * h * w, h * w);
                for (int i = 0; i < kh; i++)
                {
                    for (int j = 0; j < kw; j++)
                    {
                        int tap = i * kw + j;
                        for (int oh = 0; oh < ho; oh++)
                        {
                            for (int ow = 0; ow < wo; ow++)
                            {
                                int pix = oh * wo + ow;
                                float dh = off[(b * 2 * _dg * taps + g * 2 * taps + 2 * tap) * l + pix];
                                float dw = off[(b * 2 * _dg * taps + g * 2 * taps + 2 * tap + 1) * l + pix];
                                float hIm = oh * _strides[0] - _pads[0] + i * _dilations[0] + dh;
                                float wIm = ow * _strides[1] - _pads[1] + j * _dilations[1] + dw;
                                float v = hIm > -1 && wIm > -1 && hIm < h && wIm < w ? Bilinear(plane, h, w, hIm, wIm) : 0f;
                                if (_mask >= 0) v *= mask[((b * _dg + g) * taps + tap) * ho * wo + pix];
                                col[(ch * taps + tap) * l + pix] = v;
                            }
                        }
                    }
                }
            }
            for (int oc = 0; oc < o; oc++)
            {
                int grp = oc / og;
                for (int pix = 0; pix < l; pix++)
                {
                    float acc = 0f;
                    for (int ic = 0; ic < cg; ic++)
                    {
                        int ch = grp * cg + ic;
                        for (int tap = 0; tap < taps; tap++) acc += filter[(oc * cg + ic) * taps + tap] * col[(ch * taps + tap) * l + pix];
                    }
                    y[(b * o + oc) * l + pix] = acc;
                }
            }
        }
    }

    private static float Bilinear(ReadOnlySpan<float> plane, int h, int w, float hIm, float wIm)
    {
        int hLow = (int)MathF.Floor(hIm), wLow = (int)MathF.Floor(wIm);
        int hHigh = hLow + 1, wHigh = wLow + 1;
        float lh = hIm - hLow, lw = wIm - wLow, hh = 1 - lh, hw = 1 - lw;
        float v1 = hLow >= 0 && wLow >= 0 ? plane[hLow * w + wLow] : 0f;
        float v2 = hLow >= 0 && wHigh <= w - 1 ? plane[hLow * w + wHigh] : 0f;
        float v3 = hHigh <= h - 1 && wLow >= 0 ? plane[hHigh * w + wLow] : 0f;
        float v4 = hHigh <= h - 1 && wHigh <= w - 1 ? plane[hHigh * w + wHigh] : 0f;
        return hh * hw * v1 + hh * lw * v2 + lh * hw * v3 + lh * lw * v4;
    }
}

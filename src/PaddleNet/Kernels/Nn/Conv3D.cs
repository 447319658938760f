using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>conv3d</c> (NCDHW, float32): Input [N, C, D, H, W], Filter [O, C/groups, kd, kh, kw] → Output [N, O, Do, Ho, Wo],
/// Do = (D + pads − (dd·(kd−1)+1))/sd + 1 per dim (see <see cref="Geometry3D"/> for paddings and padding_algorithm).
/// Attributes strides, paddings, dilations, groups. A plain direct convolution summed in float, in Paddle's order of
/// channels then kernel taps (no model needs it fast yet).
/// </summary>
internal sealed class Conv3DKernel : Kernel
{
    private readonly int _x, _w, _y, _groups;
    private readonly int[] _strides, _pads, _dilations;
    private readonly PadAlgorithm _alg;

    private Conv3DKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("Input");
        _w = b.RequiredInput("Filter");
        _y = b.RequiredOutput("Output");
        _strides = Geometry3D.Triple(b, "strides", 1);
        _dilations = Geometry3D.Triple(b, "dilations", 1);
        _pads = Geometry3D.Pads(b);
        _groups = b.Attrs.GetInt("groups", 1);
        _alg = ConvGeometry.ParseAlgorithm(b);
        Geometry3D.CheckNcdhw(b);
        if (_groups < 1 || _strides.Any(s => s < 1) || _dilations.Any(d => d < 1)) throw b.Unsupported("groups, strides and dilations must be >= 1");
    }

    public static Kernel Create(KernelBuilder b) => new Conv3DKernel(b);

    public override void Execute(RunContext ctx)
    {
        const string op = "conv3d";
        var xs = ctx.Shape(_x);
        var ws = ctx.Shape(_w);
        if (xs.Length != 5 || ws.Length != 5) throw new ShapeMismatchException("conv3d Input/Filter", "5-D tensors", $"rank {xs.Length}/{ws.Length}", op);
        int n = xs[0], c = xs[1], o = ws[0], cg = ws[1];
        if (c != cg * _groups || o % _groups != 0) throw new ShapeMismatchException("conv3d Filter", $"[O (multiple of {_groups}), {c / Math.Max(_groups, 1)}, kd, kh, kw]", $"[{string.Join(", ", ws.ToArray())}]", op);
        Span<int> input = [xs[2], xs[3], xs[4]];
        Span<int> k = [ws[2], ws[3], ws[4]];
        Span<int> pads = stackalloc int[6];
        _pads.CopyTo(pads);
        Span<int> dil = stackalloc int[3];
        _dilations.CopyTo(dil);
        Geometry3D.Resolve(_alg, input, k, _strides, pads, dil);
        Span<int> outS = stackalloc int[3];
        for (int d = 0; d < 3; d++)
        {
            outS[d] = (input[d] + pads[2 * d] + pads[2 * d + 1] - (dil[d] * (k[d] - 1) + 1)) / _strides[d] + 1;
            if (outS[d] <= 0) throw new ShapeMismatchException("conv3d output", "positive extents", $"[{outS[0]}, {outS[1]}, {outS[2]}]", op);
        }
        var x = ctx.Read<float>(_x);
        var w = ctx.Read<float>(_w);
        var y = ctx.Allocate<float>(_y, [n, o, outS[0], outS[1], outS[2]]);
        int og = o / _groups;
        int inVol = input[0] * input[1] * input[2], outVol = outS[0] * outS[1] * outS[2], kVol = k[0] * k[1] * k[2];
        for (int b = 0; b < n; b++)
        {
            for (int oc = 0; oc < o; oc++)
            {
                int g = oc / og;
                for (int od = 0; od < outS[0]; od++)
                {
                    for (int oh = 0; oh < outS[1]; oh++)
                    {
                        for (int ow = 0; ow < outS[2]; ow++)
                        {
                            float acc = 0f;
                            for (int ic = 0; ic < cg; ic++)
                            {
                                int xc = (b * c + g * cg + ic) * inVol;
                                int wc = (oc * cg + ic) * kVol;
                                for (int a = 0; a < k[0]; a++)
                                {
                                    int id = od * _strides[0] - pads[0] + a * dil[0];
                                    if (id < 0 || id >= input[0]) continue;
                                    for (int i = 0; i < k[1]; i++)
                                    {
                                        int ih = oh * _strides[1] - pads[2] + i * dil[1];
                                        if (ih < 0 || ih >= input[1]) continue;
                                        for (int j = 0; j < k[2]; j++)
                                        {
                                            int iw = ow * _strides[2] - pads[4] + j * dil[2];
                                            if (iw < 0 || iw >= input[2]) continue;
                                            acc += x[xc + (id * input[1] + ih) * input[2] + iw] * w[wc + (a * k[1] + i) * k[2] + j];
                                        }
                                    }
                                }
                            }
                            y[(b * o + oc) * outVol + (od * outS[1] + oh) * outS[2] + ow] = acc;
                        }
                    }
                }
            }
        }
    }
}

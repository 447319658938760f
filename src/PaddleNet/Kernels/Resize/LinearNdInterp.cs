using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Resize;

/// <summary>
/// Paddle <c>linear_interp_v2</c> (X [N, C, W]) and <c>trilinear_interp_v2</c> (X [N, C, D, H, W]), channel-first float32:
/// separable linear resize with the same rules as <see cref="InterpKernelBase"/> per spatial dim — output size priority
/// SizeTensor &gt; OutSize &gt; Scale tensor &gt; <c>scale</c> attribute &gt; out_d/out_h/out_w, out = (int)(in·scale); ratio
/// (in−1)/(out−1) with align_corners, else 1/scale when a scale was given, else in/out; align_mode 0 without
/// align_corners is half-pixel with the source clamped at 0. Each dim's low/high taps and weights come from
/// <see cref="InterpKernelBase.BuildTables"/>, so the 1-D rule is exactly bilinear's.
/// </summary>
internal sealed class LinearNdInterpKernel : Kernel
{
    private readonly int _x, _outSize, _scaleTensor, _out, _dims;
    private readonly int[] _sizeTensors;
    private readonly int[] _outAttr;
    private readonly float[] _scaleAttr;
    private readonly bool _alignCorners;
    private readonly int _alignMode;
    private readonly string _op;

    private LinearNdInterpKernel(KernelBuilder b, int dims)
    {
        _op = b.Op.Type;
        _dims = dims;
        _x = b.RequiredInput("X");
        _outSize = b.Input("OutSize");
        _scaleTensor = b.Input("Scale");
        _sizeTensors = b.InputList("SizeTensor").Where(id => id >= 0).ToArray();
        _out = b.RequiredOutput("Out");
        var layout = b.Attrs.GetString("data_layout", dims == 1 ? "NCW" : "NCDHW");
        if (layout is not ("NCHW" or "NCW" or "NCDHW" or "AnyLayout")) throw b.Unsupported($"data_layout '{layout}' (channel-first only)");
        _outAttr = dims == 1 ? [b.Attrs.GetInt("out_w", 0)] : [b.Attrs.GetInt("out_d", 0), b.Attrs.GetInt("out_h", 0), b.Attrs.GetInt("out_w", 0)];
        var scale = b.Attrs.Has("scale") ? b.Attrs.GetFloats("scale") : [];
        _scaleAttr = scale.Length >= dims && scale.Take(dims).All(s => s > 0) ? scale[..dims] : [];
        _alignCorners = b.Attrs.GetBool("align_corners", true);
        _alignMode = b.Attrs.GetInt("align_mode", 1);
    }

    public static Kernel CreateLinear(KernelBuilder b) => new LinearNdInterpKernel(b, 1);

    public static Kernel CreateTrilinear(KernelBuilder b) => new LinearNdInterpKernel(b, 3);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        if (xs.Length != _dims + 2) throw new ShapeMismatchException($"{_op} X", $"rank {_dims + 2}", $"rank {xs.Length}", _op);
        if (ctx.Type(_x) != DataType.Float32) throw new ShapeMismatchException($"{_op} X", "float32", ctx.Type(_x).Name(), _op);
        Span<int> inS = stackalloc int[3];
        Span<int> outS = stackalloc int[3];
        Span<float> scale = stackalloc float[3];
        scale.Fill(-1f);
        for (int d = 0; d < _dims; d++)
        {
            inS[d] = xs[2 + d];
            outS[d] = _outAttr[d];
        }
        if (_sizeTensors.Length > 0)
        {
            if (_sizeTensors.Length < _dims) throw new ShapeMismatchException($"{_op} SizeTensor", $"{_dims} tensors", _sizeTensors.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), _op);
            for (int d = 0; d < _dims; d++) outS[d] = (int)ctx.ReadInt64(_sizeTensors[d], 0);
        }
        else
        {
            if (_scaleTensor >= 0)
            {
                long cnt = ctx.ElementCount(_scaleTensor);
                for (int d = 0; d < _dims; d++) scale[d] = (float)ctx.ReadDouble(_scaleTensor, cnt >= _dims ? d : 0);
            }
            else if (_scaleAttr.Length > 0)
            {
                _scaleAttr.CopyTo(scale);
            }
            if (scale[0] > 0)
            {
                for (int d = 0; d < _dims; d++)
                {
                    if (!(scale[d] > 0)) throw new ShapeMismatchException($"{_op} scale", "positive scales", scale[d].ToString(System.Globalization.CultureInfo.InvariantCulture), _op);
                    outS[d] = (int)(inS[d] * scale[d]);
                }
            }
            if (_outSize >= 0)
            {
                for (int d = 0; d < _dims; d++) outS[d] = (int)ctx.ReadInt64(_outSize, d);
            }
        }
        for (int d = 0; d < _dims; d++)
        {
            if (outS[d] <= 0) throw new ShapeMismatchException($"{_op} output size", "positive sizes", outS[d].ToString(System.Globalization.CultureInfo.InvariantCulture), _op);
        }
        // Pad to 3 spatial dims (leading size-1 dims interpolate trivially).
        int pad = 3 - _dims;
        Span<int> ii = stackalloc int[3];
        Span<int> oo = stackalloc int[3];
        Span<float> ss = stackalloc float[3];
        for (int d = 0; d < 3; d++)
        {
            ii[d] = d < pad ? 1 : inS[d - pad];
            oo[d] = d < pad ? 1 : outS[d - pad];
            ss[d] = d < pad ? -1f : scale[d - pad];
        }
        Span<int> os = stackalloc int[_dims + 2];
        os[0] = xs[0];
        os[1] = xs[1];
        for (int d = 0; d < _dims; d++) os[2 + d] = outS[d];
        bool same = true;
        for (int d = 0; d < 3; d++) same &= ii[d] == oo[d];
        if (same)
        {
            ctx.CopyValue(_x, _out, os);
            return;
        }
        var idxD = new int[4 * oo[0]];
        var wD = new float[4 * oo[0]];
        var idxH = new int[4 * oo[1]];
        var wH = new float[4 * oo[1]];
        var idxW = new int[4 * oo[2]];
        var wW = new float[4 * oo[2]];
        InterpKernelBase.BuildTables(InterpMethod.Bilinear, _alignCorners, _alignMode, ii[0], oo[0], Ratio(ii[0], oo[0], ss[0]), idxD, wD);
        InterpKernelBase.BuildTables(InterpMethod.Bilinear, _alignCorners, _alignMode, ii[1], oo[1], Ratio(ii[1], oo[1], ss[1]), idxH, wH);
        InterpKernelBase.BuildTables(InterpMethod.Bilinear, _alignCorners, _alignMode, ii[2], oo[2], Ratio(ii[2], oo[2], ss[2]), idxW, wW);
        var x = ctx.Read<float>(_x);
        var y = ctx.Allocate<float>(_out, os);
        int planes = xs[0] * xs[1];
        int inPlane = ii[0] * ii[1] * ii[2], outPlane = oo[0] * oo[1] * oo[2];
        for (int p = 0; p < planes; p++)
        {
            var xp = x.Slice(p * inPlane, inPlane);
            for (int a = 0; a < oo[0]; a++)
            {
                for (int b = 0; b < oo[1]; b++)
                {
                    for (int c = 0; c < oo[2]; c++)
                    {
                        float acc = 0f;
                        for (int da = 0; da < 2; da++)
                        {
                            for (int db = 0; db < 2; db++)
                            {
                                for (int dc = 0; dc < 2; dc++)
                                {
                                    float w = wD[4 * a + da] * wH[4 * b + db] * wW[4 * c + dc];
                                    acc += w * xp[(idxD[4 * a + da] * ii[1] + idxH[4 * b + db]) * ii[2] + idxW[4 * c + dc]];
                                }
                            }
                        }
                        y[p * outPlane + (a * oo[1] + b) * oo[2] + c] = acc;
                    }
                }
            }
        }
    }

    private float Ratio(int inSize, int outSize, float scale)
    {
        if (outSize <= 1) return 0f;
        if (_alignCorners) return (float)(inSize - 1) / (outSize - 1);
        return scale > 0 ? (float)(1.0 / scale) : (float)inSize / outSize;
    }
}

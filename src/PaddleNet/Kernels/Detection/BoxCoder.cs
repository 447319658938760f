using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Detection;

/// <summary>
/// Paddle <c>box_coder</c>, float32. PriorBox [M,4], optional PriorBoxVar [M,4], TargetBox → OutputBox.
/// Attributes: code_type ("encode_center_size" | "decode_center_size"), box_normalized=true,
/// axis=0, variance=[] (4 floats, used when PriorBoxVar is absent; none ⇒ 1s).
/// Prior w = x2−x1 (+1 when !normalized), h likewise, centre = x1 + w/2.
/// Encode (TargetBox [N,4] → [N,M,4]): ((tcx−pcx)/pw, (tcy−pcy)/ph, log|tw/pw|, log|th/ph|) / var.
/// Decode (TargetBox [N,M,4] → [N,M,4]; prior index j for axis 0, i for axis 1):
/// cx = v0·t0·pw + pcx, cy = v1·t1·ph + pcy, w = exp(v2·t2)·pw, h = exp(v3·t3)·ph,
/// out = [cx−w/2, cy−h/2, cx+w/2 (−1 if !normalized), cy+h/2 (−1 if !normalized)].
/// Float arithmetic follows phi's CPU kernel operation for operation.
/// </summary>
internal sealed class BoxCoderKernel : Kernel
{
    private readonly int _prior, _priorVar, _target, _out;
    private readonly bool _decode, _normalized;
    private readonly int _axis;
    private readonly float[] _variance;

    private BoxCoderKernel(int prior, int priorVar, int target, int output, bool decode, bool normalized, int axis, float[] variance)
    {
        _prior = prior; _priorVar = priorVar; _target = target; _out = output;
        _decode = decode; _normalized = normalized; _axis = axis; _variance = variance;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        string code = a.GetString("code_type", "encode_center_size");
        bool decode = code switch
        {
            "decode_center_size" => true,
            "encode_center_size" => false,
            _ => throw b.Unsupported($"code_type '{code}'"),
        };
        int axis = a.GetInt("axis", 0);
        if (axis is not (0 or 1)) throw b.Unsupported($"axis {axis}");
        var variance = a.GetFloats("variance");
        if (variance.Length is not (0 or 4)) throw b.Unsupported($"variance must have 0 or 4 values, got {variance.Length}");
        int pv = b.Input("PriorBoxVar");
        if (pv >= 0 && variance.Length != 0) throw b.Unsupported("both PriorBoxVar and the variance attribute are given");
        return new BoxCoderKernel(b.RequiredInput("PriorBox"), pv, b.RequiredInput("TargetBox"), b.RequiredOutput("OutputBox"),
            decode, a.GetBool("box_normalized", true), axis, variance);
    }

    public override void Execute(RunContext ctx)
    {
        var ps = ctx.Shape(_prior);
        var ts = ctx.Shape(_target);
        if (ps.Length != 2 || ps[1] != 4) throw new ShapeMismatchException("box_coder PriorBox", "[M, 4]", Fmt(ps), "box_coder");
        var prior = ctx.Read<float>(_prior);
        ReadOnlySpan<float> pvar = default;
        if (_priorVar >= 0)
        {
            if (!ctx.Shape(_priorVar).SequenceEqual(ps)) throw new ShapeMismatchException("box_coder PriorBoxVar", Fmt(ps), Fmt(ctx.Shape(_priorVar)), "box_coder");
            pvar = ctx.Read<float>(_priorVar);
        }
        var target = ctx.Read<float>(_target);
        int m = ps[0];
        if (_decode)
        {
            if (ts.Length != 3 || ts[2] != 4) throw new ShapeMismatchException("box_coder TargetBox", "[N, M, 4]", Fmt(ts), "box_coder");
            int priorCount = _axis == 0 ? ts[1] : ts[0];
            if (priorCount != m) throw new ShapeMismatchException("box_coder TargetBox", $"{m} priors along axis {_axis}", Fmt(ts), "box_coder");
            Span<int> shape = [ts[0], ts[1], 4];
            var y = ctx.Allocate<float>(_out, shape);
            Decode(prior, pvar, _variance, target, y, ts[0], ts[1], _axis, _normalized);
        }
        else
        {
            if (ts.Length != 2 || ts[1] != 4) throw new ShapeMismatchException("box_coder TargetBox", "[N, 4]", Fmt(ts), "box_coder");
            Span<int> shape = [ts[0], m, 4];
            var y = ctx.Allocate<float>(_out, shape);
            Encode(prior, pvar, _variance, target, y, ts[0], m, _normalized);
        }
    }

    private static string Fmt(ReadOnlySpan<int> s) => "[" + string.Join(", ", s.ToArray()) + "]";

    /// <summary>Scalar reference encode: target [row,4], prior [col,4] → out [row,col,4].</summary>
    internal static void Encode(ReadOnlySpan<float> prior, ReadOnlySpan<float> pvar, float[] variance, ReadOnlySpan<float> target, Span<float> output, int row, int col, bool normalized)
    {
        float plus = normalized ? 0f : 1f;
        for (int i = 0; i < row; i++)
        {
            for (int j = 0; j < col; j++)
            {
                int o = (i * col + j) * 4;
                float pw = prior[j * 4 + 2] - prior[j * 4] + plus;
                float ph = prior[j * 4 + 3] - prior[j * 4 + 1] + plus;
                float pcx = prior[j * 4] + pw / 2;
                float pcy = prior[j * 4 + 1] + ph / 2;
                float tcx = (target[i * 4 + 2] + target[i * 4]) / 2;
                float tcy = (target[i * 4 + 3] + target[i * 4 + 1]) / 2;
                float tw = target[i * 4 + 2] - target[i * 4] + plus;
                float th = target[i * 4 + 3] - target[i * 4 + 1] + plus;
                output[o] = (tcx - pcx) / pw;
                output[o + 1] = (tcy - pcy) / ph;
                output[o + 2] = MathF.Log(MathF.Abs(tw / pw));
                output[o + 3] = MathF.Log(MathF.Abs(th / ph));
                if (!pvar.IsEmpty)
                {
                    for (int k = 0; k < 4; k++) output[o + k] /= pvar[j * 4 + k];
                }
                else if (variance.Length == 4)
                {
                    for (int k = 0; k < 4; k++) output[o + k] /= variance[k];
                }
            }
        }
    }

    /// <summary>Scalar reference decode: target [row,col,4] → out [row,col,4].</summary>
    internal static void Decode(ReadOnlySpan<float> prior, ReadOnlySpan<float> pvar, float[] variance, ReadOnlySpan<float> target, Span<float> output, int row, int col, int axis, bool normalized)
    {
        float plus = normalized ? 0f : 1f;
        for (int i = 0; i < row; i++)
        {
            for (int j = 0; j < col; j++)
            {
                int o = (i * col + j) * 4;
                int p = (axis == 0 ? j : i) * 4;
                float pw = prior[p + 2] - prior[p] + plus;
                float ph = prior[p + 3] - prior[p + 1] + plus;
                float pcx = prior[p] + pw / 2;
                float pcy = prior[p + 1] + ph / 2;
                float vx = 1f, vy = 1f, vw = 1f, vh = 1f;
                if (!pvar.IsEmpty)
                {
                    vx = pvar[p]; vy = pvar[p + 1]; vw = pvar[p + 2]; vh = pvar[p + 3];
                }
                else if (variance.Length == 4)
                {
                    vx = variance[0]; vy = variance[1]; vw = variance[2]; vh = variance[3];
                }
                float cx = vx * target[o] * pw + pcx;
                float cy = vy * target[o + 1] * ph + pcy;
                float w = MathF.Exp(vw * target[o + 2]) * pw;
                float h = MathF.Exp(vh * target[o + 3]) * ph;
                output[o] = cx - w / 2;
                output[o + 1] = cy - h / 2;
                output[o + 2] = cx + w / 2 - plus;
                output[o + 3] = cy + h / 2 - plus;
            }
        }
    }
}

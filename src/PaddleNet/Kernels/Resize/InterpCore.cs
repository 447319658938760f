using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Resize;

/// <summary>Interpolation method of an <c>*_interp_v2</c> op.</summary>
internal enum InterpMethod
{
    Nearest,
    Bilinear,
    Bicubic,
}

/// <summary>
/// Shared engine of Paddle's 2-D <c>nearest_interp_v2</c>, <c>bilinear_interp_v2</c>, <c>bicubic_interp_v2</c> (CPU kernel
/// semantics, formats.md §5.8). Inputs X (4-D), OutSize (int [2]), SizeTensor (list of 1-element ints), Scale (float [1|2]).
/// Attributes data_layout ("NCHW" | "NHWC"), out_h/out_w, scale (floats; used only with ≥ 2 entries), align_corners (true),
/// align_mode (1). Output size priority: SizeTensor &gt; OutSize &gt; Scale tensor &gt; scale attr &gt; out_h/out_w, with
/// out = (int)(in·scale). Same size ⇒ copy. Ratio (only when out &gt; 1): align_corners ⇒ (in−1)/(out−1), else 1/scale when
/// a scale was given, else in/out. float32.
/// </summary>
internal abstract class InterpKernelBase : Kernel
{
    private readonly int _x, _outSize, _scaleTensor, _out;
    private readonly int[] _sizeTensors;
    private readonly int _outH, _outW;
    private readonly float _scaleH, _scaleW;
    private readonly bool _nhwc;
    private readonly bool _alignCorners;
    private readonly int _alignMode;
    private readonly InterpMethod _method;
    private readonly bool _v1;

    /// <param name="b">The op being compiled.</param>
    /// <param name="method">Nearest, linear, bilinear, trilinear or bicubic.</param>
    /// <param name="v1">Legacy <c>nearest_interp</c>/<c>bilinear_interp</c>: scale is one float attribute (Scale tensor: its
    /// first element), and the ratio is always in/out (or (in−1)/(out−1) with align_corners), never 1/scale.</param>
    protected InterpKernelBase(KernelBuilder b, InterpMethod method, bool v1 = false)
    {
        _method = method;
        _v1 = v1;
        _x = b.RequiredInput("X");
        _outSize = b.Input("OutSize");
        _scaleTensor = b.Input("Scale");
        _sizeTensors = b.InputList("SizeTensor").Where(id => id >= 0).ToArray();
        _out = b.RequiredOutput("Out");
        var layout = b.Attrs.GetString("data_layout", "NCHW");
        _nhwc = layout is "NHWC";
        if (!_nhwc && layout is not ("NCHW" or "AnyLayout")) throw b.Unsupported($"data_layout '{layout}'");
        _outH = b.Attrs.GetInt("out_h", 0);
        _outW = b.Attrs.GetInt("out_w", 0);
        var scale = !b.Attrs.Has("scale") ? [] : v1 ? [b.Attrs.GetFloat("scale", 0f), b.Attrs.GetFloat("scale", 0f)] : b.Attrs.GetFloats("scale");
        _scaleH = _scaleW = -1f;
        if (v1 && scale.Length > 0 && scale[0] <= 0) scale = [];
        if (scale.Length > 1)
        {
            _scaleH = scale[0];
            _scaleW = scale[1];
            if (!(_scaleH > 0 && _scaleW > 0)) throw b.Unsupported($"scale [{_scaleH}, {_scaleW}] must be > 0");
        }
        _alignCorners = b.Attrs.GetBool("align_corners", true);
        _alignMode = b.Attrs.GetInt("align_mode", 1);
    }

    public override unsafe void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        if (xs.Length != 4) throw new ShapeMismatchException($"{_method} interp X", "rank 4", $"rank {xs.Length}");
        int n = xs[0];
        int c = _nhwc ? xs[3] : xs[1];
        int inH = _nhwc ? xs[1] : xs[2];
        int inW = _nhwc ? xs[2] : xs[3];
        int outH = _outH, outW = _outW;
        float scaleH = -1f, scaleW = -1f;
        if (_sizeTensors.Length > 0)
        {
            if (_sizeTensors.Length < 2) throw new ShapeMismatchException("interp SizeTensor", "2 tensors", _sizeTensors.Length.ToString());
            outH = (int)ctx.ReadInt64(_sizeTensors[0], 0);
            outW = (int)ctx.ReadInt64(_sizeTensors[1], 0);
        }
        else
        {
            if (_scaleTensor >= 0)
            {
                long cnt = ctx.ElementCount(_scaleTensor);
                scaleH = (float)ctx.ReadDouble(_scaleTensor, 0);
                scaleW = cnt > 1 && !_v1 ? (float)ctx.ReadDouble(_scaleTensor, 1) : scaleH;
                if (!(scaleH > 0 && scaleW > 0)) throw new ShapeMismatchException("interp Scale", "positive scales", $"[{scaleH}, {scaleW}]");
            }
            else
            {
                scaleH = _scaleH;
                scaleW = _scaleW;
            }
            if (scaleH > 0 && scaleW > 0)
            {
                outH = (int)(inH * scaleH);
                outW = (int)(inW * scaleW);
            }
            if (_outSize >= 0)
            {
                outH = (int)ctx.ReadInt64(_outSize, 0);
                outW = (int)ctx.ReadInt64(_outSize, 1);
            }
        }
        if (outH <= 0 || outW <= 0) throw new ShapeMismatchException("interp output size", "positive out_h/out_w", $"[{outH}, {outW}]");
        Span<int> os = stackalloc int[4];
        if (_nhwc) { os[0] = n; os[1] = outH; os[2] = outW; os[3] = c; }
        else { os[0] = n; os[1] = c; os[2] = outH; os[3] = outW; }
        if (inH == outH && inW == outW)
        {
            ctx.CopyValue(_x, _out, os);
            return;
        }
        float ratioH = Ratio(inH, outH, scaleH), ratioW = Ratio(inW, outW, scaleW);
        var y = ctx.Allocate<float>(_out, os);
        var x = ctx.Read<float>(_x);
        // index/weight tables: 4 ints + 4 floats per output row and per output column
        int tableLen = 4 * (outH + outW);
        using var frame = ctx.Scratch.Open();
        Span<int> ti = tableLen <= 2048 ? stackalloc int[tableLen] : frame.Take<int>(tableLen);
        Span<float> tf = tableLen <= 2048 ? stackalloc float[tableLen] : frame.Take<float>(tableLen);
        {
            BuildTables(_method, _alignCorners, _alignMode, inH, outH, ratioH, ti[..(4 * outH)], tf[..(4 * outH)]);
            BuildTables(_method, _alignCorners, _alignMode, inW, outW, ratioW, ti[(4 * outH)..], tf[(4 * outH)..]);
            fixed (float* px = x, py = y, pf = tf)
            fixed (int* pi = ti)
            {
                var body = new InterpBody
                {
                    X = px, Y = py, Method = _method, C = c, InH = inH, InW = inW, OutH = outH, OutW = outW, Nhwc = _nhwc,
                    IH = pi, FH = pf, IW = pi + 4 * outH, FW = pf + 4 * outH,
                };
                if (_nhwc) body.Run(0, n * c);
                else ctx.Pool.For(n * c, body, minChunk: Math.Max(1, 8192 / Math.Max(1, outH * outW)));
            }
        }
    }

    private float Ratio(int inSize, int outSize, float scale)
    {
        if (outSize <= 1) return 0f;
        if (_alignCorners) return (float)(inSize - 1) / (outSize - 1);
        return scale > 0 && !_v1 ? (float)(1.0 / scale) : (float)inSize / outSize;
    }

    /// <summary>
    /// Per output coordinate k: nearest ⇒ idx[4k] = source; bilinear ⇒ idx[4k], idx[4k+1] = low/high source, w[4k], w[4k+1] =
    /// their weights; bicubic ⇒ idx[4k..4k+3] = clamped taps, w[4k..4k+3] = cubic coefficients (A = −0.75).
    /// </summary>
    internal static void BuildTables(InterpMethod method, bool alignCorners, int alignMode, int inSize, int outSize, float ratio, Span<int> idx, Span<float> w)
    {
        bool alignFlag = alignMode == 0 && !alignCorners;
        for (int k = 0; k < outSize; k++)
        {
            switch (method)
            {
                case InterpMethod.Nearest:
                    {
                        int s = alignCorners ? (int)(ratio * k + 0.5) : (int)(ratio * k);
                        idx[4 * k] = Math.Clamp(s, 0, inSize - 1);
                        break;
                    }
                case InterpMethod.Bilinear:
                    {
                        int lo = alignFlag ? (int)(ratio * (k + 0.5) - 0.5) : (int)(ratio * k);
                        lo = lo > 0 ? lo : 0;
                        int hi = (lo + 1) < (inSize - 1) ? (lo + 1) : (inSize - 1);
                        float src = (float)(ratio * (k + 0.5) - 0.5);
                        src = src > 0 ? src : 0;
                        float dn = alignFlag ? src - lo : ratio * k - lo;
                        idx[4 * k] = Math.Min(lo, inSize - 1);
                        idx[4 * k + 1] = hi;
                        w[4 * k] = 1f - dn; // weight of lo
                        w[4 * k + 1] = dn;  // weight of hi
                        break;
                    }
                default:
                    {
                        float sn = alignCorners ? ratio * k : (float)(ratio * (k + 0.5) - 0.5);
                        int i0 = (int)MathF.Floor(sn);
                        float t = sn - i0;
                        for (int j = 0; j < 4; j++) idx[4 * k + j] = Math.Max(Math.Min(i0 - 1 + j, inSize - 1), 0);
                        const float A = -0.75f;
                        float x1 = t;
                        w[4 * k] = Conv2(x1 + 1.0f, A);
                        w[4 * k + 1] = Conv1(x1, A);
                        float x2 = 1.0f - t;
                        w[4 * k + 2] = Conv1(x2, A);
                        w[4 * k + 3] = Conv2(x2 + 1.0f, A);
                        break;
                    }
            }
        }
    }

    /// <summary>
    /// Plain scalar reference for NCHW, straight from the per-pixel formulas (no tables, no threads); ratios as computed by the
    /// kernel (see <see cref="InterpKernelBase"/>).
    /// </summary>
    internal static void Reference(InterpMethod method, bool alignCorners, int alignMode, ReadOnlySpan<float> x, int planes, int inH, int inW, int outH, int outW, float ratioH, float ratioW, Span<float> y)
    {
        bool alignFlag = alignMode == 0 && !alignCorners;
        Span<float> rowv = stackalloc float[4];
        for (int p = 0; p < planes; p++)
        {
            var xp = x.Slice(p * inH * inW, inH * inW);
            for (int k = 0; k < outH; k++)
            {
                for (int l = 0; l < outW; l++)
                {
                    float v;
                    if (method == InterpMethod.Nearest)
                    {
                        int sh = alignCorners ? (int)(ratioH * k + 0.5) : (int)(ratioH * k);
                        int sw = alignCorners ? (int)(ratioW * l + 0.5) : (int)(ratioW * l);
                        v = xp[Math.Min(sh, inH - 1) * inW + Math.Min(sw, inW - 1)];
                    }
                    else if (method == InterpMethod.Bilinear)
                    {
                        (int yn, int ys, float dn) = Linear(alignFlag, ratioH, k, inH);
                        (int xw, int xe, float dw) = Linear(alignFlag, ratioW, l, inW);
                        float ds = 1f - dn, de = 1f - dw;
                        v = xp[yn * inW + xw] * ds * de + xp[ys * inW + xw] * dn * de + xp[yn * inW + xe] * ds * dw + xp[ys * inW + xe] * dn * dw;
                    }
                    else
                    {
                        float syf = alignCorners ? ratioH * k : (float)(ratioH * (k + 0.5) - 0.5);
                        float sxf = alignCorners ? ratioW * l : (float)(ratioW * (l + 0.5) - 0.5);
                        int iy = (int)MathF.Floor(syf), ix = (int)MathF.Floor(sxf);
                        float ty = syf - iy, tx = sxf - ix;
                        for (int ii = 0; ii < 4; ii++)
                        {
                            int ay = Math.Max(Math.Min(iy - 1 + ii, inH - 1), 0);
                            float a0 = xp[ay * inW + Math.Max(Math.Min(ix - 1, inW - 1), 0)];
                            float a1 = xp[ay * inW + Math.Max(Math.Min(ix, inW - 1), 0)];
                            float a2 = xp[ay * inW + Math.Max(Math.Min(ix + 1, inW - 1), 0)];
                            float a3 = xp[ay * inW + Math.Max(Math.Min(ix + 2, inW - 1), 0)];
                            rowv[ii] = Cubic(a0, a1, a2, a3, tx);
                        }
                        v = Cubic(rowv[0], rowv[1], rowv[2], rowv[3], ty);
                    }
                    y[(p * outH + k) * outW + l] = v;
                }
            }
        }
    }

    private static (int Lo, int Hi, float Frac) Linear(bool alignFlag, float ratio, int k, int inSize)
    {
        int lo = alignFlag ? (int)(ratio * (k + 0.5) - 0.5) : (int)(ratio * k);
        lo = Math.Max(lo, 0);
        int hi = Math.Min(lo + 1, inSize - 1);
        float src = Math.Max((float)(ratio * (k + 0.5) - 0.5), 0f);
        float d = alignFlag ? src - lo : ratio * k - lo;
        return (Math.Min(lo, inSize - 1), hi, d);
    }

    private static float Cubic(float x0, float x1, float x2, float x3, float t)
    {
        const float A = -0.75f;
        return x0 * Conv2(t + 1.0f, A) + x1 * Conv1(t, A) + x2 * Conv1(1.0f - t, A) + x3 * Conv2(1.0f - t + 1.0f, A);
    }

    private static float Conv1(float x, float a) => ((a + 2) * x - (a + 3)) * x * x + 1;

    private static float Conv2(float x, float a) => ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;

    /// <summary>Computes planes [start, end) of N·C (NCHW), or everything when NHWC (called with the full range).</summary>
    internal unsafe struct InterpBody : IParallelBody
    {
        public float* X, Y, FH, FW;
        public int* IH, IW;
        public InterpMethod Method;
        public int C, InH, InW, OutH, OutW;
        public bool Nhwc;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            for (int p = start; p < end; p++)
            {
                int nIdx = p / C, ch = p % C;
                long inPlane = (long)InH * InW, outPlane = (long)OutH * OutW;
                // element strides of (h, w) and the plane base for (n, c)
                long xs = Nhwc ? C : 1, ys = Nhwc ? C : 1;
                float* xb = Nhwc ? X + nIdx * inPlane * C + ch : X + p * inPlane;
                float* yb = Nhwc ? Y + nIdx * outPlane * C + ch : Y + p * outPlane;
                for (int k = 0; k < OutH; k++)
                {
                    float* yr = yb + (long)k * OutW * ys;
                    switch (Method)
                    {
                        case InterpMethod.Nearest:
                            {
                                float* xr = xb + (long)IH[4 * k] * InW * xs;
                                // Upsampling repeats source rows: a row equal to the previous one is a copy of it.
                                if (!Nhwc && k > 0 && IH[4 * k] == IH[4 * (k - 1)]) new ReadOnlySpan<float>(yr - OutW, OutW).CopyTo(new Span<float>(yr, OutW));
                                else if (!Nhwc) for (int l = 0; l < OutW; l++) yr[l] = xr[IW[4 * l]];
                                else for (int l = 0; l < OutW; l++) yr[l * ys] = xr[IW[4 * l] * xs];
                                break;
                            }
                        case InterpMethod.Bilinear:
                            {
                                float* r0 = xb + (long)IH[4 * k] * InW * xs;
                                float* r1 = xb + (long)IH[4 * k + 1] * InW * xs;
                                float ds = FH[4 * k], dn = FH[4 * k + 1];
                                for (int l = 0; l < OutW; l++)
                                {
                                    long xw = IW[4 * l] * xs, xe = IW[4 * l + 1] * xs;
                                    float de = FW[4 * l], dw = FW[4 * l + 1];
                                    yr[l * ys] = r0[xw] * ds * de + r1[xw] * dn * de + r0[xe] * ds * dw + r1[xe] * dn * dw;
                                }
                                break;
                            }
                        default:
                            {
                                for (int l = 0; l < OutW; l++)
                                {
                                    float acc = 0f;
                                    float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
                                    for (int ii = 0; ii < 4; ii++)
                                    {
                                        float* xr = xb + (long)IH[4 * k + ii] * InW * xs;
                                        float v = xr[IW[4 * l] * xs] * FW[4 * l] + xr[IW[4 * l + 1] * xs] * FW[4 * l + 1]
                                            + xr[IW[4 * l + 2] * xs] * FW[4 * l + 2] + xr[IW[4 * l + 3] * xs] * FW[4 * l + 3];
                                        if (ii == 0) c0 = v; else if (ii == 1) c1 = v; else if (ii == 2) c2 = v; else c3 = v;
                                    }
                                    acc = c0 * FH[4 * k] + c1 * FH[4 * k + 1] + c2 * FH[4 * k + 2] + c3 * FH[4 * k + 3];
                                    yr[l * ys] = acc;
                                }
                                break;
                            }
                    }
                }
            }
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>Padding algorithm of conv/pool ops (attribute padding_algorithm).</summary>
internal enum PadAlgorithm
{
    Explicit,
    Same,
    Valid,
}

/// <summary>
/// Resolved 2-D window geometry of one conv/pool call: kernel, stride, dilation and the four pads
/// [top, bottom, left, right] after SAME/VALID resolution (formats.md §5.2).
/// </summary>
internal struct ConvGeometry
{
    public int KH, KW, SH, SW, DH, DW, PadTop, PadBottom, PadLeft, PadRight;

    public static PadAlgorithm ParseAlgorithm(KernelBuilder b)
    {
        var s = b.Attrs.GetString("padding_algorithm", "EXPLICIT");
        return s switch
        {
            "EXPLICIT" or "" => PadAlgorithm.Explicit,
            "SAME" => PadAlgorithm.Same,
            "VALID" => PadAlgorithm.Valid,
            _ => throw b.Unsupported($"padding_algorithm '{s}'"),
        };
    }

    /// <summary>
    /// 2 values [ph, pw] → [ph, ph, pw, pw]; 4 values are [top, bottom, left, right]. Negative pads are refused: no
    /// exporter writes them, and the direct kernels index the input as if every pad were ≥ 0 (a negative one read and
    /// wrote outside the planes: found by the mutation campaign).
    /// </summary>
    public static int[] ParsePads(KernelBuilder b, string name = "paddings")
    {
        var p = b.Attrs.GetInts(name);
        int[] pads = p.Length switch
        {
            0 => [0, 0, 0, 0],
            2 => [p[0], p[0], p[1], p[1]],
            4 => p,
            _ => throw b.Unsupported($"{name} with {p.Length} values"),
        };
        foreach (int v in pads)
        {
            if (v < 0) throw b.Unsupported($"{name} [{string.Join(", ", p)}] (pads must be ≥ 0)");
        }
        return pads;
    }

    public static int[] ParsePair(KernelBuilder b, string name, int fallback)
    {
        var p = b.Attrs.GetInts(name);
        return p.Length switch
        {
            0 => [fallback, fallback],
            1 => [p[0], p[0]],
            2 => p,
            _ => throw b.Unsupported($"{name} with {p.Length} values"),
        };
    }

    public static void CheckNchw(KernelBuilder b, string attr = "data_format")
    {
        var f = b.Attrs.GetString(attr, "NCHW");
        if (f is not ("NCHW" or "AnyLayout" or "")) throw b.Unsupported($"{attr} '{f}' (only NCHW)");
    }

    /// <summary>Resolves pads for input extent (h, w): SAME → out = ceil(in/s), odd extra pad after, dilation 1; VALID → 0.</summary>
    public static ConvGeometry Resolve(int h, int w, int kh, int kw, ReadOnlySpan<int> strides, ReadOnlySpan<int> dilations, ReadOnlySpan<int> pads, PadAlgorithm alg)
    {
        var g = new ConvGeometry { KH = kh, KW = kw, SH = strides[0], SW = strides[1], DH = dilations[0], DW = dilations[1] };
        switch (alg)
        {
            case PadAlgorithm.Same:
                g.DH = g.DW = 1;
                SamePads(h, kh, g.SH, out g.PadTop, out g.PadBottom);
                SamePads(w, kw, g.SW, out g.PadLeft, out g.PadRight);
                break;
            case PadAlgorithm.Valid:
                break;
            default:
                g.PadTop = pads[0]; g.PadBottom = pads[1]; g.PadLeft = pads[2]; g.PadRight = pads[3];
                break;
        }
        return g;
    }

    private static void SamePads(int input, int k, int s, out int before, out int after)
    {
        int output = (input + s - 1) / s;
        int sum = Math.Max((output - 1) * s + k - input, 0);
        before = sum / 2;
        after = sum - before;
    }

    /// <summary>Forward conv output extent: (in + pads − (d·(k−1)+1)) / s + 1.</summary>
    public readonly int OutH(int h) => (h + PadTop + PadBottom - (DH * (KH - 1) + 1)) / SH + 1;

    public readonly int OutW(int w) => (w + PadLeft + PadRight - (DW * (KW - 1) + 1)) / SW + 1;
}

/// <summary>Fused activation of Lite/fused conv and fc ops, and of conv + activation pairs fused at load (<see cref="NnEpilogue.FusedAttr"/>).</summary>
internal enum FusedActivation
{
    None,
    Relu,
    Relu6,
    LeakyRelu,
    HardSwish,
    HardSigmoid,
}

/// <summary>
/// Per-output-channel epilogue of a conv: y = act(y + bias[channel]) over one contiguous run, applied
/// while the run is hot. The activation math is the standalone op's (its bit-identical vector form),
/// so fusing changes no number.
/// </summary>
internal unsafe struct ConvEpilogue
{
    public float* Bias; // null: no bias
    public FusedActivation Act;
    public float Alpha, Beta;
    /// <summary>Load-time fused residual add (null: none): element e of the output (at y − YBase) becomes residual[e] + y (or y + residual[e] when not <see cref="ResidualFirst"/>), after the bias, before the activation.</summary>
    public float* Residual, YBase;
    public bool ResidualFirst;
    /// <summary>Load-time fused scalar multiply/add before and after the activation (<see cref="ScalarAffine"/>; default: none).</summary>
    public ScalarAffine Affine;

    public readonly bool Active => Bias != null || Act != FusedActivation.None || Residual != null || Affine.Active;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly void Apply(float* y, int len, int channel)
    {
        bool hasBias = Bias != null;
        float b = hasBias ? Bias[channel] : 0f;
        if (Residual != null)
        {
            AddResidual(y, Residual + (y - YBase), len, hasBias, b, ResidualFirst);
            hasBias = false;
            b = 0f;
        }
        var run = new RowRun { Y = y, Len = len, HasBias = hasBias, Bias = b, Affine = Affine };
        WithActivation(ref run);
    }

    /// <summary>Work that takes the epilogue's activation as its op type: <see cref="WithActivation"/> is the one switch over <see cref="Act"/>.</summary>
    private interface IWithActivation
    {
        void Run<TOp>(TOp op) where TOp : struct, Activations.IVectorUnaryOp;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void WithActivation<TW>(ref TW work) where TW : struct, IWithActivation
    {
        switch (Act)
        {
            case FusedActivation.None: work.Run(default(IdentityOp)); break;
            case FusedActivation.Relu: work.Run(default(Activations.ReluOp)); break;
            case FusedActivation.Relu6 when Alpha == 6f: work.Run(default(Activations.Relu6Op)); break;
            case FusedActivation.Relu6: work.Run(new ClipOp { Max = Alpha }); break;
            case FusedActivation.LeakyRelu: work.Run(new Activations.LeakyReluOp { Alpha = Alpha }); break;
            case FusedActivation.HardSwish: work.Run(default(Activations.HardSwishOp)); break;
            case FusedActivation.HardSigmoid: work.Run(new Activations.HardSigmoidOp { Slope = Alpha, Offset = Beta }); break;
        }
    }

    /// <summary>One contiguous run of one channel (<see cref="Apply"/>).</summary>
    private struct RowRun : IWithActivation
    {
        public float* Y;
        public int Len;
        public bool HasBias;
        public float Bias;
        public ScalarAffine Affine;

        public readonly void Run<TOp>(TOp op) where TOp : struct, Activations.IVectorUnaryOp => ConvEpilogue.Run(Y, Len, HasBias, Bias, op, Affine);
    }

    /// <summary>One pixel's outputs, one per channel (<see cref="ApplyColumns"/>).</summary>
    private struct ColumnsRun : IWithActivation
    {
        public float* Y, Bias;
        public int Len;

        public readonly void Run<TOp>(TOp op) where TOp : struct, Activations.IVectorUnaryOp => Columns(Y, Len, Bias, op);
    }

    /// <summary>
    /// <see cref="Apply"/> on <paramref name="len"/> outputs of one pixel, element j being channel <paramref name="channel0"/> + j
    /// (a conv on a 1×1 plane, a GEMV row): the bias is read as a vector instead of one call per element. Same operations
    /// per element as <see cref="Apply"/> with length 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly void ApplyColumns(float* y, int len, int channel0)
    {
        if (Residual != null || Affine.Active)
        {
            for (int j = 0; j < len; j++) Apply(y + j, 1, channel0 + j);
            return;
        }
        var run = new ColumnsRun { Y = y, Len = len, Bias = Bias == null ? null : Bias + channel0 };
        WithActivation(ref run);
    }

    private static void Columns<TOp>(float* y, int len, float* bias, TOp op) where TOp : struct, Activations.IVectorUnaryOp
    {
        switch (Simd.BestWidth)
        {
            case 512: Columns<TOp, Vec512<float>>(y, len, bias, op); break;
            case 256: Columns<TOp, Vec256<float>>(y, len, bias, op); break;
            case 128: Columns<TOp, Vec128<float>>(y, len, bias, op); break;
            default: ColumnsReference(y, len, bias, op); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Columns<TOp, TV>(float* y, int len, float* bias, TOp op)
        where TOp : struct, Activations.IVectorUnaryOp
        where TV : struct, IVec<TV, float>
    {
        int i = 0;
        if (bias != null)
        {
            for (; i <= len - TV.Count; i += TV.Count) TV.Store(op.Invoke(TV.Load(y + i) + TV.Load(bias + i)), y + i);
        }
        else
        {
            for (; i <= len - TV.Count; i += TV.Count) TV.Store(op.Invoke(TV.Load(y + i)), y + i);
        }
        ColumnsReference(y + i, len - i, bias == null ? null : bias + i, op);
    }

    /// <summary>Scalar reference of <see cref="ApplyColumns"/>: y[j] = act(y[j] + bias[j]).</summary>
    internal static void ColumnsReference<TOp>(float* y, int len, float* bias, TOp op) where TOp : struct, Activations.IUnaryOp
    {
        for (int j = 0; j < len; j++) y[j] = op.Invoke(bias != null ? y[j] + bias[j] : y[j]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TOp>(float* y, int len, bool hasBias, float bias, TOp op, in ScalarAffine affine) where TOp : struct, Activations.IVectorUnaryOp
    {
        if (affine.Active)
        {
            switch (Simd.BestWidth)
            {
                case 512: ScalarAffine.Run<TOp, Vec512<float>>(y, len, hasBias, bias, affine, op); break;
                case 256: ScalarAffine.Run<TOp, Vec256<float>>(y, len, hasBias, bias, affine, op); break;
                case 128: ScalarAffine.Run<TOp, Vec128<float>>(y, len, hasBias, bias, affine, op); break;
                default: ScalarAffine.RunReference(y, len, hasBias, bias, affine, op); break;
            }
            return;
        }
        switch (Simd.BestWidth)
        {
            case 512: Run<TOp, Vec512<float>>(y, len, hasBias, bias, op); break;
            case 256: Run<TOp, Vec256<float>>(y, len, hasBias, bias, op); break;
            case 128: Run<TOp, Vec128<float>>(y, len, hasBias, bias, op); break;
            default: RunReference(y, len, hasBias, bias, op); break;
        }
    }

    /// <summary>y = act(y + bias), <typeparamref name="TV"/> lanes at a time, then the scalar reference on the tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Run<TOp, TV>(float* y, int len, bool hasBias, float bias, TOp op)
        where TOp : struct, Activations.IVectorUnaryOp
        where TV : struct, IVec<TV, float>
    {
        int i = 0;
        var vb = TV.Create(bias);
        if (hasBias)
        {
            for (; i <= len - TV.Count; i += TV.Count) TV.Store(op.Invoke(TV.Load(y + i) + vb), y + i);
        }
        else
        {
            for (; i <= len - TV.Count; i += TV.Count) TV.Store(op.Invoke(TV.Load(y + i)), y + i);
        }
        RunReference(y + i, len - i, hasBias, bias, op);
    }

    /// <summary>Scalar reference of the bias + activation epilogue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunReference<TOp>(float* y, int len, bool hasBias, float bias, TOp op) where TOp : struct, Activations.IUnaryOp
    {
        for (int i = 0; i < len; i++) y[i] = op.Invoke(hasBias ? y[i] + bias : y[i]);
    }

    /// <summary>y = (y + bias) then r + y / y + r: the conv's bias add and the elementwise_add op, each one IEEE add as the separate ops do.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddResidual(float* y, float* r, int len, bool hasBias, float bias, bool residualFirst)
    {
        switch (Simd.BestWidth)
        {
            case 512: AddResidual<Vec512<float>>(y, r, len, hasBias, bias, residualFirst); break;
            case 256: AddResidual<Vec256<float>>(y, r, len, hasBias, bias, residualFirst); break;
            case 128: AddResidual<Vec128<float>>(y, r, len, hasBias, bias, residualFirst); break;
            default: AddResidualReference(y, r, len, hasBias, bias, residualFirst); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddResidual<TV>(float* y, float* r, int len, bool hasBias, float bias, bool residualFirst)
        where TV : struct, IVec<TV, float>
    {
        int i = 0;
        var vb = TV.Create(bias);
        for (; i <= len - TV.Count; i += TV.Count)
        {
            var v = TV.Load(y + i);
            if (hasBias) v += vb;
            var rv = TV.Load(r + i);
            TV.Store(residualFirst ? rv + v : v + rv, y + i);
        }
        AddResidualReference(y + i, r + i, len - i, hasBias, bias, residualFirst);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddResidualReference(float* y, float* r, int len, bool hasBias, float bias, bool residualFirst)
    {
        for (int i = 0; i < len; i++)
        {
            float v = hasBias ? y[i] + bias : y[i];
            y[i] = residualFirst ? r[i] + v : v + r[i];
        }
    }

    internal struct IdentityOp : Activations.IVectorUnaryOp
    {
        public readonly float Invoke(float x) => x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => x;

        public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => x.CopyTo(y);
    }

    /// <summary>Lite relu6 with a non-6 clip: min(max(x, 0), clip).</summary>
    internal struct ClipOp : Activations.IVectorUnaryOp
    {
        public float Max;

        public readonly float Invoke(float x) => Math.Min(x > 0f ? x : 0f, Max);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float> => TV.Min(TV.Select(TV.GreaterThan(x, TV.Zero), x, TV.Zero), TV.Create(Max));

        public readonly void Apply(ReadOnlySpan<float> x, Span<float> y) => Activations.UnaryDriver.Vectorized(this, x, y);
    }
}

internal static class NnEpilogue
{
    /// <summary>Attribute set by <see cref="GraphPasses"/> when it fuses a following activation op into a conv: the op type.</summary>
    public const string FusedAttr = "paddlenet_fused_activation";
    public const string FusedAlphaAttr = "paddlenet_fused_alpha";
    public const string FusedBetaAttr = "paddlenet_fused_beta";
    /// <summary>Input slot of a load-time fused residual add (same shape as the conv output), and whether the residual was the add's X.</summary>
    public const string ResidualInput = "PaddlenetResidual";
    public const string ResidualFirstAttr = "paddlenet_residual_first";
    /// <summary>Attributes set by <see cref="GraphPasses"/> when it folds scalar elementwise_mul/elementwise_add ops after a conv (<see cref="ScalarAffine"/>): absent = no such step.</summary>
    public const string PreScaleAttr = "paddlenet_pre_scale", PreShiftAttr = "paddlenet_pre_shift", PostScaleAttr = "paddlenet_post_scale", PostShiftAttr = "paddlenet_post_shift";

    /// <summary>The conv's fused scalar affine steps (none unless the graph pass set them).</summary>
    public static ScalarAffine ParseAffine(KernelBuilder b)
    {
        static float? Get(KernelBuilder b, string name) => b.Attrs.Has(name) ? b.Attrs.GetFloat(name, 0f) : null;
        return new ScalarAffine(Get(b, PreScaleAttr), Get(b, PreShiftAttr), Get(b, PostScaleAttr), Get(b, PostShiftAttr));
    }

    /// <summary>Input slot of a load-time fused squeeze-excitation scale [N or 1, C, 1, 1] applied to a 1×1 conv's input channels.</summary>
    public const string InputScaleInput = "PaddlenetInputScale";

    /// <summary>Lite conv2d: with_act + act_type, or fuse_relu (fused programs); or a load-time fused activation.</summary>
    public static FusedActivation ParseConvActivation(KernelBuilder b, out float alpha) => ParseConvActivation(b, out alpha, out _);

    public static FusedActivation ParseConvActivation(KernelBuilder b, out float alpha, out float beta)
    {
        alpha = 0f;
        beta = 0f;
        if (b.Attrs.GetString(FusedAttr, "") is { Length: > 0 } fused)
        {
            alpha = b.Attrs.GetFloat(FusedAlphaAttr, 0f);
            beta = b.Attrs.GetFloat(FusedBetaAttr, 0f);
            return fused switch
            {
                "relu" => FusedActivation.Relu,
                "relu6" => FusedActivation.Relu6,
                "leaky_relu" => FusedActivation.LeakyRelu,
                "hard_swish" => FusedActivation.HardSwish,
                "hard_sigmoid" => FusedActivation.HardSigmoid,
                _ => throw b.Unsupported($"fused activation '{fused}'"),
            };
        }
        if (b.Attrs.GetBool("fuse_relu", false)) return FusedActivation.Relu;
        if (!b.Attrs.GetBool("with_act", false)) return ParseName(b, b.Attrs.GetString("fuse_activation", ""), out alpha);
        return ParseName(b, b.Attrs.GetString("act_type", "relu"), out alpha);
    }

    public static FusedActivation ParseName(KernelBuilder b, string name, out float alpha)
    {
        alpha = 0f;
        switch (name)
        {
            case "":
            case "identity":
                return FusedActivation.None;
            case "relu":
                return FusedActivation.Relu;
            case "relu6":
                alpha = b.Attrs.GetFloat("relu_clip_coef", b.Attrs.GetFloat("fuse_alpha", 6f));
                if (alpha == 0f) alpha = 6f;
                return FusedActivation.Relu6;
            case "leaky_relu":
                alpha = b.Attrs.GetFloat("leaky_relu_alpha", b.Attrs.GetFloat("fuse_alpha", 0.02f));
                return FusedActivation.LeakyRelu;
            case "hard_swish":
                // Lite writes hard_swish_threshold/scale/offset = 6/6/3; like Paddle's own hard_swish
                // kernel (ops/INDEX.md), only the standard x·min(max(x+3,0),6)/6 form exists here.
                if (b.Attrs.GetFloat("hard_swish_threshold", 6f) != 6f || b.Attrs.GetFloat("hard_swish_scale", 6f) != 6f || b.Attrs.GetFloat("hard_swish_offset", 3f) != 3f)
                {
                    throw b.Unsupported("fused hard_swish with non-default threshold/scale/offset");
                }
                return FusedActivation.HardSwish;
            default:
                throw b.Unsupported($"fused activation '{name}'");
        }
    }

    /// <summary>y[i] = act(y[i] + bias) over one contiguous run.</summary>
    public static void Apply(Span<float> y, float bias, FusedActivation act, float alpha)
    {
        if (bias != 0f) System.Numerics.Tensors.TensorPrimitives.Add(y, bias, y);
        Activate(y, act, alpha);
    }

    public static void Activate(Span<float> y, FusedActivation act, float alpha)
    {
        switch (act)
        {
            case FusedActivation.Relu:
                for (int i = 0; i < y.Length; i++) y[i] = y[i] > 0f ? y[i] : 0f;
                break;
            case FusedActivation.Relu6:
                for (int i = 0; i < y.Length; i++) y[i] = Math.Min(y[i] > 0f ? y[i] : 0f, alpha);
                break;
            case FusedActivation.LeakyRelu:
                for (int i = 0; i < y.Length; i++) y[i] = y[i] > 0f ? y[i] : alpha * y[i];
                break;
            case FusedActivation.HardSwish:
                default(Activations.HardSwishOp).Apply(y, y);
                break;
            case FusedActivation.None:
                break;
            default:
                throw new InvalidOperationException($"activation {act} has no row form here");
        }
    }
}

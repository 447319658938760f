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

    /// <summary>2 values [ph, pw] → [ph, ph, pw, pw]; 4 values are [top, bottom, left, right].</summary>
    public static int[] ParsePads(KernelBuilder b, string name = "paddings")
    {
        var p = b.Attrs.GetInts(name);
        return p.Length switch
        {
            0 => [0, 0, 0, 0],
            2 => [p[0], p[0], p[1], p[1]],
            4 => p,
            _ => throw b.Unsupported($"{name} with {p.Length} values"),
        };
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

/// <summary>Fused activation of Lite/fused conv and fc ops.</summary>
internal enum FusedActivation
{
    None,
    Relu,
    Relu6,
    LeakyRelu,
}

internal static class NnEpilogue
{
    /// <summary>Lite conv2d: with_act + act_type, or fuse_relu (fused programs).</summary>
    public static FusedActivation ParseConvActivation(KernelBuilder b, out float alpha)
    {
        alpha = 0f;
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
        }
    }
}

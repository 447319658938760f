using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Attribute parsing and pad resolution shared by conv3d, pool3d and max_pool3d_with_index (NCDHW). Paddings: 3 values
/// [pd, ph, pw] (symmetric) or 6 values [front, back, top, bottom, left, right]; SAME gives out = ceil(in/s) with the odd
/// extra pad after and dilation 1, VALID no padding — the 2-D rules of <see cref="ConvGeometry"/> per dim.
/// </summary>
internal static class Geometry3D
{
    public static int[] Triple(KernelBuilder b, string name, int fallback)
    {
        var p = b.Attrs.GetInts(name);
        return p.Length switch
        {
            0 => [fallback, fallback, fallback],
            1 => [p[0], p[0], p[0]],
            3 => p,
            _ => throw b.Unsupported($"{name} with {p.Length} values (3 expected)"),
        };
    }

    /// <summary>[before, after] per dim, 6 values.</summary>
    public static int[] Pads(KernelBuilder b)
    {
        var p = b.Attrs.GetInts("paddings");
        int[] pads = p.Length switch
        {
            0 => new int[6],
            3 => [p[0], p[0], p[1], p[1], p[2], p[2]],
            6 => p,
            _ => throw b.Unsupported($"paddings with {p.Length} values (3 or 6 expected)"),
        };
        // As in 2-D (ConvGeometry.ParsePads): the kernels index as if every pad were ≥ 0.
        if (pads.Any(v => v < 0)) throw b.Unsupported($"paddings [{string.Join(", ", p)}] (pads must be ≥ 0)");
        return pads;
    }

    public static void CheckNcdhw(KernelBuilder b)
    {
        var f = b.Attrs.GetString("data_format", "NCDHW");
        if (f is not ("NCDHW" or "NCHW" or "AnyLayout" or "")) throw b.Unsupported($"data_format '{f}' (only NCDHW)");
    }

    /// <summary>Resolves SAME/VALID into <paramref name="pads"/> (and dilation 1 for SAME) for input extents <paramref name="input"/>.</summary>
    public static void Resolve(PadAlgorithm alg, ReadOnlySpan<int> input, ReadOnlySpan<int> kernel, ReadOnlySpan<int> strides, Span<int> pads, Span<int> dilations)
    {
        if (alg == PadAlgorithm.Explicit) return;
        for (int d = 0; d < 3; d++)
        {
            if (alg == PadAlgorithm.Valid)
            {
                pads[2 * d] = pads[2 * d + 1] = 0;
                continue;
            }
            dilations[d] = 1;
            int output = (input[d] + strides[d] - 1) / strides[d];
            int sum = Math.Max((output - 1) * strides[d] + kernel[d] - input[d], 0);
            pads[2 * d] = sum / 2;
            pads[2 * d + 1] = sum - sum / 2;
        }
    }
}

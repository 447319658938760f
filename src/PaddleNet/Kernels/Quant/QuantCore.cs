using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Quant;

/// <summary>
/// Paddle's simulated quantization arithmetic in float32 (phi fake_quantize_functor, fake_dequantize_op):
/// bin_cnt = 2^(bit_length-1) - 1 (or the qmax attribute), inverse(s) = 1/(s+1e-6) when s &lt;= 1e-30.
/// round_type 0 rounds x * (bin_cnt * inv_s) half to even and clamps to [-bin_cnt-1, bin_cnt];
/// round_type 1 clips x to [-s, s] first, then rounds half away from zero. Dequantization is (q * s) / bin_cnt.
/// </summary>
internal static class QuantCore
{
    /// <summary>Most scale values converted from a non-float32 tensor or computed per channel in one call (on the stack).</summary>
    public const int MaxScratch = 4096;

    public static float Inverse(float s) => s <= 1e-30f ? 1f / (s + 1e-6f) : 1f / s;

    public static int BinCount(KernelBuilder b)
    {
        int bits = b.Attrs.GetInt("bit_length", 8);
        if (bits < 1 || bits > 16) throw b.Unsupported($"attribute 'bit_length' = {bits} (Paddle allows 1..16)");
        int binCnt = b.Attrs.Has("qmax") ? b.Attrs.GetInt("qmax", 127) : (1 << (bits - 1)) - 1;
        if (binCnt < 1) throw b.Unsupported($"attribute 'qmax' = {binCnt} (must be positive)");
        return binCnt;
    }

    public static int RoundType(KernelBuilder b, int fallback)
    {
        int r = b.Attrs.GetInt("round_type", fallback);
        if (r is not (0 or 1)) throw b.Unsupported($"attribute 'round_type' = {r} (0 TiesToEven or 1 TiesAwayFromZero)");
        return r;
    }

    /// <summary>Quantizes (and with <paramref name="dequantize"/> dequantizes back) <paramref name="x"/> with one scale.</summary>
    public static void Quantize(ReadOnlySpan<float> x, Span<float> y, float s, int binCnt, int roundType, bool dequantize)
    {
        float b = binCnt;
        float k = b * Inverse(s);
        if (roundType == 0)
        {
            for (int i = 0; i < x.Length; i++)
            {
                float q = MathF.Round(k * x[i], MidpointRounding.ToEven);
                q = q > b ? b : q;
                q = q < -b - 1f ? -b - 1f : q;
                y[i] = dequantize ? q * s / b : q;
            }
        }
        else
        {
            for (int i = 0; i < x.Length; i++)
            {
                float c = x[i] < -s ? -s : (x[i] > s ? s : x[i]);
                float q = MathF.Round(k * c, MidpointRounding.AwayFromZero);
                y[i] = dequantize ? q * s / b : q;
            }
        }
    }

    /// <summary>Per-channel <see cref="Quantize"/>: channel c of axis <paramref name="axis"/> uses scales[c].</summary>
    public static void QuantizeChannels(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<int> shape, int axis, ReadOnlySpan<float> scales, int binCnt, int roundType, bool dequantize)
    {
        var (outer, channels, inner) = Split(shape, axis);
        for (long o = 0; o < outer; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                int start = (int)((o * channels + c) * inner);
                Quantize(x.Slice(start, (int)inner), y.Slice(start, (int)inner), scales[c], binCnt, roundType, dequantize);
            }
        }
    }

    /// <summary>Abs-max over the whole tensor: |x| of the element largest in magnitude (0 for an empty tensor).</summary>
    public static float AbsMax(ReadOnlySpan<float> x)
    {
        float m = 0;
        for (int i = 0; i < x.Length; i++) m = MathF.Max(m, MathF.Abs(x[i]));
        return m;
    }

    /// <summary>Abs-max of each channel along <paramref name="axis"/>.</summary>
    public static void ChannelAbsMax(ReadOnlySpan<float> x, ReadOnlySpan<int> shape, int axis, Span<float> scales)
    {
        var (outer, channels, inner) = Split(shape, axis);
        scales[..channels].Clear();
        for (long o = 0; o < outer; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                scales[c] = MathF.Max(scales[c], AbsMax(x.Slice((int)((o * channels + c) * inner), (int)inner)));
            }
        }
    }

    /// <summary>out = (x * s) / maxRange, per tensor (one scale) or per channel of <paramref name="axis"/>.</summary>
    public static void Dequantize(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<int> shape, int axis, ReadOnlySpan<float> scales, float maxRange)
    {
        if (axis < 0)
        {
            float s = scales[0];
            for (int i = 0; i < x.Length; i++) y[i] = x[i] * s / maxRange;
            return;
        }
        var (outer, channels, inner) = Split(shape, axis);
        for (long o = 0; o < outer; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                float s = scales[c];
                int start = (int)((o * channels + c) * inner);
                for (int i = start; i < start + inner; i++) y[i] = x[i] * s / maxRange;
            }
        }
    }

    public static (long Outer, int Channels, long Inner) Split(ReadOnlySpan<int> shape, int axis)
    {
        long outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= shape[d];
        for (int d = axis + 1; d < shape.Length; d++) inner *= shape[d];
        return (outer, shape[axis], inner);
    }

    /// <summary>Checks a per-channel axis against the input and the scale count.</summary>
    public static void CheckChannels(RunContext ctx, int x, int axis, int scaleCount, string what)
    {
        var shape = ctx.Shape(x);
        if (axis >= shape.Length) throw new ShapeMismatchException($"{what} quant_axis", $"an axis of X (rank {shape.Length})", axis.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (scaleCount != shape[axis]) throw new ShapeMismatchException($"{what} scale", $"{shape[axis]} values (X's dimension {axis})", $"{scaleCount}");
    }

    /// <summary>A float tensor's contents as float32 (scales may be stored as float64 or float16).</summary>
    public static ReadOnlySpan<float> Floats(RunContext ctx, int id, Span<float> scratch, string what)
    {
        if (ctx.Type(id) == DataType.Float32) return ctx.Read<float>(id);
        int n = (int)ctx.ElementCount(id);
        if (n > scratch.Length) throw new ShapeMismatchException(what, $"float32 (or at most {scratch.Length} values of another type)", $"{n} {ctx.Type(id).Name()} values");
        for (int i = 0; i < n; i++) scratch[i] = (float)ctx.ReadDouble(id, i);
        return scratch[..n];
    }
}

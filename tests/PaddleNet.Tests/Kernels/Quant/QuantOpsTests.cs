using PaddleNet.Tests.Kernels.Shape;

namespace PaddleNet.Tests.Kernels.Quant;

/// <summary>
/// Quantization ops against ports of Paddle's numpy oracles (test/legacy_test/test_fake_quantize_op.py,
/// test_fake_dequantize_op.py), which compute in float64 while the kernels compute in float32 as Paddle's do.
/// Quantized values must match exactly except where the oracle's pre-rounding value lies within
/// <see cref="TieBand"/> of a rounding tie (float32 vs float64 may land on either side; one step apart at most);
/// dequantized values within <see cref="DequantRel"/> relative.
/// </summary>
public sealed class QuantOpsTests
{
    /// <summary>float32 products of |x| &lt;= 2^15 carry at most ~2^-8 absolute error; 1e-3 is a generous band around x.5.</summary>
    private const double TieBand = 1e-3;

    /// <summary>A few float32 roundings of (q * s) / b: 1e-6 relative.</summary>
    private const double DequantRel = 1e-6;

    private static double RoundC(double v) => v >= 0 ? Math.Floor(v + 0.5) : Math.Ceiling(v - 0.5);

    private static double RoundEven(double v) => Math.Round(v, MidpointRounding.ToEven);

    private static Tensor Random(int seed, int[] shape, Func<Random, double> dist)
    {
        var rng = new Random(seed);
        var n = shape.Aggregate(1, (a, d) => a * d);
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float)dist(rng);
        return Tensor.FromSpan<float>(data, shape);
    }

    private static void AssertQuantized(double[] preRound, double[] expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (actual[i] == expected[i]) continue;
            double frac = Math.Abs(preRound[i] - Math.Floor(preRound[i]) - 0.5);
            Assert.True(frac < TieBand && Math.Abs(actual[i] - expected[i]) <= 1, $"{what}[{i}]: expected {expected[i]} (pre-round {preRound[i]}), got {actual[i]}");
        }
    }

    private static void AssertClose(double[] expected, ReadOnlySpan<float> actual, double step, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = DequantRel * Math.Max(1, Math.Abs(expected[i]));
            // A tie resolved the other way moves a dequantized value by one step.
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tol || Math.Abs(Math.Abs(actual[i] - expected[i]) - step) <= tol + step * 1e-3, $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Theory]
    [InlineData(1, "random")]
    [InlineData(0, "random")]
    [InlineData(1, "zeros")]
    [InlineData(1, "denormal")]
    public void FakeQuantizeAbsMax_MatchesPaddleOracle(int roundType, string distribution)
    {
        Func<Random, double> dist = distribution switch { "zeros" => _ => 0, "denormal" => _ => 1e-40, _ => r => r.NextDouble() };
        var x = Random(11, [124, 240], dist);
        var xs = x.AsSpan<float>().ToArray();
        float scale = xs.Max(v => Math.Abs(v));
        const int bnt = 127;
        double inv = scale < 1e-30 ? 1.0 / (scale + 1e-6) : 1.0 / scale;
        var pre = xs.Select(v => v * inv * bnt).ToArray();
        var expected = pre.Select(v => roundType == 0 ? Math.Clamp(RoundEven(v), -bnt - 1, bnt) : RoundC(v)).ToArray();
        var h = new OpHarness("fake_quantize_abs_max").Input("X", x).Output("Out").Output("OutScale").Attr("bit_length", 8L).Attr("round_type", (long)roundType);
        AssertQuantized(pre, expected, h.Run1("Out").AsSpan<float>(), "Out");
        Assert.Equal([scale], h.Run1("OutScale").AsSpan<float>().ToArray());
    }

    [Theory]
    [InlineData(new[] { 20, 15, 6, 6 }, 0, 0)]
    [InlineData(new[] { 20, 15, 6, 6 }, 1, 0)]
    [InlineData(new[] { 30, 30 }, 0, 1)]
    [InlineData(new[] { 30, 30 }, 1, 1)]
    [InlineData(new[] { 3, 4, 64, 64 }, 0, 1)]
    [InlineData(new[] { 15, 20, 5, 5 }, 1, 0)]
    public void FakeChannelWiseQuantize_AndQuantDequant_MatchPaddleOracle(int[] shape, int axis, int roundType)
    {
        var x = Random(shape.Sum() + axis, shape, r => r.NextDouble());
        var xs = x.AsSpan<float>().ToArray();
        const int bnt = 127;
        int inner = shape.Skip(axis + 1).Aggregate(1, (a, d) => a * d), channels = shape[axis];
        int Channel(int i) => i / inner % channels;
        var scale = new float[channels];
        for (int i = 0; i < xs.Length; i++) scale[Channel(i)] = Math.Max(scale[Channel(i)], xs[i]); // np.amax (inputs are non-negative)
        // Paddle's oracle: TiesToEven rounds x / s * bnt; TiesAwayFromZero rounds bnt * x / s.
        var pre = xs.Select((v, i) => roundType == 0 ? (double)v / scale[Channel(i)] * bnt : bnt * (double)v / scale[Channel(i)]).ToArray();
        var q = pre.Select(v => roundType == 0 ? Math.Clamp(RoundEven(v), -bnt - 1, bnt) : RoundC(v)).ToArray();
        var quant = new OpHarness("fake_channel_wise_quantize_abs_max").Input("X", x).Output("Out").Output("OutScale")
            .Attr("bit_length", 8L).Attr("round_type", (long)roundType).Attr("quant_axis", (long)axis);
        AssertQuantized(pre, q, quant.Run1("Out").AsSpan<float>(), "Out");
        Assert.Equal(scale, quant.Run1("OutScale").AsSpan<float>().ToArray());
        var dq = q.Select((v, i) => v * scale[Channel(i)] / bnt).ToArray();
        var qdq = new OpHarness("fake_channel_wise_quantize_dequantize_abs_max").Input("X", x).Output("Out").Output("OutScale")
            .Attr("bit_length", 8L).Attr("round_type", (long)roundType).Attr("quant_axis", (long)axis);
        AssertClose(dq, qdq.Run1("Out").AsSpan<float>(), scale.Max() / bnt, "Out");
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public void FakeQuantizeMovingAverageAbsMax_Training_MatchesPaddleOracle(bool dequantize, int roundType)
    {
        var x = Random(5, [8, 16, 7, 7], r => r.NextDouble());
        var xs = x.AsSpan<float>().ToArray();
        const int bnt = 15; // bit_length 5
        double outAccum = 0.9 * 1 + xs.Max(v => Math.Abs(v)), outState = 0.9 * 1 + 1.0, outScale = outAccum / outState;
        var pre = xs.Select(v => v / outScale * bnt).ToArray();
        var q = pre.Select(v => roundType == 0 ? Math.Clamp(RoundEven(v), -bnt - 1, bnt) : RoundC(v)).ToArray();
        var h = new OpHarness(dequantize ? "fake_quantize_dequantize_moving_average_abs_max" : "fake_quantize_moving_average_abs_max")
            .Input("X", x).Input("InScale", Tensor.FromSpan<float>([0.001f], [1])).Input("InAccum", Tensor.FromSpan<float>([1f], [1])).Input("InState", Tensor.FromSpan<float>([1f], [1]))
            .Output("Out").Output("OutScale").Output("OutState").Output("OutAccum")
            .Attr("bit_length", 5L).Attr("moving_rate", 0.9).Attr("is_test", false).Attr("round_type", (long)roundType);
        var outs = h.Run("Out")[0].AsSpan<float>().ToArray();
        if (dequantize) AssertClose(q.Select(v => v * outScale / bnt).ToArray(), outs, outScale / bnt, "Out");
        else AssertQuantized(pre, q, outs, "Out");
        Assert.Equal(outScale, h.Run1("OutScale").AsSpan<float>()[0], 1e-6);
        Assert.Equal(outState, h.Run1("OutState").AsSpan<float>()[0], 1e-6);
        Assert.Equal(outAccum, h.Run1("OutAccum").AsSpan<float>()[0], 1e-6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void FakeQuantizeRangeAbsMax_IsTest_MatchesPaddleOracle(int roundType)
    {
        var x = Random(9, [8, 16, 6, 6], r => (r.NextDouble() - 0.4) * 10);
        var xs = x.AsSpan<float>().ToArray();
        const int bnt = 127;
        float inScale = xs.Max(v => Math.Abs(v)) - 1.0f;
        var clipped = xs.Select(v => roundType == 1 ? Math.Clamp(v, -inScale, inScale) : v).ToArray();
        var pre = clipped.Select(v => (double)v / inScale * bnt).ToArray();
        var q = pre.Select(v => roundType == 0 ? Math.Clamp(RoundEven(v), -bnt - 1, bnt) : RoundC(v)).ToArray();
        var h = new OpHarness("fake_quantize_range_abs_max").Input("X", x).Input("InScale", Tensor.FromSpan<float>([inScale], [1])).Input("Iter", Tensor.FromSpan<long>([0L], [1]))
            .Output("Out").Attr("bit_length", 8L).Attr("window_size", 1L).Attr("is_test", true).Attr("round_type", (long)roundType);
        AssertQuantized(pre, q, h.Run1().AsSpan<float>(), "Out");
    }

    [Fact]
    public void MovingAverageAbsMaxScale_PassesXThroughAndTracksTheScale()
    {
        var x = Random(3, [8, 16, 7, 7], r => r.NextDouble());
        var xs = x.AsSpan<float>().ToArray();
        var h = new OpHarness("moving_average_abs_max_scale").Input("X", x).Input("InAccum", Tensor.FromSpan<float>([1f], [1])).Input("InState", Tensor.FromSpan<float>([1f], [1]))
            .Output("Out").Output("OutScale").Output("OutState").Output("OutAccum").Attr("moving_rate", 0.9).Attr("is_test", false);
        Assert.Equal(xs, h.Run1("Out").AsSpan<float>().ToArray());
        double accum = 0.9 + xs.Max(), state = 1.9;
        Assert.Equal(accum / state, h.Run1("OutScale").AsSpan<float>()[0], 1e-6);
    }

    [Fact]
    public void FakeDequantizeMaxAbs_MatchesPaddleOracle()
    {
        // test_fake_dequantize_op.py: x = round(rand * max_range) as float, y = x * scale / max_range.
        const float maxRange = 127 * 127f;
        var x = Random(21, [3, 9, 10], r => Math.Round(r.NextDouble() * maxRange));
        float scale = 2.7f;
        var expected = x.AsSpan<float>().ToArray().Select(v => (double)v * scale / maxRange).ToArray();
        var y = new OpHarness("fake_dequantize_max_abs").Input("X", x).Input("Scale", Tensor.FromSpan<float>([scale], [1])).Output("Out").Attr("max_range", (double)maxRange).Run1();
        AssertClose(expected, y.AsSpan<float>(), 0, "Out");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void FakeChannelWiseDequantizeMaxAbs_OneScale_MatchesPaddleOracle(int axis)
    {
        int[] shape = [4, 3, 5, 5];
        var x = Random(31 + axis, shape, r => Math.Round((r.NextDouble() * 2 - 1) * 127));
        var scales = Enumerable.Range(0, shape[axis]).Select(i => 0.1f * (i + 1)).ToArray();
        int inner = shape.Skip(axis + 1).Aggregate(1, (a, d) => a * d);
        var expected = x.AsSpan<float>().ToArray().Select((v, i) => (double)v * scales[i / inner % shape[axis]] / 127.0).ToArray();
        var y = new OpHarness("fake_channel_wise_dequantize_max_abs").Input("X", x).Input("Scales", Tensor.FromSpan<float>(scales, [scales.Length])).Output("Out")
            .Attr("quant_bits", new long[] { 8 }).Attr("quant_axis", (long)axis).Run1();
        AssertClose(expected, y.AsSpan<float>(), 0, "Out");
    }

    [Fact]
    public void FakeChannelWiseDequantizeMaxAbs_TwoScales_MatchesPaddleOracle()
    {
        int[] shape = [2, 3, 4, 4];
        var x = Random(41, shape, r => Math.Round((r.NextDouble() * 2 - 1) * 1000));
        float[] scales = [0.5f, 1.25f, 3f];
        float activation = 0.75f;
        var expected = x.AsSpan<float>().ToArray().Select((v, i) => (double)v * scales[i / 16 % 3] * activation / (127.0 * 127.0)).ToArray();
        var y = new OpHarness("fake_channel_wise_dequantize_max_abs").Input("X", x)
            .Input("Scales", Tensor.FromSpan<float>(scales, [3]), Tensor.FromSpan<float>([activation], [1])).Output("Out").Attr("quant_bits", new long[] { 8, 8 }).Run1();
        AssertClose(expected, y.AsSpan<float>(), 0, "Out");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    public void QuantizeLinear_ThenDequantizeLinear_MatchOracle(int axis)
    {
        int[] shape = [6, 5, 3, 3];
        var x = Random(51 + axis, shape, r => (r.NextDouble() * 2 - 1) * 4);
        var xs = x.AsSpan<float>().ToArray();
        int channels = axis < 0 ? 1 : shape[axis], inner = axis < 0 ? xs.Length : shape.Skip(axis + 1).Aggregate(1, (a, d) => a * d);
        var scales = Enumerable.Range(0, channels).Select(c => 1.5f + 0.5f * c).ToArray();
        float Scale(int i) => scales[axis < 0 ? 0 : i / inner % channels];
        const int bnt = 127;
        var pre = xs.Select((v, i) => v * (double)(bnt / Scale(i))).ToArray();
        var q = pre.Select(v => Math.Clamp(RoundEven(v), -bnt - 1, bnt)).ToArray();
        var scaleTensor = Tensor.FromSpan<float>(scales, [channels]);
        var zero = Tensor.FromSpan<float>(new float[channels], [channels]);
        var y = new OpHarness("quantize_linear").Input("X", x).Input("Scale", scaleTensor).Input("ZeroPoint", zero).Output("Y")
            .Attr("quant_axis", (long)axis).Attr("bit_length", 8L).Attr("round_type", 0L).Attr("is_test", true).Run1("Y");
        AssertQuantized(pre, q, y.AsSpan<float>(), "Y");
        // Weights exported as int8: dequantize_linear widens them first.
        var int8 = Tensor.FromSpan<sbyte>(q.Select(v => (sbyte)v).ToArray(), shape);
        var d = new OpHarness("dequantize_linear").Input("X", int8).Input("Scale", scaleTensor).Input("ZeroPoint", zero).Output("Y")
            .Attr("quant_axis", (long)axis).Attr("bit_length", 8L).Run1("Y");
        AssertClose(q.Select((v, i) => v * Scale(i) / bnt).ToArray(), d.AsSpan<float>(), 0, "Y");
    }

    [Fact]
    public void UnsupportedAttributeForms_AreRefusedAtLoad()
    {
        var e = Assert.Throws<UnsupportedOperatorException>(() => new OpHarness("fake_channel_wise_quantize_abs_max").Input("X", Random(1, [2, 2], r => r.NextDouble())).Output("Out").Attr("quant_axis", 2L).Run1());
        Assert.Contains("quant_axis", e.Message);
        e = Assert.Throws<UnsupportedOperatorException>(() => new OpHarness("quantize_linear").Input("X", Random(1, [2, 2], r => r.NextDouble())).Input("Scale", Tensor.FromSpan<float>([1f], [1])).Output("Y").Attr("round_type", 2L).Run1("Y"));
        Assert.Contains("round_type", e.Message);
        e = Assert.Throws<UnsupportedOperatorException>(() => new OpHarness("fake_quantize_range_abs_max").Input("X", Random(1, [2, 2], r => r.NextDouble())).Input("InScale", Tensor.FromSpan<float>([1f], [1])).Output("Out").Attr("is_test", false).Run1());
        Assert.Contains("is_test", e.Message);
    }
}

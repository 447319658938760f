using PaddleNet.Tests.Kernels.Shape;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Kernels.Activations;

/// <summary>
/// The issue-13 unary ops against their numpy references from Paddle's test_activation_op.py (np.arccos, np.log1p,
/// ref_hardshrink, ref_softshrink, ref_thresholded_relu, …), evaluated in double, on lengths that hit every remainder.
/// </summary>
public sealed class MoreUnaryOpsTests
{
    public static TheoryData<string, double, double> Cases => new()
    {
        { "acos", -0.99, 0.99 }, { "asin", -0.99, 0.99 }, { "atan", -5, 5 }, { "cosh", -5, 5 }, { "sinh", -5, 5 }, { "tan", -1.4, 1.4 },
        { "log2", 0.01, 50 }, { "log10", 0.01, 50 }, { "log1p", -0.9, 50 }, { "logsigmoid", -30, 30 }, { "brelu", -30, 30 },
        { "hard_shrink", -2, 2 }, { "softshrink", -2, 2 }, { "softsign", -9, 9 }, { "tanh_shrink", -4, 4 }, { "thresholded_relu", -3, 3 },
    };

    private static double Reference(string op, double x) => op switch
    {
        "acos" => Math.Acos(x),
        "asin" => Math.Asin(x),
        "atan" => Math.Atan(x),
        "cosh" => Math.Cosh(x),
        "sinh" => Math.Sinh(x),
        "tan" => Math.Tan(x),
        "log2" => Math.Log2(x),
        "log10" => Math.Log10(x),
        "log1p" => Math.Log(1 + x),
        "logsigmoid" => Math.Log(1 / (1 + Math.Exp(-x))),
        "brelu" => Math.Min(Math.Max(x, 1.5), 20), // t_min 1.5, t_max 20
        "hard_shrink" => Math.Abs(x) > 0.7 ? x : 0, // threshold 0.7
        "softshrink" => x > 0.6 ? x - 0.6 : x < -0.6 ? x + 0.6 : 0, // lambda 0.6
        "softsign" => x / (1 + Math.Abs(x)),
        "tanh_shrink" => x - Math.Tanh(x),
        "thresholded_relu" => x > 0.25 ? x : 0,
        _ => throw new ArgumentException(op),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_MatchesNumpyReference(string op, double lo, double hi)
    {
        var rng = new Random(op.Length);
        foreach (int n in new[] { 0, 1, 7, 8, 9, 17, 33, 100 })
        {
            var data = Enumerable.Range(0, n).Select(_ => (float)(lo + rng.NextDouble() * (hi - lo))).ToArray();
            var h = new OpHarness(op).Input("X", Tensor.FromSpan<float>(data, [n])).Output("Out");
            if (op == "brelu") h.Attr("t_min", 1.5).Attr("t_max", 20.0);
            if (op == "hard_shrink") h.Attr("threshold", 0.7);
            if (op == "softshrink") h.Attr("lambda", 0.6);
            if (op == "thresholded_relu") h.Attr("threshold", 0.25);
            var y = h.Run1();
            var expected = data.Select(x => (float)Reference(op, x)).ToArray();
            // Piecewise ops compare against float thresholds: compare in float32 like Paddle does.
            TensorAssert.Close(Tensor.FromSpan<float>(expected, [n]), y, OracleTolerances.Abs * 1e-2, OracleTolerances.UnaryRel, op);
        }
    }

    [Fact]
    public void Bitwise_IntAndBool_MatchNumpy()
    {
        var x = Tensor.FromSpan<int>([5, -3, 12, 0x7fffffff, -1, 6], [2, 3]);
        var y = Tensor.FromSpan<int>([3, 6, -8], [3]);
        Assert.Equal(new[] { 5 & 3, -3 & 6, 12 & -8, 0x7fffffff & 3, -1 & 6, 6 & -8 }, new OpHarness("bitwise_and").Input("X", x).Input("Y", y).Output("Out").Run1().AsSpan<int>().ToArray());
        Assert.Equal(new[] { 5 | 3, -3 | 6, 12 | -8, 0x7fffffff | 3, -1 | 6, 6 | -8 }, new OpHarness("bitwise_or").Input("X", x).Input("Y", y).Output("Out").Run1().AsSpan<int>().ToArray());
        Assert.Equal(new[] { 5 ^ 3, -3 ^ 6, 12 ^ -8, 0x7fffffff ^ 3, -1 ^ 6, 6 ^ -8 }, new OpHarness("bitwise_xor").Input("X", x).Input("Y", y).Output("Out").Run1().AsSpan<int>().ToArray());
        Assert.Equal(new[] { ~5, ~-3, ~12, ~0x7fffffff, ~-1, ~6 }, new OpHarness("bitwise_not").Input("X", x).Output("Out").Run1().AsSpan<int>().ToArray());
        var b = Tensor.FromSpan<bool>([true, false, true], [3]);
        var c = Tensor.FromSpan<bool>([true, true, false], [3]);
        Assert.Equal(new[] { true, true, true }, new OpHarness("bitwise_or").Input("X", b).Input("Y", c).Output("Out").Run1().AsSpan<bool>().ToArray());
        Assert.Equal(new[] { true, false, false }, new OpHarness("bitwise_and").Input("X", b).Input("Y", c).Output("Out").Run1().AsSpan<bool>().ToArray());
        Assert.Equal(new[] { false, true, false }, new OpHarness("bitwise_not").Input("X", b).Output("Out").Run1().AsSpan<bool>().ToArray());
        var l = Tensor.FromSpan<long>([1L << 40, -7], [2]);
        Assert.Equal(new[] { (1L << 40) ^ 5, -7 ^ 5 }, new OpHarness("bitwise_xor").Input("X", l).Input("Y", Tensor.FromSpan<long>([5L], [1])).Output("Out").Run1().AsSpan<long>().ToArray());
    }

    [Fact]
    public void Atan2_Broadcasts_AllQuadrants()
    {
        var x1 = Tensor.FromSpan<float>([1f, -1f, 0f, -0f, 2f, -3f], [2, 3]);
        var x2 = Tensor.FromSpan<float>([-1f, 1f, -2f], [3]);
        var y = new OpHarness("atan2").Input("X1", x1).Input("X2", x2).Output("Out").Run1();
        float[] ys = [1f, -1f, 0f, -0f, 2f, -3f];
        float[] xs = [-1f, 1f, -2f];
        var expected = ys.Select((v, i) => (float)Math.Atan2(v, xs[i % 3])).ToArray();
        Assert.Equal(expected, y.AsSpan<float>().ToArray());
    }
}

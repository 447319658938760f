using PaddleNet.Tests.Kernels.Shape;

namespace PaddleNet.Tests.Kernels.Misc;

/// <summary>empty, eye, linspace, fill_zeros_like, size, share_data against numpy (np.eye, np.linspace, np.zeros_like, x.size).</summary>
public sealed class MoreCreationOpsTests
{
    [Fact]
    public void Eye_MatchesNumpyEye_RectangularAndInt64()
    {
        var y = new OpHarness("eye").Output("Out").Attr("num_rows", 3L).Attr("num_columns", 5L).Attr("dtype", 5L).Run1();
        var expected = new float[15];
        for (int i = 0; i < 3; i++) expected[i * 5 + i] = 1;
        Assert.Equal(expected, y.AsSpan<float>().ToArray());
        var sq = new OpHarness("eye").Output("Out").Attr("num_rows", 2L).Attr("num_columns", -1L).Attr("dtype", 3L).Run1();
        Assert.Equal(new long[] { 1, 0, 0, 1 }, sq.AsSpan<long>().ToArray());
    }

    [Theory]
    [InlineData(0.0, 10.0, 11)]
    [InlineData(-3.5, 7.25, 8)]
    [InlineData(5.0, -5.0, 7)]
    [InlineData(2.0, 9.0, 1)]
    public void Linspace_MatchesNumpyLinspace(double start, double stop, int num)
    {
        var y = new OpHarness("linspace").Input("Start", Tensor.FromSpan<float>([(float)start], [1])).Input("Stop", Tensor.FromSpan<float>([(float)stop], [1]))
            .Input("Num", Tensor.FromSpan<int>([num], [1])).Output("Out").Attr("dtype", 5L).Run1();
        // np.linspace: start + i*step, with the last value exactly stop.
        var expected = Enumerable.Range(0, num).Select(i => num == 1 ? (float)start : i == num - 1 ? (float)stop : (float)(start + i * (stop - start) / (num - 1))).ToArray();
        Assert.Equal(num, y.Shape[0]);
        var ys = y.AsSpan<float>().ToArray();
        for (int i = 0; i < num; i++) Assert.True(Math.Abs(expected[i] - ys[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i])), $"{i}: {ys[i]} vs {expected[i]}");
        Assert.Equal((float)start, ys[0]);
        Assert.Equal((float)(num == 1 ? start : stop), ys[^1]);
    }

    [Fact]
    public void Empty_FillZerosLike_Size_ShareData()
    {
        var e = new OpHarness("empty").Output("Out").Attr("shape", new long[] { 2, 0, 3 }).Attr("dtype", 3L).Run1();
        Assert.Equal(new[] { 2, 0, 3 }, e.Shape.ToArray());
        Assert.Equal(DataType.Int64, e.DataType);
        var x = OpHarness.Floats(new Random(1), 2, 3, 4);
        var z = new OpHarness("fill_zeros_like").Input("X", x).Output("Out").Run1();
        Assert.Equal(new[] { 2, 3, 4 }, z.Shape.ToArray());
        Assert.All(z.AsSpan<float>().ToArray(), v => Assert.Equal(0f, v));
        var n = new OpHarness("size").Input("Input", x).Output("Out").Run1();
        Assert.Equal(0, n.Shape.Length);
        Assert.Equal(24L, n.AsSpan<long>()[0]);
        var s = new OpHarness("share_data").Input("X", x).Output("Out").Run1();
        Assert.Equal(x.AsSpan<float>().ToArray(), s.AsSpan<float>().ToArray());
    }
}

/// <summary>gaussian_random: the engine against the C++ standard's check values, the samples against the normal law.</summary>
public sealed class GaussianRandomTests
{
    [Fact]
    public void Mt19937_64_MatchesCppStandardValues()
    {
        // [rand.predef]: the 10000th invocation of a default-constructed mt19937_64 (seed 5489) yields 9981545732273789042.
        var e = new PaddleNet.Kernels.Mt19937_64(5489);
        Assert.Equal(14514284786278117030UL, e.Next()); // first output of the default engine
        for (int i = 2; i < 10000; i++) e.Next();
        Assert.Equal(9981545732273789042UL, e.Next());
    }

    [Theory]
    [InlineData(5L, 0.0, 1.0)]
    [InlineData(6L, 0.0, 1.0)]
    [InlineData(42L, 2.5, 0.5)]
    public void Samples_FollowTheNormalLaw_AndRepeatPerSeed(long dtype, double mean, double std)
    {
        var h = new OpHarness("gaussian_random").Output("Out").Attr("shape", new long[] { 200, 100 }).Attr("mean", mean).Attr("std", std).Attr("seed", 7L).Attr("dtype", dtype == 42L ? 5L : dtype);
        var a = h.Run1();
        var b = h.Run1();
        Assert.True(a.Bytes.SequenceEqual(b.Bytes), "same seed, same samples");
        var v = a.DataType == DataType.Float32 ? a.AsSpan<float>().ToArray().Select(x => (double)x).ToArray() : a.AsSpan<double>().ToArray();
        double m = v.Average(), s = Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / v.Length);
        // 20000 samples: the sample mean is within 5 standard errors (std/141), the sample std within 3%.
        Assert.InRange(m, mean - 5 * std / 141, mean + 5 * std / 141);
        Assert.InRange(s, std * 0.97, std * 1.03);
        var other = new OpHarness("gaussian_random").Output("Out").Attr("shape", new long[] { 200, 100 }).Attr("seed", 8L).Attr("dtype", 5L).Run1();
        Assert.False(other.Bytes.SequenceEqual(new OpHarness("gaussian_random").Output("Out").Attr("shape", new long[] { 200, 100 }).Attr("seed", 7L).Attr("dtype", 5L).Run1().Bytes));
    }
}

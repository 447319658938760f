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

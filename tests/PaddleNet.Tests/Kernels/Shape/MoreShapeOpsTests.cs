namespace PaddleNet.Tests.Kernels.Shape;

/// <summary>unbind, expand (v1), expand_as_v2, meshgrid, tril_triu, partial_concat, partial_sum against their numpy oracles.</summary>
public sealed class MoreShapeOpsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void Unbind_MatchesNumpyTakeAlongAxis(int axis)
    {
        int[] shape = [2, 3, 4];
        var x = OpHarness.Floats(new Random(2), shape);
        int a = axis < 0 ? axis + 3 : axis;
        var outs = new OpHarness("unbind").Input("X", x).Output("Out", shape[a]).Attr("axis", (long)axis).Run("Out");
        Assert.Equal(shape[a], outs.Length);
        var xs = x.AsSpan<float>().ToArray();
        for (long f = 0; f < xs.Length; f++)
        {
            var i = OpHarness.Unravel(f, shape);
            var rest = i.Where((_, d) => d != a).ToArray();
            var os = outs[i[a]];
            Assert.Equal(shape.Where((_, d) => d != a).ToArray(), os.Shape.ToArray());
            Assert.Equal(xs[f], os.AsSpan<float>()[(int)OpHarness.Ravel(rest, os.Shape)]);
        }
    }

    [Fact]
    public void ExpandV1_IsNumpyTile_AndExpandAs_Broadcasts()
    {
        var x = Tensor.FromSpan<int>([1, 2, 3, 4, 5, 6], [2, 3]);
        var t = new OpHarness("expand").Input("X", x).Output("Out").Attr("expand_times", new long[] { 2, 1 }).Run1();
        Assert.Equal(new[] { 4, 3 }, t.Shape.ToArray());
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6 }, t.AsSpan<int>().ToArray());
        var v = Tensor.FromSpan<int>([7, 8, 9], [1, 3]);
        var target = new Tensor(DataType.Float32, [2, 2, 3]);
        var e = new OpHarness("expand_as_v2").Input("X", v).Input("Y", target).Output("Out").Run1();
        Assert.Equal(new[] { 2, 2, 3 }, e.Shape.ToArray());
        Assert.Equal(Enumerable.Repeat(new[] { 7, 8, 9 }, 4).SelectMany(r => r).ToArray(), e.AsSpan<int>().ToArray());
        var byAttr = new OpHarness("expand_as_v2").Input("X", v).Output("Out").Attr("target_shape", new long[] { 2, 3 }).Run1();
        Assert.Equal(new[] { 7, 8, 9, 7, 8, 9 }, byAttr.AsSpan<int>().ToArray());
        var bad = new OpHarness("expand_as_v2").Input("X", x).Output("Out").Attr("target_shape", new long[] { 2, 4 });
        Assert.Throws<ShapeMismatchException>(() => bad.Run1());
    }

    [Fact]
    public void Meshgrid_MatchesNumpyIjIndexing()
    {
        var a = Tensor.FromSpan<float>([1, 2, 3], [3]);
        var b = Tensor.FromSpan<float>([10, 20], [2]);
        var outs = new OpHarness("meshgrid").Input("X", a, b).Output("Out", 2).Run("Out");
        Assert.Equal(new[] { 3, 2 }, outs[0].Shape.ToArray());
        Assert.Equal(new float[] { 1, 1, 2, 2, 3, 3 }, outs[0].AsSpan<float>().ToArray());
        Assert.Equal(new float[] { 10, 20, 10, 20, 10, 20 }, outs[1].AsSpan<float>().ToArray());
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(true, -1)]
    [InlineData(false, 2)]
    [InlineData(false, -2)]
    public void TrilTriu_MatchesNumpyTrilTriu(bool lower, int diagonal)
    {
        int[] shape = [2, 3, 5];
        var x = OpHarness.Floats(new Random(4), shape);
        var y = new OpHarness("tril_triu").Input("X", x).Output("Out").Attr("lower", lower).Attr("diagonal", (long)diagonal).Run1();
        var xs = x.AsSpan<float>().ToArray();
        var ys = y.AsSpan<float>().ToArray();
        for (long f = 0; f < xs.Length; f++)
        {
            var i = OpHarness.Unravel(f, shape);
            bool keep = lower ? i[2] - i[1] <= diagonal : i[2] - i[1] >= diagonal;
            Assert.Equal(keep ? xs[f] : 0f, ys[f]);
        }
    }

    [Theory]
    [InlineData(0, -1)]
    [InlineData(1, 2)]
    [InlineData(-3, 2)]
    public void PartialConcatAndSum_MatchNumpySlices(int start, int length)
    {
        var rng = new Random(6);
        var a = OpHarness.Floats(rng, 3, 5);
        var b = OpHarness.Floats(rng, 3, 5);
        int st = start < 0 ? start + 5 : start, len = length < 0 ? 5 - st : length;
        var cat = new OpHarness("partial_concat").Input("X", a, b).Output("Out").Attr("start_index", (long)start).Attr("length", (long)length).Run1();
        var sum = new OpHarness("partial_sum").Input("X", a, b).Output("Out").Attr("start_index", (long)start).Attr("length", (long)length).Run1();
        Assert.Equal(new[] { 3, 2 * len }, cat.Shape.ToArray());
        Assert.Equal(new[] { 3, len }, sum.Shape.ToArray());
        var av = a.AsSpan<float>().ToArray();
        var bv = b.AsSpan<float>().ToArray();
        for (int r = 0; r < 3; r++)
        {
            for (int j = 0; j < len; j++)
            {
                Assert.Equal(av[r * 5 + st + j], cat.AsSpan<float>()[r * 2 * len + j]);
                Assert.Equal(bv[r * 5 + st + j], cat.AsSpan<float>()[r * 2 * len + len + j]);
                Assert.Equal(av[r * 5 + st + j] + bv[r * 5 + st + j], sum.AsSpan<float>()[r * len + j]);
            }
        }
    }
}

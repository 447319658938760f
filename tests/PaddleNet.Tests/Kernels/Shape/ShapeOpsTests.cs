using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Shape;

public sealed class ShapeOpsTests
{
    private static readonly Tensor X234 = Tensor.FromSpan<float>(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), [2, 3, 4]);

    [Fact]
    public void Shape_Undeclared_IsInt32()
    {
        var y = new OpHarness("shape").Input("Input", X234).Output("Out").Run1();
        Assert.Equal(DataType.Int32, y.DataType);
        Assert.Equal(new[] { 2, 3, 4 }, y.AsSpan<int>().ToArray());
    }

    [Fact]
    public void Shape_DeclaredInt64_IsInt64()
    {
        var y = new OpHarness("shape").Input("Input", X234).Output("Out", declared: DataType.Int64).Run1();
        Assert.Equal(DataType.Int64, y.DataType);
        Assert.Equal(new long[] { 2, 3, 4 }, y.AsSpan<long>().ToArray());
    }

    [Fact]
    public void Reshape2_ShapeTensorListBeatsShapeAndAttr_ZeroCopiesAndMinusOneInfers()
    {
        var y = new OpHarness("reshape2").Input("X", X234).Input("Shape", OpHarness.Longs(24))
            .Input("ShapeTensor", OpHarness.Longs(0), OpHarness.Longs(-1)).Output("Out").Attr("shape", new long[] { 4, 6 }).Run1();
        Assert.Equal(new[] { 2, 12 }, y.Shape.ToArray());
        Assert.Equal(X234.AsSpan<float>().ToArray(), y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void Reshape2_BadElementCount_Throws()
    {
        Assert.Throws<ShapeMismatchException>(() => new OpHarness("reshape2").Input("X", X234).Output("Out").Attr("shape", new long[] { 5, -1 }).Run1());
    }

    [Theory]
    [InlineData(new long[] { 0, -1 }, new[] { 1, 2, 3, 4, 1 })]
    [InlineData(new long[] { -1, 0 }, new[] { 1, 2, 3, 4, 1 })]
    [InlineData(new long[] { 1, 1 }, new[] { 2, 1, 1, 3, 4 })]
    [InlineData(new long[] { 3 }, new[] { 2, 3, 4, 1 })]
    public void Unsqueeze2_Axes_FollowPaddleRule(long[] axes, int[] expected)
    {
        var y = new OpHarness("unsqueeze2").Input("X", X234).Output("Out").Attr("axes", axes).Run1();
        Assert.Equal(expected, y.Shape.ToArray());
    }

    [Fact]
    public void Squeeze2_ListedNonUnitDim_IsKept()
    {
        var x = Tensor.FromSpan<float>(new float[6], [1, 2, 1, 3]);
        Assert.Equal(new[] { 2, 1, 3 }, new OpHarness("squeeze2").Input("X", x).Output("Out").Attr("axes", new long[] { 0, 1 }).Run1().Shape.ToArray());
        Assert.Equal(new[] { 2, 3 }, new OpHarness("squeeze2").Input("X", x).Output("Out").Attr("axes", Array.Empty<long>()).Run1().Shape.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void ConcatThenSplit_RoundTrips(int axis)
    {
        var rng = new Random(42);
        int a = axis < 0 ? axis + 3 : axis;
        int[] sizes = [1, 7, 8, 9];
        var parts = sizes.Select(s => { int[] sh = [2, 3, 5]; sh[a] = s; return OpHarness.Floats(rng, sh); }).ToArray();
        var cat = new OpHarness("concat").Input("X", parts).Output("Out").Attr("axis", (long)axis).Run1();
        Assert.Equal(25, cat.Shape[a]);
        var split = new OpHarness("split").Input("X", cat).Output("Out", 4).Attr("axis", (long)axis).Attr("num", 0L).Attr("sections", new long[] { 1, 7, -1, 9 }).Run();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(parts[i].Shape.ToArray(), split[i].Shape.ToArray());
            Assert.Equal(parts[i].AsSpan<float>().ToArray(), split[i].AsSpan<float>().ToArray());
        }
    }

    [Fact]
    public void StackThenUnstack_RoundTrips()
    {
        var rng = new Random(42);
        var parts = Enumerable.Range(0, 3).Select(_ => OpHarness.Floats(rng, 4, 17)).ToArray();
        var st = new OpHarness("stack").Input("X", parts).Output("Y").Attr("axis", 1L).Run1("Y");
        Assert.Equal(new[] { 4, 3, 17 }, st.Shape.ToArray());
        Assert.Equal(parts[2].AsSpan<float>()[17], st.AsSpan<float>()[3 * 17 + 2 * 17]);
        var un = new OpHarness("unstack").Input("X", st).Output("Y", 3).Attr("axis", 1L).Run("Y");
        for (int i = 0; i < 3; i++) Assert.Equal(parts[i].AsSpan<float>().ToArray(), un[i].AsSpan<float>().ToArray());
    }

    [Fact]
    public void Tile_And_ExpandV2_MatchBroadcastIndexing()
    {
        var rng = new Random(42);
        var x = OpHarness.Floats(rng, 3, 1, 5);
        var tiled = new OpHarness("tile").Input("X", x).Output("Out").Attr("repeat_times", new long[] { 2, 1, 4, 3 }).Run1();
        Assert.Equal(new[] { 2, 3, 4, 15 }, tiled.Shape.ToArray());
        var expanded = new OpHarness("expand_v2").Input("X", x).Output("Out").Attr("shape", new long[] { 2, -1, 4, 5 }).Run1();
        Assert.Equal(new[] { 2, 3, 4, 5 }, expanded.Shape.ToArray());
        var xs = x.AsSpan<float>();
        for (long f = 0; f < tiled.ElementCount; f++)
        {
            var i = OpHarness.Unravel(f, tiled.Shape);
            Assert.Equal(xs[i[1] * 5 + i[3] % 5], tiled.AsSpan<float>()[(int)f]);
        }
        for (long f = 0; f < expanded.ElementCount; f++)
        {
            var i = OpHarness.Unravel(f, expanded.Shape);
            Assert.Equal(xs[i[1] * 5 + i[3]], expanded.AsSpan<float>()[(int)f]);
        }
    }

    [Fact]
    public void Gather_IndexSelect_GatherNd_PickRows()
    {
        var idx = Tensor.FromSpan<int>([2, 0, -1], [3]);
        var g = new OpHarness("gather").Input("X", X234).Input("Index", idx).Output("Out").Attr("axis", 1L).Run1();
        Assert.Equal(new[] { 2, 3, 4 }, g.Shape.ToArray());
        Assert.Equal(new float[] { 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11 }, g.AsSpan<float>()[..12].ToArray());
        var s = new OpHarness("index_select").Input("X", X234).Input("Index", Tensor.FromSpan<long>([3, 0], [2])).Output("Out").Attr("dim", 2L).Run1();
        Assert.Equal(new float[] { 3, 0, 7, 4 }, s.AsSpan<float>()[..4].ToArray());
        var nd = new OpHarness("gather_nd").Input("X", X234).Input("Index", Tensor.FromSpan<long>([1, 2, 0, 1], [2, 2])).Output("Out").Run1();
        Assert.Equal(new[] { 2, 4 }, nd.Shape.ToArray());
        Assert.Equal(new float[] { 20, 21, 22, 23, 4, 5, 6, 7 }, nd.AsSpan<float>().ToArray());
        Assert.Throws<ShapeMismatchException>(() => new OpHarness("gather").Input("X", X234).Input("Index", Tensor.FromSpan<int>([3], [1])).Output("Out").Attr("axis", 1L).Run1());
    }

    [Fact]
    public void Flip_Pad_ShuffleChannel_SmallCases()
    {
        var f = new OpHarness("flip").Input("X", X234).Output("Out").Attr("axis", new long[] { 0, -1 }).Run1();
        Assert.Equal(new float[] { 15, 14, 13, 12 }, f.AsSpan<float>()[..4].ToArray());
        var x = Tensor.FromSpan<int>([1, 2, 3, 4], [2, 2]);
        var p = new OpHarness("pad").Input("X", x).Output("Out").Attr("paddings", new long[] { 1, 0, 0, 2 }).Attr("pad_value", 9.0).Run1();
        Assert.Equal(new[] { 9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9 }, p.AsSpan<int>().ToArray());
        var c = Tensor.FromSpan<float>([0, 1, 2, 3, 4, 5], [1, 6, 1, 1]);
        var sc = new OpHarness("shuffle_channel").Input("X", c).Output("Out").Attr("group", 2L).Run1();
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, sc.AsSpan<float>().ToArray());
    }
}

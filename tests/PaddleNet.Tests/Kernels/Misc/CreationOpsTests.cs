using PaddleNet.Runtime;
using PaddleNet.Tests.Kernels.Shape;

namespace PaddleNet.Tests.Kernels.Misc;

public sealed class CreationOpsTests
{
    [Fact]
    public void FillConstant_ShapeTensorAndStrValue_Win()
    {
        var y = new OpHarness("fill_constant").Input("ShapeTensor", OpHarness.Longs(2, 3)).Output("Out")
            .Attr("shape", new long[] { 5 }).Attr("dtype", 5L).Attr("value", 1.0).Attr("str_value", "0.75").Run1();
        Assert.Equal(new[] { 2, 3 }, y.Shape.ToArray());
        Assert.All(y.AsSpan<float>().ToArray(), v => Assert.Equal(0.75f, v));
    }

    [Fact]
    public void FillConstant_Int64StrValue_IsExact()
    {
        var y = new OpHarness("fill_constant").Output("Out").Attr("shape", new long[] { 2 }).Attr("dtype", 3L).Attr("str_value", "9007199254740993").Run1();
        Assert.Equal(new[] { 9007199254740993L, 9007199254740993L }, y.AsSpan<long>().ToArray());
    }

    [Fact]
    public void FillConstant_ValueTensor_BeatsAttributes()
    {
        var y = new OpHarness("fill_constant").Input("ValueTensor", Tensor.FromSpan<float>([2.5f], [1])).Output("Out")
            .Attr("shape", new long[] { 3 }).Attr("dtype", 2L).Attr("value", 1.0).Run1();
        Assert.Equal(new[] { 2, 2, 2 }, y.AsSpan<int>().ToArray());
    }

    [Fact]
    public void FillAnyLike_DtypeMinusOne_KeepsInputType()
    {
        var x = Tensor.FromSpan<int>([1, 2, 3], [3]);
        var y = new OpHarness("fill_any_like").Input("X", x).Output("Out").Attr("value", 4.0).Attr("dtype", -1L).Run1();
        Assert.Equal(DataType.Int32, y.DataType);
        Assert.Equal(new[] { 4, 4, 4 }, y.AsSpan<int>().ToArray());
    }

    [Fact]
    public void AssignValue_Int64AndFloat_Values()
    {
        var a = new OpHarness("assign_value").Output("Out").Attr("shape", new long[] { 2, 2 }).Attr("dtype", 3L).Attr("int64_values", new long[] { 1, -2, 3, 1L << 40 }).Run1();
        Assert.Equal(new[] { 1L, -2, 3, 1L << 40 }, a.AsSpan<long>().ToArray());
        var f = new OpHarness("assign_value").Output("Out").Attr("shape", new long[] { 3 }).Attr("dtype", 5L).Attr("fp32_values", new[] { 0.5, -1.25, 3.0 }).Run1();
        Assert.Equal(new[] { 0.5f, -1.25f, 3f }, f.AsSpan<float>().ToArray());
    }

    [Theory]
    [InlineData(0, 10, 3, new long[] { 0, 3, 6, 9 })]
    [InlineData(5, -2, -2, new long[] { 5, 3, 1, -1 })]
    [InlineData(3, 3, 1, new long[0])]
    public void Range_Int64_LengthAndValues(long start, long end, long step, long[] expected)
    {
        var y = new OpHarness("range").Input("Start", OpHarness.Longs(start)).Input("End", OpHarness.Longs(end)).Input("Step", OpHarness.Longs(step)).Output("Out").Run1();
        Assert.Equal(expected, y.AsSpan<long>().ToArray());
    }

    [Fact]
    public void Range_Float_AccumulatesLikePaddle()
    {
        static Tensor F(float v) => Tensor.FromSpan<float>([v], [1]);
        var y = new OpHarness("range").Input("Start", F(0.1f)).Input("End", F(1f)).Input("Step", F(0.3f)).Output("Out").Run1();
        float v = 0.1f;
        var expected = new float[3];
        for (int i = 0; i < 3; i++, v += 0.3f) expected[i] = v;
        Assert.Equal(expected, y.AsSpan<float>().ToArray());
    }
}

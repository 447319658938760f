using PaddleNet.Kernels.Reductions;
using PaddleNet.Tests.Support;
using static PaddleNet.Tests.Kernels.Reductions.ReductionsHarness;

namespace PaddleNet.Tests.Kernels.Reductions;

public sealed class ReduceTests
{
    public static TheoryData<int> Lengths => [0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 100, 257];

    private static float[] Reference<TOp>(float[] x, int[] shape, int mask) where TOp : IReducer<float>
    {
        long n = 1;
        for (int d = 0; d < shape.Length; d++) if (((mask >> d) & 1) == 0) n *= shape[d];
        var y = new float[n];
        long count = 1;
        for (int d = 0; d < shape.Length; d++) if (((mask >> d) & 1) != 0) count *= shape[d];
        if (x.Length == 0) { Array.Fill(y, TOp.Finish(TOp.Identity, count)); return y; }
        ReduceEngine.Generic<float, TOp>(x, shape, mask, y, count);
        return y;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ReduceSumMean_LastAxisParallel_MatchesScalarReference(int len)
    {
        var rng = new Random(42);
        int[] shape = [5, len];
        var x = RandomFloats(rng, 5 * len);
        foreach (var (op, refY) in new[] { ("reduce_sum", Reference<SumF>(x, shape, 2)), ("reduce_mean", Reference<MeanF>(x, shape, 2)) })
        {
            var y = Run(op, a => { a.Set("dim", new long[] { -1 }); a.Set("keep_dim", false); }, [("X", F(x, shape))], ["Out"], threads: 2)[0];
            Assert.Equal([5], y.Shape.ToArray());
            if (len == 0 && op == "reduce_mean") Assert.All(y.AsSpan<float>().ToArray(), v => Assert.True(float.IsNaN(v)));
            else TensorAssert.Close(F(refY, 5), y, ReductionsTolerances.FastVsReferenceAbs, ReductionsTolerances.FastVsReferenceRel, $"{op} len {len}");
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ReduceMaxMinProd_LastAxisParallel_EqualsScalarReferenceExactly(int len)
    {
        var rng = new Random(42);
        int[] shape = [3, len];
        var x = RandomFloats(rng, 3 * len);
        foreach (var (op, refY) in new[] { ("reduce_max", Reference<MaxF>(x, shape, 2)), ("reduce_min", Reference<MinF>(x, shape, 2)), ("reduce_prod", Reference<ProdF>(x, shape, 2)) })
        {
            var y = Run(op, a => a.Set("dim", new long[] { 1 }), [("X", F(x, shape))], ["Out"], threads: 2)[0];
            Assert.Equal(refY, y.AsSpan<float>().ToArray());
        }
    }

    [Theory]
    [InlineData(new long[] { 0, 2 }, false)]
    [InlineData(new long[] { 1, 3 }, true)]
    [InlineData(new long[] { 1, 2 }, false)]
    [InlineData(new long[] { 0 }, true)]
    [InlineData(new long[] { -3, -2 }, true)]
    public void ReduceSum_AnyAxes_MatchesGenericReference(long[] dims, bool keep)
    {
        var rng = new Random(42);
        int[] shape = [3, 4, 5, 7];
        var x = RandomFloats(rng, 3 * 4 * 5 * 7);
        int mask = 0;
        foreach (var d in dims) mask |= 1 << (int)(d < 0 ? d + 4 : d);
        var y = Run("reduce_sum", a => { a.Set("dim", dims); a.Set("keep_dim", keep); }, [("X", F(x, shape))], ["Out"], threads: 2)[0];
        var expShape = Enumerable.Range(0, 4).Where(d => keep || ((mask >> d) & 1) == 0).Select(d => ((mask >> d) & 1) != 0 ? 1 : shape[d]).ToArray();
        Assert.Equal(expShape, y.Shape.ToArray());
        TensorAssert.Close(F(Reference<SumF>(x, shape, mask), expShape), y, ReductionsTolerances.FastVsReferenceAbs, ReductionsTolerances.FastVsReferenceRel, "reduce_sum");
    }

    [Fact]
    public void ReduceAll_IgnoresDim_GivesZeroD()
    {
        var y = Run("reduce_sum", a => { a.Set("dim", new long[] { 0 }); a.Set("reduce_all", true); }, [("X", F([1, 2, 3, 4, 5, 6], 2, 3))], ["Out"])[0];
        Assert.Empty(y.Shape.ToArray());
        Assert.Equal(21f, y.AsSpan<float>()[0]);
    }

    [Fact]
    public void ReduceMax_SignedZeroTies_KeepsLast()
    {
        var y = Run("reduce_max", a => a.Set("dim", new long[] { 1 }), [("X", F([0f, -0f, -0f, 0f, -1f, -0f], 3, 2))], ["Out"])[0].AsSpan<float>();
        Assert.True(float.IsNegative(y[0]));
        Assert.False(float.IsNegative(y[1]));
        Assert.True(float.IsNegative(y[2]) && y[2] == 0f);
    }

    [Fact]
    public void ReduceAny_PirAxisAttribute_ReducesOnlyThatAxis()
    {
        var x = Tensor.FromSpan<bool>([false, false, true, false, false, false], [2, 3]);
        var y = Run("reduce_any", a => { a.Set("axis", new long[] { 1 }); a.Set("reduce_all", true); }, [("X", x)], ["Out"])[0];
        Assert.Equal([2], y.Shape.ToArray());
        Assert.Equal([(byte)1, (byte)0], y.Bytes.ToArray());
    }

    [Fact]
    public void ReduceSum_Int64_SumsExactly()
    {
        var x = Tensor.FromSpan<long>([long.MaxValue / 2, 1, 2, -5], [2, 2]);
        var y = Run("reduce_sum", a => a.Set("dim", new long[] { 1 }), [("X", x)], ["Out"])[0];
        Assert.Equal([long.MaxValue / 2 + 1, -3L], y.AsSpan<long>().ToArray());
    }
}

public sealed class ArgAndCumSumTests
{
    [Fact]
    public void ArgMin_Ties_GiveFirstIndex()
    {
        var y = Run("arg_min", a => { a.Set("axis", 1L); a.Set("dtype", 3L); }, [("X", F([2, 1, 1, 3, 3, 3], 2, 3))], ["Out"])[0];
        Assert.Equal([1L, 0L], y.AsSpan<long>().ToArray());
    }

    [Fact]
    public void ArgMax_FlattenInt32_GivesZeroDInt32()
    {
        var y = Run("arg_max", a => { a.Set("axis", 0L); a.Set("flatten", true); a.Set("dtype", 2L); }, [("X", F([2, 9, 1, 9], 2, 2))], ["Out"])[0];
        Assert.Empty(y.Shape.ToArray());
        Assert.Equal(1, y.AsSpan<int>()[0]);
    }

    [Fact]
    public void CumSum_ExclusiveReverse_ShiftsFromTheEnd()
    {
        var y = Run("cumsum", a => { a.Set("axis", -1L); a.Set("exclusive", true); a.Set("reverse", true); }, [("X", F([1, 2, 3, 4, 5, 6], 2, 3))], ["Out"])[0];
        Assert.Equal([5f, 3f, 0f, 11f, 6f, 0f], y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void CumSum_Flatten_GivesOneD()
    {
        var y = Run("cumsum", a => { a.Set("axis", 0L); a.Set("flatten", true); }, [("X", F([1, 2, 3, 4], 2, 2))], ["Out"])[0];
        Assert.Equal([4], y.Shape.ToArray());
        Assert.Equal([1f, 3f, 6f, 10f], y.AsSpan<float>().ToArray());
    }
}

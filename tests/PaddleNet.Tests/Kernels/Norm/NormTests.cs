using PaddleNet.Kernels.Norm;
using PaddleNet.Tests.Kernels.Reductions;
using PaddleNet.Tests.Support;
using static PaddleNet.Tests.Kernels.Reductions.ReductionsHarness;

namespace PaddleNet.Tests.Kernels.Norm;

public sealed class BatchNormTests
{
    [Theory]
    [InlineData(2, 3, 1)]
    [InlineData(1, 5, 7)]
    [InlineData(2, 3, 8)]
    [InlineData(3, 1, 9)]
    [InlineData(1, 7, 15)]
    [InlineData(2, 5, 16)]
    [InlineData(2, 3, 17)]
    [InlineData(1, 3, 33)]
    [InlineData(2, 9, 257)]
    public void BatchNorm_ParallelSimd_MatchesScalarReference(int n, int c, int inner)
    {
        var rng = new Random(42);
        var x = RandomFloats(rng, n * c * inner, -3, 3);
        var scale = RandomFloats(rng, c);
        var bias = RandomFloats(rng, c);
        var mean = RandomFloats(rng, c);
        var var = RandomFloats(rng, c, 0.1f, 2f);
        var y = Run("batch_norm", a => { a.Set("epsilon", 1e-5); a.Set("is_test", true); a.Set("data_layout", "NCHW"); },
            [("X", F(x, n, c, inner)), ("Scale", F(scale, c)), ("Bias", F(bias, c)), ("Mean", F(mean, c)), ("Variance", F(var, c))], ["Y"], threads: 2)[0];
        var expected = new float[x.Length];
        BatchNormKernel.Reference(x, expected, scale, bias, mean, var, 1e-5f, n, c, inner);
        TensorAssert.Close(F(expected, n, c, inner), y, ReductionsTolerances.FastVsReferenceAbs, ReductionsTolerances.FastVsReferenceRel, "batch_norm");
    }

    [Fact]
    public void BatchNorm_Nhwc_EqualsNchwOfTranspose()
    {
        var rng = new Random(42);
        int n = 2, h = 3, w = 5, c = 3;
        var x = RandomFloats(rng, n * h * w * c);
        var p = RandomFloats(rng, 4 * c, 0.5f, 1.5f);
        (string, Tensor)[] Params() => [("Scale", F(p[..c], c)), ("Bias", F(p[c..(2 * c)], c)), ("Mean", F(p[(2 * c)..(3 * c)], c)), ("Variance", F(p[(3 * c)..], c))];
        var yh = Run("batch_norm", a => a.Set("data_layout", "NHWC"), [("X", F(x, n, h, w, c)), .. Params()], ["Y"])[0].AsSpan<float>().ToArray();
        var xc = new float[x.Length];
        for (int i = 0; i < n; i++) for (int k = 0; k < h * w; k++) for (int ch = 0; ch < c; ch++) xc[(i * c + ch) * h * w + k] = x[(i * h * w + k) * c + ch];
        var yc = Run("batch_norm", a => a.Set("data_layout", "NCHW"), [("X", F(xc, n, c, h, w)), .. Params()], ["Y"])[0].AsSpan<float>().ToArray();
        for (int i = 0; i < n; i++) for (int k = 0; k < h * w; k++) for (int ch = 0; ch < c; ch++)
            Assert.Equal(yc[(i * c + ch) * h * w + k], yh[(i * h * w + k) * c + ch], 5);
    }

    [Fact]
    public void BatchNorm_WrongScaleLength_Throws()
    {
        var x = F(new float[12], 1, 3, 4);
        Assert.Throws<ShapeMismatchException>(() => Run("batch_norm", _ => { },
            [("X", x), ("Scale", F(new float[2], 2)), ("Bias", F(new float[3], 3)), ("Mean", F(new float[3], 3)), ("Variance", F(new float[3], 3))], ["Y"]));
    }
}

public sealed class LayerNormTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(100)]
    [InlineData(768)]
    public void LayerNorm_ParallelSimd_MatchesScalarReference(int cols)
    {
        var rng = new Random(42);
        int rows = 7;
        var x = RandomFloats(rng, rows * cols, -2, 3);
        var scale = RandomFloats(rng, cols);
        var bias = RandomFloats(rng, cols);
        foreach (bool affine in new[] { true, false })
        {
            (string, Tensor)[] inputs = affine ? [("X", F(x, rows, cols)), ("Scale", F(scale, cols)), ("Bias", F(bias, cols))] : [("X", F(x, rows, cols))];
            var outs = Run("layer_norm", a => { a.Set("begin_norm_axis", 1L); a.Set("epsilon", 1e-5); }, inputs, ["Y", "Mean", "Variance"], threads: 2);
            var expected = new float[x.Length];
            LayerNormKernel.Reference(x, expected, affine ? scale : default, affine ? bias : default, rows, cols, 1e-5f);
            TensorAssert.Close(F(expected, rows, cols), outs[0], 1e-5, 1e-4, $"layer_norm cols {cols} affine {affine}");
            Assert.Equal([rows], outs[1].Shape.ToArray());
            Assert.Equal([rows], outs[2].Shape.ToArray());
            for (int r = 0; r < rows; r++)
            {
                Assert.Equal(x.Skip(r * cols).Take(cols).Average(), outs[1].AsSpan<float>()[r], 4);
            }
        }
    }
}

public sealed class GroupInstancePNormTests
{
    [Fact]
    public void GroupNorm_GroupsEqualChannels_EqualsInstanceNorm()
    {
        var rng = new Random(42);
        int n = 2, c = 5, hw = 13;
        var x = RandomFloats(rng, n * c * hw, -2, 2);
        var scale = RandomFloats(rng, c);
        var bias = RandomFloats(rng, c);
        (string, Tensor)[] inputs = [("X", F(x, n, c, 1, hw)), ("Scale", F(scale, c)), ("Bias", F(bias, c))];
        var g = Run("group_norm", a => { a.Set("groups", (long)c); a.Set("epsilon", 1e-5); }, inputs, ["Y"])[0];
        var i = Run("instance_norm", a => a.Set("epsilon", 1e-5), inputs, ["Y"])[0];
        TensorAssert.Close(i, g, 1e-5, 1e-4, "group_norm(groups=C) vs instance_norm");
    }

    [Fact]
    public void GroupNorm_OneGroup_NormalisesWholeSample()
    {
        var x = F([1, 2, 3, 4, 5, 6, 7, 8], 1, 2, 2, 2);
        var y = Run("group_norm", a => { a.Set("groups", 1L); a.Set("epsilon", 0.0); }, [("X", x)], ["Y"])[0].AsSpan<float>().ToArray();
        Assert.Equal(0f, y.Sum(), 4);
        Assert.Equal(1f, y.Select(v => v * v).Average(), 4);
    }

    [Theory]
    [InlineData(double.PositiveInfinity, 4f)]
    [InlineData(double.NegativeInfinity, 0f)]
    [InlineData(0.0, 3f)]
    [InlineData(1.0, 9f)]
    [InlineData(2.0, 5.3851648f)]
    public void PNorm_Orders_MatchDefinition(double p, float expected)
    {
        var y = Run("p_norm", a => { a.Set("porder", p); a.Set("axis", -1L); a.Set("asvector", true); a.Set("keepdim", true); },
            [("X", F([3, -4, 0, 2], 2, 2))], ["Out"])[0];
        Assert.Equal([1, 1], y.Shape.ToArray());
        Assert.Equal(expected, y.AsSpan<float>()[0], 5);
    }

    [Fact]
    public void Norm_L2Normalize_WritesNorm()
    {
        var outs = Run("norm", a => { a.Set("axis", 1L); a.Set("epsilon", 0.0); }, [("X", F([3, 4, 6, 8], 1, 2, 2))], ["Out", "Norm"]);
        Assert.Equal([1, 1, 2], outs[1].Shape.ToArray());
        float[] expected = [3f / 6.7082039f, 4f / 8.944272f, 6f / 6.7082039f, 8f / 8.944272f];
        var y = outs[0].AsSpan<float>().ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], y[i], 5);
        Assert.Equal(6.7082039f, outs[1].AsSpan<float>()[0], 5);
    }
}

using PaddleNet.Kernels.Nn;

namespace PaddleNet.Tests.Kernels.Nn;

public sealed class Conv2DTests
{
    public static TheoryData<int, int, int, int, int, int, int> Cases()
    {
        // c, m, width, k, stride, groups, dilation
        var d = new TheoryData<int, int, int, int, int, int, int>();
        foreach (var (c, m) in new[] { (3, 13), (13, 24), (24, 24) })
        {
            foreach (var width in new[] { 1, 7, 9, 17 })
            {
                foreach (var stride in new[] { 1, 2 })
                {
                    d.Add(c, m, width, 3, stride, 1, 1);
                    d.Add(c, m, width, 1, stride, 1, 1);
                    if (c % 2 == 0 && m % 2 == 0) d.Add(c, m, width, 3, stride, 2, 1);
                    if (c == m) { d.Add(c, m, width, 3, stride, c, 1); d.Add(c, m, width, 5, stride, c, 1); d.Add(c, m, width, 3, stride, c, 2); }
                }
            }
        }
        d.Add(3, 6, 17, 3, 1, 3, 1); // depthwise multiplier 2
        d.Add(13, 16, 33, 3, 1, 1, 2);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Execute_OddShapes_MatchesReference(int c, int m, int width, int k, int stride, int groups, int dilation)
    {
        var r = new Random(42);
        int n = 2, h = width + 2, w = width;
        int pad = k / 2 * dilation;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * (c / groups) * k * k);
        var geo = ConvGeometry.Resolve(h, w, k, k, [stride, stride], [dilation, dilation], [pad, pad, pad, pad], PadAlgorithm.Explicit);
        int ho = geo.OutH(h), wo = geo.OutW(w);
        var expected = new float[n * m * ho * wo];
        Conv2DKernel.Reference(x, n, c, h, w, f, m, k, k, groups, geo, expected);
        foreach (bool constant in new[] { true, false })
        {
            var outs = NnHarness.Run(groups == c && groups > 1 ? "depthwise_conv2d" : "conv2d", a =>
            {
                a.Set("strides", new long[] { stride, stride });
                a.Set("paddings", new long[] { pad, pad });
                a.Set("dilations", new long[] { dilation, dilation });
                a.Set("groups", (long)groups);
                a.Set("padding_algorithm", "EXPLICIT");
            }, [("Input", Tensor.FromSpan<float>(x, [n, c, h, w]), false), ("Filter", Tensor.FromSpan<float>(f, [m, c / groups, k, k]), constant)], ["Output"]);
            Assert.Equal(new[] { n, m, ho, wo }, outs[0].Shape.ToArray());
            NnHarness.Close(expected, outs[0].AsSpan<float>(), $"conv c={c} m={m} w={width} k={k} s={stride} g={groups} d={dilation} const={constant}");
        }
    }

    /// <summary>A hostile padding far larger than the input (campaign pir seed 5, case 27158: paddings [65536, 1] on a
    /// 5x5 input): the output is the reference's (mostly zeros), with no read outside the input.</summary>
    [Theory]
    [InlineData(65536, 1)]
    [InlineData(1, 65536)]
    [InlineData(300, 2)]
    public void Execute_PaddingFarLargerThanInput_MatchesReference(int padH, int padW)
    {
        var r = new Random(27158);
        int n = 1, c = 3, h = 5, w = 5, m = 2, k = 3;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * c * k * k);
        var geo = ConvGeometry.Resolve(h, w, k, k, [1, 1], [1, 1], [padH, padH, padW, padW], PadAlgorithm.Explicit);
        int ho = geo.OutH(h), wo = geo.OutW(w);
        var expected = new float[n * m * ho * wo];
        Conv2DKernel.Reference(x, n, c, h, w, f, m, k, k, 1, geo, expected);
        var outs = NnHarness.Run("conv2d", a =>
        {
            a.Set("strides", new long[] { 1, 1 });
            a.Set("paddings", new long[] { padH, padW });
            a.Set("dilations", new long[] { 1, 1 });
            a.Set("groups", 1L);
            a.Set("padding_algorithm", "EXPLICIT");
        }, [("Input", Tensor.FromSpan<float>(x, [n, c, h, w]), false), ("Filter", Tensor.FromSpan<float>(f, [m, c, k, k]), true)], ["Output"]);
        Assert.Equal(new[] { n, m, ho, wo }, outs[0].Shape.ToArray());
        NnHarness.Close(expected, outs[0].AsSpan<float>(), $"conv pad [{padH}, {padW}]");
    }

    /// <summary>
    /// A negative pad (the mutation campaign's depthwise case: paddings [-2, 1], stride 2) is refused when the op is
    /// built: the direct kernels index as if pads were ≥ 0, and that case wrote outside the planes (a later case
    /// then crashed the process).
    /// </summary>
    [Theory]
    [InlineData("depthwise_conv2d", 4, 1)]
    [InlineData("conv2d", 4, 4)]
    public void Build_NegativePadding_IsRefused(string op, int c, int filterC)
    {
        var x = new float[1 * c * 11 * 9];
        var f = new float[4 * filterC * 3 * 3];
        var e = Assert.Throws<UnsupportedOperatorException>(() => NnHarness.Run(op, a =>
        {
            a.Set("strides", new long[] { 2, 2 });
            a.Set("paddings", new long[] { -2, 1 });
            a.Set("dilations", new long[] { 1, 1 });
            a.Set("groups", op == "conv2d" ? 1L : c);
            a.Set("padding_algorithm", "EXPLICIT");
        }, [("Input", Tensor.FromSpan<float>(x, [1, c, 11, 9]), false), ("Filter", Tensor.FromSpan<float>(f, [4, filterC, 3, 3]), true)], ["Output"]));
        Assert.Contains("paddings [-2, 1]", e.Message);
    }

    [Fact]
    public void Execute_ChannelMismatch_ThrowsShapeMismatch()
    {
        var x = new float[1 * 4 * 5 * 5];
        var f = new float[2 * 3 * 3 * 3];
        Assert.Throws<ShapeMismatchException>(() => NnHarness.Run("conv2d", a => a.Set("groups", 1L),
            [("Input", Tensor.FromSpan<float>(x, [1, 4, 5, 5]), false), ("Filter", Tensor.FromSpan<float>(f, [2, 3, 3, 3]), true)], ["Output"]));
    }

    /// <summary>
    /// The 1×1 conv's B panels packed channel row by channel row (every vector width, scalar included), with and without
    /// the fused input scale, over panel ranges not starting at 0: each element the input (times its channel's scale, one
    /// multiply) or zero past the plane, as written out here element by element. Planes hit every width's remainder.
    /// </summary>
    [Theory]
    [InlineData(1, 3)]
    [InlineData(4, 5)]
    [InlineData(15, 2)]
    [InlineData(17, 7)]
    [InlineData(33, 3)]
    [InlineData(49, 16)]
    [InlineData(64, 4)]
    [InlineData(196, 9)]
    public unsafe void Im2ColPanels_Pointwise_EachWidth_MatchesElementwise(int hw, int k)
    {
        var r = new Random(hw * 31 + k);
        var x = NnHarness.RandomFloats(r, k * hw);
        var scale = NnHarness.RandomFloats(r, k);
        var geo = ConvGeometry.Resolve(1, hw, 1, 1, [1, 1], [1, 1], [0, 0, 0, 0], PadAlgorithm.Explicit);
        int panels = Sgemm.Panels(hw), nr = Sgemm.NR;
        foreach (int bits in PaddleNet.Kernels.Simd.Widths())
        {
            foreach (bool scaled in new[] { false, true })
            {
                for (int jb0 = 0; jb0 < panels; jb0++)
                {
                    int count = panels - jb0;
                    var actual = new float[count * nr * k + 16];
                    Array.Fill(actual, float.NaN);
                    fixed (float* px = x) fixed (float* ps = scale) fixed (float* pd = actual)
                    {
                        Conv2DKernel.Im2ColPanels(px, geo, k, 1, hw, hw, hw, jb0, panels, pd, scaled ? ps : null, bits);
                    }
                    for (int j = 0; j < count; j++)
                    {
                        for (int kk = 0; kk < k; kk++)
                        {
                            for (int q = 0; q < nr; q++)
                            {
                                int col = (jb0 + j) * nr + q;
                                float want = col < hw ? (scaled ? x[kk * hw + col] * scale[kk] : x[kk * hw + col]) : 0f;
                                float got = actual[(j * k + kk) * nr + q];
                                Assert.True(BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(got), $"hw {hw} k {k} width {bits} scaled {scaled} panels [{jb0}, {panels}): panel {j} row {kk} col {q}: {got} vs {want}");
                            }
                        }
                    }
                    Assert.All(actual.AsSpan(count * nr * k).ToArray(), v => Assert.True(float.IsNaN(v), "written past the panels"));
                }
            }
        }
    }
}

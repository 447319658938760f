using PaddleNet.Kernels.Nn;
using PaddleNet.Runtime;
using PaddleNet.Model;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>
/// The direct few-input-channel conv (<see cref="SmallInputConv"/>, the RGB stem): bit-identical to the im2col + GEMM path it
/// replaces at every vector width (bias + hard_swish epilogue included), and within the reference kernel's tolerance at every
/// width including scalar; shapes hit every vector remainder, every output-channel remainder of the four-channel groups,
/// strides 1–3, dilation, asymmetric pads and several row strips per image.
/// </summary>
public sealed unsafe class SmallInputConvTests
{
    public static TheoryData<int, int, int, int, int, int, int> Cases()
    {
        // input channels, out channels, k, stride, dilation, pad, width
        var d = new TheoryData<int, int, int, int, int, int, int>();
        foreach (var (c, m) in new[] { (3, 16), (1, 5), (4, 7), (2, 3), (3, 1), (3, 12), (3, 13) }) // 12, 13: an 8-channel block, then 4 (and 1)
        {
            foreach (var (k, s, dil, pad) in new[] { (3, 2, 1, 1), (3, 1, 1, 1), (5, 2, 1, 2), (3, 3, 1, 0), (3, 1, 2, 2), (3, 2, 1, 0) })
            {
                foreach (var width in new[] { 29, 31, 40, 67 })
                {
                    d.Add(c, m, k, s, dil, pad, width);
                }
            }
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Direct_BitIdenticalToGemm_EveryWidth(int c, int m, int k, int s, int dil, int pad, int width)
    {
        var r = new Random(c * 1000 + m * 100 + k * 10 + width);
        int n = 2, h = width + 5, w = width;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * c * k * k);
        var bias = NnHarness.RandomFloats(r, m);
        var geo = ConvGeometry.Resolve(h, w, k, k, [s, s], [dil, dil], [pad, Math.Max(0, pad - 1), pad, Math.Max(0, pad - 1)], PadAlgorithm.Explicit);
        int ho = geo.OutH(h), wo = geo.OutW(w);
        Assert.True(SmallInputConv.Applies(geo, c, 1, wo), $"c={c} k={k} wo={wo} should take the direct path");
        var expected = new float[n * m * ho * wo];
        Conv2DKernel.Reference(x, n, c, h, w, f, m, k, k, 1, geo, expected);
        var gemm = new float[expected.Length];
        var gemmEp = new float[expected.Length];
        using var pool = new IntraOpPool(2);
        fixed (float* px = x) fixed (float* pf = f) fixed (float* pb = bias) fixed (float* pg = gemm) fixed (float* pge = gemmEp)
        {
            var ep = new ConvEpilogue { Bias = pb, Act = FusedActivation.HardSwish };
            Conv2DKernel.RunGemm(pool, NnHarness.Scratch(pool.Threads), px, pf, pg, n, c, h, w, m, c, geo, ho, wo, 1, null);
            Conv2DKernel.RunGemm(pool, NnHarness.Scratch(pool.Threads), px, pf, pge, n, c, h, w, m, c, geo, ho, wo, 1, null, ep);
            foreach (var maxVector in new[] { 1, 4, 8, 16 })
            {
                var direct = new float[expected.Length];
                var directEp = new float[expected.Length];
                Array.Fill(direct, float.NaN);
                Array.Fill(directEp, float.NaN);
                fixed (float* pd = direct) fixed (float* pde = directEp)
                {
                    SmallInputConv.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, pd, n, c, h, w, m, geo, ho, wo, default, maxVector);
                    SmallInputConv.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, pde, n, c, h, w, m, geo, ho, wo, ep, maxVector);
                }
                string what = $"small-input conv c={c} m={m} k={k} s={s} d={dil} p={pad} w={width} v={maxVector}";
                NnHarness.Close(expected, direct, what);
                // Width 0 sums like the GEMM's scalar micro-kernel, which the GEMM only runs without SIMD.
                if (maxVector == 1 && PaddleNet.Kernels.Simd.BestWidth > 0) continue;
                Assert.True(gemm.Select(BitConverter.SingleToInt32Bits).SequenceEqual(direct.Select(BitConverter.SingleToInt32Bits)), $"{what}: not bit-identical to im2col + GEMM");
                Assert.True(gemmEp.Select(BitConverter.SingleToInt32Bits).SequenceEqual(directEp.Select(BitConverter.SingleToInt32Bits)), $"{what}: epilogue not bit-identical to im2col + GEMM");
            }
        }
    }

    /// <summary>Small strips (several per image, a short last one) give the same outputs as one strip per image.</summary>
    [Fact]
    public void Strips_SameAsOneStrip()
    {
        var r = new Random(5);
        int n = 1, c = 3, m = 6, h = 50, w = 45;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * c * 9);
        var geo = ConvGeometry.Resolve(h, w, 3, 3, [2, 2], [1, 1], [1, 1, 1, 1], PadAlgorithm.Explicit);
        int ho = geo.OutH(h), wo = geo.OutW(w);
        var gemm = new float[n * m * ho * wo];
        var direct = new float[gemm.Length];
        using var pool = new IntraOpPool(2);
        fixed (float* px = x) fixed (float* pf = f) fixed (float* pg = gemm) fixed (float* pd = direct)
        {
            Conv2DKernel.RunGemm(pool, NnHarness.Scratch(pool.Threads), px, pf, pg, n, c, h, w, m, c, geo, ho, wo, 1, null);
            // 6144 floats of 3·2·24 per padded row: 42 rows, 20 output rows per strip; 25 output rows → a strip of 20 and one of 5.
            Assert.True(ho > (6144 / (3 * 2 * 24) - 1) / 2, "needs more than one strip");
            SmallInputConv.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, pd, n, c, h, w, m, geo, ho, wo);
        }
        Assert.True(gemm.Select(BitConverter.SingleToInt32Bits).SequenceEqual(direct.Select(BitConverter.SingleToInt32Bits)), "strips differ from the GEMM path");
    }

    /// <summary>
    /// Through the conv2d operator (the kernel's dispatch, fused residual and relu as the graph passes set them): one and two
    /// threads give the same bits, and both the reference kernel's values.
    /// </summary>
    [Theory]
    [InlineData(3, 16, 2, 57)]
    [InlineData(4, 13, 1, 30)]
    public void Conv2DOperator_TakesTheDirectPath_OneAndTwoThreadsBitIdentical(int c, int m, int s, int width)
    {
        var r = new Random(c + m + width);
        int n = 2, h = width, w = width, k = 3;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * c * k * k);
        var bias = NnHarness.RandomFloats(r, m);
        var geo = ConvGeometry.Resolve(h, w, k, k, [s, s], [1, 1], [1, 1, 1, 1], PadAlgorithm.Explicit);
        int ho = geo.OutH(h), wo = geo.OutW(w);
        Assert.True(SmallInputConv.Applies(geo, c, 1, wo));
        var res = NnHarness.RandomFloats(r, n * m * ho * wo);
        (string, Tensor, bool)[] inputs =
        [
            ("Input", Tensor.FromSpan<float>(x, [n, c, h, w]), false),
            ("Filter", Tensor.FromSpan<float>(f, [m, c, k, k]), true),
            ("Bias", Tensor.FromSpan<float>(bias, [m]), true),
            (NnEpilogue.ResidualInput, Tensor.FromSpan<float>(res, [n, m, ho, wo]), false),
        ];
        void Attrs(AttributeMap a)
        {
            a.Set("strides", new long[] { s, s });
            a.Set("paddings", new long[] { 1, 1 });
            a.Set(NnEpilogue.FusedAttr, "relu");
        }
        var one = NnHarness.Run("conv2d", Attrs, inputs, ["Output"], threads: 1)[0].AsSpan<float>().ToArray();
        var two = NnHarness.Run("conv2d", Attrs, inputs, ["Output"], threads: 2)[0].AsSpan<float>().ToArray();
        var expected = new float[n * m * ho * wo];
        Conv2DKernel.Reference(x, n, c, h, w, f, m, k, k, 1, geo, expected);
        for (int i = 0; i < expected.Length; i++) expected[i] = MathF.Max(expected[i] + bias[i / (ho * wo) % m] + res[i], 0f);
        NnHarness.Close(expected, one, $"conv2d c={c} m={m} s={s} w={width}");
        Assert.Equal(one.Select(BitConverter.SingleToInt32Bits), two.Select(BitConverter.SingleToInt32Bits));
    }
}

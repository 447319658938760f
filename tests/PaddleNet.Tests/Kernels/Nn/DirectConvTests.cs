using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using PaddleNet.Kernels;
using PaddleNet.Kernels.Nn;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>
/// The direct dense conv at every vector width (scalar lanes included) against its scalar reference (bit-identical at
/// width 0) and the conv reference; bit-identical to the im2col + GEMM path it replaces (same FMA chain per output)
/// where the vector widths fuse; 1 and 2 threads bit-identical; an image alone bit-identical to the same image in a
/// batch; the fused epilogue bit-identical to the standalone bias + relu; and the conv2d kernel choosing the path.
/// </summary>
public sealed unsafe class DirectConvTests
{
    public static TheoryData<int, int, int, int, int, int, int, int, int, int> Cases()
    {
        // n, c, m, h, w, k (square), stride, pad, dilation, width bits
        var d = new TheoryData<int, int, int, int, int, int, int, int, int, int>();
        foreach (var bits in Simd.Widths()) // widths this process lacks run in the ISA-off reruns
        {
            d.Add(1, 16, 64, 7, 7, 3, 1, 1, 1, bits);     // 7×7 plane: tiles of 4 + 3 wrapping rows, one full panel
            d.Add(2, 19, 70, 14, 14, 3, 1, 1, 1, bits);   // odd channels, a 6-channel second panel, batch
            d.Add(1, 33, 40, 14, 14, 3, 2, 1, 1, bits);   // stride 2, 40 channels (quad + pair sub-panels below 512 bits)
            d.Add(1, 20, 19, 15, 15, 3, 1, 1, 1, bits);   // K = 180 past one k block, 225 pixels: two bands, pair only
            d.Add(2, 5, 33, 9, 4, 3, 1, 1, 1, bits);      // rows of 4 (tiles of 4), 33 channels
            d.Add(1, 7, 24, 11, 13, 5, 2, 2, 1, bits);    // 5×5 stride 2
            d.Add(1, 6, 17, 10, 12, 3, 1, 2, 2, bits);    // dilation 2
            d.Add(1, 3, 65, 1, 9, 3, 1, 1, 1, bits);      // one input row, three panels' worth of remainder
            d.Add(1, 8, 16, 6, 1, 3, 1, 1, 1, bits);      // one column: single-pixel tiles
            d.Add(1, 9, 29, 23, 30, 3, 2, 0, 1, bits);    // pad 0, stride 2, odd input size
            d.Add(1, 16, 32, 5, 23, 3, 1, 1, 1, bits);    // 32 channels (pair only), rows of 23: tiles of 12 + 11 at 512 bits
            d.Add(1, 12, 24, 4, 21, 3, 1, 1, 1, bits);    // rows of 21: tiles of 11 + 10 at 512 bits
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Run_EachWidth_MatchesReferencesAndGemm(int n, int c, int m, int h, int w, int k, int stride, int pad, int dil, int bits)
    {
        var r = new Random(n * 7919 + c * 131 + m * 17 + h * 5 + w + k + stride + pad + dil);
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * c * k * k);
        var bias = NnHarness.RandomFloats(r, m);
        var geo = ConvGeometry.Resolve(h, w, k, k, [stride, stride], [dil, dil], [pad, pad, pad, pad], PadAlgorithm.Explicit);
        int ho = geo.OutH(h), wo = geo.OutW(w), len = n * m * ho * wo, kk = c * k * k;
        var reference = new float[len];
        DirectConv.Reference(x, n, c, h, w, f, m, geo, reference);
        var defining = new float[len];
        Conv2DKernel.Reference(x, n, c, h, w, f, m, k, k, 1, geo, defining);
        var packed = DirectConv.PackFilter(f, m, kk);
        var outs = new float[4][];
        for (int t = 0; t < 2; t++)
        {
            using var pool = new IntraOpPool(t + 1);
            var scratch = NnHarness.Scratch(pool.Threads);
            outs[2 * t] = new float[len];
            outs[2 * t + 1] = new float[len];
            Array.Fill(outs[2 * t], float.NaN);
            Array.Fill(outs[2 * t + 1], float.NaN);
            fixed (float* px = x) fixed (float* pf = packed) fixed (float* pb = bias) fixed (float* p0 = outs[2 * t]) fixed (float* p1 = outs[2 * t + 1])
            {
                DirectConv.Run(pool, scratch, px, pf, p0, n, c, h, w, m, geo, ho, wo, default, bits);
                DirectConv.Run(pool, scratch, px, pf, p1, n, c, h, w, m, geo, ho, wo, new ConvEpilogue { Bias = pb, Act = FusedActivation.Relu }, bits);
            }
        }
        string what = $"direct n={n} c={c} m={m} {h}x{w} k={k} s={stride} p={pad} d={dil} bits={bits}";
        NnHarness.Close(defining, outs[0], what + " vs conv reference");
        if (bits == 0)
        {
            // Width 0 is the reference's own chain: multiply, then add.
            for (int i = 0; i < len; i++) Assert.Equal(BitConverter.SingleToInt32Bits(reference[i]), BitConverter.SingleToInt32Bits(outs[0][i]));
        }
        else
        {
            NnHarness.Close(reference, outs[0], what + " vs scalar reference");
            if ((Fma.IsSupported || AdvSimd.IsSupported) && Sgemm.BestPath != Sgemm.MicroPath.Scalar)
            {
                // Every width fuses here, as the GEMM does: the im2col path's outputs, bit for bit.
                var gemm = new float[len];
                using var pool = new IntraOpPool(1);
                fixed (float* px = x) fixed (float* pf = f) fixed (float* pg = gemm)
                {
                    Conv2DKernel.RunGemm(pool, NnHarness.Scratch(1), px, pf, pg, n, c, h, w, m, c, geo, ho, wo, 1, null);
                }
                for (int i = 0; i < len; i++) Assert.True(BitConverter.SingleToInt32Bits(gemm[i]) == BitConverter.SingleToInt32Bits(outs[0][i]), $"{what}: element {i}: {outs[0][i]} vs gemm {gemm[i]}");
            }
        }
        for (int i = 0; i < len; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(outs[0][i]), BitConverter.SingleToInt32Bits(outs[2][i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(outs[1][i]), BitConverter.SingleToInt32Bits(outs[3][i]));
            int o = i / (ho * wo) % m;
            float e = outs[0][i] + bias[o];
            Assert.Equal(BitConverter.SingleToInt32Bits(e > 0f ? e : 0f), BitConverter.SingleToInt32Bits(outs[1][i]));
        }
        if (n > 1)
        {
            // The last image alone: the same bits as in the batch.
            int img = n - 1, per = m * ho * wo;
            var alone = new float[per];
            using var pool = new IntraOpPool(2);
            fixed (float* px = x) fixed (float* pf = packed) fixed (float* pa = alone)
            {
                DirectConv.Run(pool, NnHarness.Scratch(2), px + img * c * h * w, pf, pa, 1, c, h, w, m, geo, ho, wo, default, bits);
            }
            for (int i = 0; i < per; i++) Assert.Equal(BitConverter.SingleToInt32Bits(outs[0][img * per + i]), BitConverter.SingleToInt32Bits(alone[i]));
        }
    }

    /// <summary>The conv2d kernel with a constant dense filter takes the direct path where it applies (else Winograd/im2col): all match the reference, with bias + relu fused.</summary>
    [Theory]
    [InlineData(1, 16, 24, 7, 7, 1, true)]     // 7×7 plane
    [InlineData(2, 32, 40, 28, 28, 2, true)]   // stride 2, batch
    [InlineData(1, 16, 16, 24, 24, 1, false)]  // 24 columns, stride 1: Winograd
    [InlineData(1, 16, 16, 40, 40, 2, true)]   // stride 2 on a large plane
    [InlineData(1, 16, 16, 30, 30, 1, false)]  // 30 columns, stride 1: Winograd
    [InlineData(1, 8, 16, 14, 14, 1, false)]   // too few input channels: im2col
    public void Conv2DKernel_ConstantFilter_MatchesReference(int n, int c, int m, int h, int w, int stride, bool direct)
    {
        var r = new Random(11);
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * c * 9);
        var bias = NnHarness.RandomFloats(r, m);
        var geo = ConvGeometry.Resolve(h, w, 3, 3, [stride, stride], [1, 1], [1, 1, 1, 1], PadAlgorithm.Explicit);
        int ho = geo.OutH(h), wo = geo.OutW(w);
        Assert.Equal(direct, DirectConv.Eligible(3, 3, 1) && DirectConv.Applies(geo, ho, wo, c, m, Winograd.Eligible(3, 3, [stride, stride], [1, 1], 1, c, m) && Winograd.Applies(geo, ho, wo, c, m)));
        var expected = new float[n * m * ho * wo];
        Conv2DKernel.Reference(x, n, c, h, w, f, m, 3, 3, 1, geo, expected);
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i] + bias[i / (ho * wo) % m];
            expected[i] = e > 0f ? e : 0f;
        }
        var outs = NnHarness.Run("conv2d", a =>
        {
            a.Set("strides", new long[] { stride, stride });
            a.Set("paddings", new long[] { 1, 1 });
            a.Set("dilations", new long[] { 1, 1 });
            a.Set("groups", 1L);
            a.Set("with_act", true);
            a.Set("act_type", "relu");
        }, [("Input", Tensor.FromSpan<float>(x, [n, c, h, w]), false), ("Filter", Tensor.FromSpan<float>(f, [m, c, 3, 3]), true), ("Bias", Tensor.FromSpan<float>(bias, [m]), true)], ["Output"]);
        var got = outs[0].AsSpan<float>();
        // Winograd's transforms round differently from a direct sum (its own tolerance, see WinogradTests).
        double slack = direct ? 0 : NnTolerances.WinogradAbsPerChannel * c;
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = NnTolerances.SumAbs + slack + NnTolerances.SumRel * Math.Abs(expected[i]);
            Assert.True(Math.Abs(expected[i] - got[i]) <= tol, $"conv2d n={n} c={c} m={m} {h}x{w} s={stride}: element {i}: {got[i]} vs reference {expected[i]}");
        }
    }
}

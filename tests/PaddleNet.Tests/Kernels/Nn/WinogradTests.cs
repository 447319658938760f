using PaddleNet.Kernels;
using PaddleNet.Kernels.Nn;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>
/// Winograd F(4,3) at every vector width (scalar lanes included) against the direct reference conv and the
/// scalar double-precision Winograd reference; 1 and 2 threads bit-identical; the fused epilogue bit-identical to
/// applying it afterwards; and the conv2d kernel choosing the path at load.
/// </summary>
public sealed unsafe class WinogradTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Cases()
    {
        // n, c, m, h, w, pad (top/left; bottom/right one less where possible), width bits, chunk panels
        var d = new TheoryData<int, int, int, int, int, int, int, int>();
        foreach (var bits in Simd.Widths()) // widths this process lacks run in the ISA-off reruns
        {
            d.Add(1, 16, 16, 8, 8, 1, bits, 1);     // tiles fill exactly
            d.Add(2, 17, 19, 13, 11, 1, bits, 1);   // odd channels, planes not multiples of 4, batch
            d.Add(1, 3, 5, 23, 37, 0, bits, 1);     // pad 0, 9 tiles per row: lanes straddle panels
            d.Add(3, 5, 7, 19, 21, 2, bits, 1);     // pad 2 (output larger than input), chunks across images
            d.Add(1, 9, 33, 6, 70, 1, bits, 2);     // one tile row of 18 tiles, two-panel chunks
            d.Add(2, 33, 8, 30, 30, 1, bits, 1);    // rows of M not a multiple of MR=6
            d.Add(1, 8, 8, 5, 5, 1, bits, 1);       // 4 tiles: all-at-once phases
            d.Add(1, 300, 12, 9, 9, 1, bits, 1);    // C past Sgemm's KC (two k blocks)
            d.Add(1, 16, 16, 56, 56, 1, bits, 2);   // 196 tiles: 2 threads take one-panel chunks (balanced), 1 thread two-panel ones
            d.Add(1, 16, 80, 28, 28, 1, bits, 1);   // chunked, M = 80: two output-channel groups of the chunk (72 + a partial 8)
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Run_EachWidth_MatchesDirectAndWinogradReferences(int n, int c, int m, int h, int w, int pad, int bits, int chunkPanels)
    {
        var r = new Random(n * 7919 + c * 131 + m * 17 + h + w + pad);
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * c * 9);
        var bias = NnHarness.RandomFloats(r, m);
        var geo = ConvGeometry.Resolve(h, w, 3, 3, [1, 1], [1, 1], [pad, Math.Max(0, pad - 1), pad, Math.Max(0, pad - 1)], PadAlgorithm.Explicit);
        int ho = geo.OutH(h), wo = geo.OutW(w), len = n * m * ho * wo;
        var direct = new float[len];
        Conv2DKernel.Reference(x, n, c, h, w, f, m, 3, 3, 1, geo, direct);
        var wino = new float[len];
        Winograd.Reference(x, n, c, h, w, f, m, geo, wino);
        var u = Winograd.TransformFilter(f, m, c);
        var outs = new float[4][];
        {
            for (int t = 0; t < 2; t++)
            {
                using var pool = new IntraOpPool(t + 1);
                var scratch = NnHarness.Scratch(pool.Threads);
                outs[2 * t] = new float[len];
                outs[2 * t + 1] = new float[len];
                Array.Fill(outs[2 * t], float.NaN);
                Array.Fill(outs[2 * t + 1], float.NaN);
                fixed (float* px = x) fixed (float* pu = u) fixed (float* pb = bias) fixed (float* p0 = outs[2 * t]) fixed (float* p1 = outs[2 * t + 1])
                {
                    Winograd.Run(pool, scratch, px, pu, p0, n, c, h, w, m, geo, ho, wo, default, bits, chunkPanels);
                    Winograd.Run(pool, scratch, px, pu, p1, n, c, h, w, m, geo, ho, wo, new ConvEpilogue { Bias = pb, Act = FusedActivation.Relu }, bits, chunkPanels);
                }
            }
        }
        // The other epilogues fused into the output transform's lanes (bias alone, bias + relu6) and one applied on
        // the stored rows (a residual): each must equal the standalone ops applied afterwards.
        var res = NnHarness.RandomFloats(r, len);
        var biasOnly = new float[len];
        var relu6 = new float[len];
        var residual = new float[len];
        {
            using var pool = new IntraOpPool(1);
            var scratch = NnHarness.Scratch(pool.Threads);
            fixed (float* px = x) fixed (float* pu = u) fixed (float* pb = bias) fixed (float* pr = res)
            fixed (float* q0 = biasOnly) fixed (float* q1 = relu6) fixed (float* q2 = residual)
            {
                Winograd.Run(pool, scratch, px, pu, q0, n, c, h, w, m, geo, ho, wo, new ConvEpilogue { Bias = pb }, bits, chunkPanels);
                Winograd.Run(pool, scratch, px, pu, q1, n, c, h, w, m, geo, ho, wo, new ConvEpilogue { Bias = pb, Act = FusedActivation.Relu6, Alpha = 6f }, bits, chunkPanels);
                Winograd.Run(pool, scratch, px, pu, q2, n, c, h, w, m, geo, ho, wo, new ConvEpilogue { Bias = pb, Residual = pr, YBase = q2, ResidualFirst = true, Act = FusedActivation.Relu }, bits, chunkPanels);
            }
        }
        for (int i = 0; i < len; i++)
        {
            int o = i / (ho * wo) % m;
            float e = outs[0][i] + bias[o];
            Assert.Equal(BitConverter.SingleToInt32Bits(e), BitConverter.SingleToInt32Bits(biasOnly[i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(Math.Min(e > 0f ? e : 0f, 6f)), BitConverter.SingleToInt32Bits(relu6[i]));
            float rs = res[i] + e;
            Assert.Equal(BitConverter.SingleToInt32Bits(rs > 0f ? rs : 0f), BitConverter.SingleToInt32Bits(residual[i]));
        }
        string what = $"winograd n={n} c={c} m={m} {h}x{w} pad={pad} bits={bits} chunk={chunkPanels}";
        WinogradClose(wino, outs[0], c, what + " vs winograd reference");
        WinogradClose(direct, outs[0], c, what + " vs direct");
        for (int i = 0; i < len; i++)
        {
            // Threads split chunks/phases differently; every output is the same operations.
            Assert.Equal(BitConverter.SingleToInt32Bits(outs[0][i]), BitConverter.SingleToInt32Bits(outs[2][i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(outs[1][i]), BitConverter.SingleToInt32Bits(outs[3][i]));
            // The epilogue runs the standalone bias add + relu on the finished outputs.
            int o = i / (ho * wo) % m;
            float e = outs[0][i] + bias[o];
            Assert.Equal(BitConverter.SingleToInt32Bits(e > 0f ? e : 0f), BitConverter.SingleToInt32Bits(outs[1][i]));
        }
    }

    /// <summary>The busiest thread's share of tiles, as chunk sizes are chosen from it.</summary>
    [Theory]
    [InlineData(196, 64, 2, 128)]   // 64 + 64 | 64 + 4
    [InlineData(196, 32, 2, 100)]   // 32 · 3 + 4 | 32 · 3
    [InlineData(784, 64, 2, 400)]   // 64 · 6 + 16 | 64 · 6
    [InlineData(128, 32, 2, 64)]    // even
    [InlineData(100, 32, 4, 32)]    // 32 | 32 | 32 | 4
    [InlineData(97, 32, 2, 64)]     // 32 + 32 | 32 + 1
    public void Makespan_CountsTheBusiestThread(int tiles, int chunkTiles, int threads, long expected) =>
        Assert.Equal(expected, Winograd.Makespan(tiles, chunkTiles, threads));

    /// <summary>The conv2d kernel with a constant 3×3 filter takes Winograd where it applies (and im2col elsewhere): both match the reference.</summary>
    [Theory]
    [InlineData(1, 16, 24, 20, 20, 1, true)]
    [InlineData(2, 32, 16, 18, 18, 0, true)]  // pad 0, two images of 16 tiles each (the path is chosen per image)
    [InlineData(2, 32, 16, 15, 9, 0, false)]  // 8 tiles per image: im2col, whatever the batch
    [InlineData(1, 16, 16, 6, 6, 1, false)]   // 4 tiles: im2col
    [InlineData(1, 8, 16, 20, 20, 1, false)]  // too few input channels: im2col
    public void Conv2DKernel_ConstantFilter_MatchesReference(int n, int c, int m, int h, int w, int pad, bool winograd)
    {
        var r = new Random(5);
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * c * 9);
        var geo = ConvGeometry.Resolve(h, w, 3, 3, [1, 1], [1, 1], [pad, pad, pad, pad], PadAlgorithm.Explicit);
        int ho = geo.OutH(h), wo = geo.OutW(w);
        Assert.Equal(winograd, Winograd.Eligible(3, 3, [1, 1], [1, 1], 1, c, m) && Winograd.Applies(geo, ho, wo, c, m));
        var expected = new float[n * m * ho * wo];
        Conv2DKernel.Reference(x, n, c, h, w, f, m, 3, 3, 1, geo, expected);
        var outs = NnHarness.Run("conv2d", a =>
        {
            a.Set("strides", new long[] { 1, 1 });
            a.Set("paddings", new long[] { pad, pad });
            a.Set("dilations", new long[] { 1, 1 });
            a.Set("groups", 1L);
        }, [("Input", Tensor.FromSpan<float>(x, [n, c, h, w]), false), ("Filter", Tensor.FromSpan<float>(f, [m, c, 3, 3]), true)], ["Output"]);
        WinogradClose(expected, outs[0].AsSpan<float>(), c, $"conv2d n={n} c={c} m={m} {h}x{w} pad={pad}");
    }

    /// <summary>Direct-conv comparison with <see cref="NnTolerances.WinogradAbsPerChannel"/> (the transforms' rounding grows with C).</summary>
    private static void WinogradClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, int c, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double tolAbs = NnTolerances.SumAbs + NnTolerances.WinogradAbsPerChannel * c;
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = tolAbs + NnTolerances.SumRel * Math.Abs(expected[i]);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"{what}: element {i}: {actual[i]} vs reference {expected[i]}");
        }
    }
}

using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PaddleNet.Kernels.Nn;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>
/// The channel-blocked depthwise kernel (<see cref="DepthwiseBlocked"/>) at every vector width this machine runs (16/8/4 lanes):
/// within the plain reference's tolerance and bit-identical to the per-plane path (the same FMA chains), with the fused
/// epilogue (bias + each activation on the accumulators, a residual after the strip), for widths 1..33, channel counts that
/// leave partial lane groups, kernels 3/5, strides 1/2, dilation, asymmetric pads and batches; one and two threads identical.
/// </summary>
public sealed unsafe class DepthwiseBlockedTests
{
    public static TheoryData<int, int, int, int, int> Cases()
    {
        // k, stride h, stride w, dilation, pad mode (0: none, 1: k/2 each side, 2: asymmetric k/2 before, one less after)
        var d = new TheoryData<int, int, int, int, int>();
        foreach (var k in new[] { 3, 5 })
        {
            foreach (var (sh, sw) in new[] { (1, 1), (2, 2), (1, 2), (2, 1) })
            {
                foreach (var pad in new[] { 0, 1, 2 }) d.Add(k, sh, sw, 1, pad);
            }
            d.Add(k, 1, 1, 2, 1);
            d.Add(k, 2, 2, 2, 2);
        }
        d.Add(1, 1, 1, 1, 0);
        d.Add(1, 2, 2, 1, 0);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Blocked_MatchesReferenceAndPlanes_EveryWidth(int k, int sh, int sw, int dil, int padMode)
    {
        var r = new Random(k * 1000 + sh * 100 + sw * 10 + dil + padMode * 7);
        using var pool1 = new IntraOpPool(1);
        using var pool2 = new IntraOpPool(2);
        int checkedBlocked = 0;
        for (int w = 1; w <= 33; w++)
        {
            // Heights vary with the width so strips, ring wrap-around and the row split of few blocks all get hit.
            int h = 1 + (w * 7) % 19;
            int c = new[] { 1, 3, 5, 8, 13, 16, 19, 37 }[w % 8];
            int n = 1 + w % 3;
            int pb = padMode == 0 ? 0 : k / 2 * dil, pa = padMode == 2 ? Math.Max(0, pb - 1) : pb;
            var geo = ConvGeometry.Resolve(h, w, k, k, [sh, sw], [dil, dil], [pb, pa, pb, pa], PadAlgorithm.Explicit);
            int ho = geo.OutH(h), wo = geo.OutW(w);
            if (ho <= 0 || wo <= 0) continue;
            var x = NnHarness.RandomFloats(r, n * c * h * w);
            var f = NnHarness.RandomFloats(r, c * k * k);
            var bias = NnHarness.RandomFloats(r, c);
            var residual = NnHarness.RandomFloats(r, n * c * ho * wo);
            var expected = new float[n * c * ho * wo];
            Conv2DKernel.Reference(x, n, c, h, w, f, c, k, k, c, geo, expected);
            foreach (var maxVector in new[] { 4, 8, 16 })
            {
                if (DepthwiseBlocked.Lanes(maxVector) > 0) checkedBlocked++;
                string what = $"blocked depthwise k={k} s={sh}x{sw} d={dil} pads={pb},{pa} n={n} c={c} h={h} w={w} v={maxVector}";
                var raw = Run(pool1, x, f, n, c, h, w, geo, ho, wo, default, maxVector, true);
                NnHarness.Close(expected, raw, what);
                Same(Run(pool1, x, f, n, c, h, w, geo, ho, wo, default, maxVector, false), raw, what + " vs planes");
                Same(Run(pool2, x, f, n, c, h, w, geo, ho, wo, default, maxVector, true), raw, what + " 2 threads");
                fixed (float* pbias = bias) fixed (float* pres = residual)
                {
                    foreach (var ep in Epilogues(pbias, pres))
                    {
                        var outE = new float[expected.Length];
                        var blocked = Run(pool1, x, f, n, c, h, w, geo, ho, wo, ep, maxVector, true, outE);
                        var planes = Run(pool2, x, f, n, c, h, w, geo, ho, wo, ep, maxVector, false, new float[expected.Length]);
                        Same(planes, blocked, $"{what} act={ep.Act} bias={ep.Bias != null} residual={ep.Residual != null} vs planes");
                        var twoThreads = Run(pool2, x, f, n, c, h, w, geo, ho, wo, ep, maxVector, true, new float[expected.Length]);
                        Same(twoThreads, blocked, $"{what} act={ep.Act} 2 threads");
                        // Each image alone gives the bits it has in the batch.
                        int img = n * c * ho * wo / n;
                        var alone = Run(pool1, x.AsSpan(0, c * h * w).ToArray(), f, 1, c, h, w, geo, ho, wo, ep, maxVector, true, new float[img]);
                        Same(alone, blocked.AsSpan(0, img).ToArray(), $"{what} act={ep.Act} first image alone");
                    }
                }
            }
        }
        // Only where the machine has the vector widths (the HWIntrinsic-off rerun has none): the kernel really ran.
        if (Avx.IsSupported) Assert.True(checkedBlocked > 0, "the blocked kernel never ran");
    }

    /// <summary>Bias + each fused activation, no bias, and a fused residual (the after-strip path).</summary>
    private static ConvEpilogue[] Epilogues(float* bias, float* residual) =>
    [
        new ConvEpilogue { Bias = bias, Act = FusedActivation.HardSwish },
        new ConvEpilogue { Act = FusedActivation.Relu },
        new ConvEpilogue { Bias = bias, Act = FusedActivation.Relu6, Alpha = 6f },
        new ConvEpilogue { Bias = bias, Act = FusedActivation.Relu6, Alpha = 0.5f },
        new ConvEpilogue { Bias = bias, Act = FusedActivation.LeakyRelu, Alpha = 0.1f },
        new ConvEpilogue { Bias = bias, Act = FusedActivation.HardSigmoid, Alpha = 0.2f, Beta = 0.5f },
        new ConvEpilogue { Bias = bias },
        new ConvEpilogue { Bias = bias, Act = FusedActivation.Relu, Residual = residual, ResidualFirst = true },
    ];

    private static float[] Run(IntraOpPool pool, float[] x, float[] f, int n, int c, int h, int w, ConvGeometry geo, int ho, int wo,
        ConvEpilogue ep, int maxVector, bool blocked, float[]? y = null)
    {
        y ??= new float[n * c * ho * wo];
        Array.Fill(y, float.NaN);
        fixed (float* px = x) fixed (float* pf = f) fixed (float* py = y)
        {
            if (ep.Residual != null) ep.YBase = py;
            DepthwiseConv2D.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, py, n, c, h, w, c, geo, ho, wo, ep, maxVector, blocked: blocked);
        }
        return y;
    }

    private static void Same(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: float {i} is {actual[i]}, expected {expected[i]} (not bit-identical)");
            }
        }
    }

    /// <summary>
    /// Stride 2 runs channel-blocked at every width (<see cref="DepthwiseConv2D.UseBlocked"/>): planes wider than the narrow-plane
    /// cases above, up to rows wider than a strip (one output row per strip), match the reference and the per-plane path bit for
    /// bit with hard_swish fused, at 16/8/4 lanes and on two threads.
    /// </summary>
    [Theory]
    [InlineData(3, 57, 5)]
    [InlineData(3, 112, 7)]
    [InlineData(5, 113, 6)]
    [InlineData(3, 530, 3)]
    [InlineData(5, 530, 4)]
    public void Blocked_WideStride2_MatchesReferenceAndPlanes(int k, int w, int h)
    {
        var r = new Random(k * 7919 + w);
        using var pool1 = new IntraOpPool(1);
        using var pool2 = new IntraOpPool(2);
        int c = 19, n = 1, p = k / 2;
        var geo = ConvGeometry.Resolve(h, w, k, k, [2, 2], [1, 1], [p, p, p, p], PadAlgorithm.Explicit);
        Assert.True(DepthwiseConv2D.UseBlocked(w, geo), $"stride 2 at width {w} runs channel-blocked");
        int ho = geo.OutH(h), wo = geo.OutW(w);
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, c * k * k);
        var bias = NnHarness.RandomFloats(r, c);
        var expected = new float[n * c * ho * wo];
        Conv2DKernel.Reference(x, n, c, h, w, f, c, k, k, c, geo, expected);
        fixed (float* pbias = bias)
        {
            var ep = new ConvEpilogue { Bias = pbias, Act = FusedActivation.HardSwish };
            foreach (var maxVector in new[] { 4, 8, 16 })
            {
                string what = $"wide stride-2 depthwise k={k} h={h} w={w} v={maxVector}";
                var raw = Run(pool1, x, f, n, c, h, w, geo, ho, wo, default, maxVector, true);
                NnHarness.Close(expected, raw, what);
                Same(Run(pool1, x, f, n, c, h, w, geo, ho, wo, default, maxVector, false), raw, what + " vs planes");
                var fused = Run(pool1, x, f, n, c, h, w, geo, ho, wo, ep, maxVector, true);
                Same(Run(pool1, x, f, n, c, h, w, geo, ho, wo, ep, maxVector, false), fused, what + " hard_swish vs planes");
                Same(Run(pool2, x, f, n, c, h, w, geo, ho, wo, ep, maxVector, true), fused, what + " hard_swish 2 threads");
            }
        }
    }

    /// <summary>The transposes into and out of the [pixel][lane] layout are exact inverses of the plain index map, every count and lane count.</summary>
    [Fact]
    public void Transposes_MatchIndexMap()
    {
        var widths = new List<int>();
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported) widths.Add(16);
        if (Avx.IsSupported) widths.Add(8);
        if (Sse.IsSupported) widths.Add(4);
        var r = new Random(5);
        foreach (int L in widths)
        {
            for (int lanes = 1; lanes <= L; lanes++)
            {
                for (int count = 1; count <= 40; count++)
                {
                    int stride = count + 3;
                    var src = NnHarness.RandomFloats(r, lanes * stride);
                    var inter = new float[count * L];
                    var back = new float[lanes * stride];
                    Array.Fill(inter, float.NaN);
                    Array.Fill(back, -1f);
                    fixed (float* ps = src) fixed (float* pi = inter) fixed (float* pb = back)
                    {
                        DepthwiseBlocked.TransposeIn(ps, stride, count, pi, lanes, L);
                        DepthwiseBlocked.TransposeOut(pi, pb, stride, count, lanes, L, L);
                    }
                    for (int l = 0; l < lanes; l++)
                    {
                        for (int p = 0; p < count; p++)
                        {
                            Assert.Equal(src[l * stride + p], inter[p * L + l]);
                            Assert.Equal(src[l * stride + p], back[l * stride + p]);
                        }
                        for (int p = count; p < stride; p++) Assert.Equal(-1f, back[l * stride + p]);
                    }
                    for (int p = 0; p < count; p++)
                    {
                        for (int l = lanes; l < L; l++) Assert.True(float.IsNaN(inter[p * L + l]), $"L={L} lanes={lanes} count={count}: lane {l} written");
                    }
                }
            }
        }
    }
}

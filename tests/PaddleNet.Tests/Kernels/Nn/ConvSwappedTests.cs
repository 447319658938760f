using PaddleNet.Kernels;
using PaddleNet.Kernels.Nn;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>
/// The 1×1 conv with roles swapped on small planes (<see cref="Conv2DKernel.RunSwapped"/>): bit-identical to the regular
/// GEMM path (<see cref="Conv2DKernel.RunGemm"/>) with every epilogue and a fused input scale, on 1 and 2 threads, with the
/// output transposed back at every vector width (and by the scalar loop).
/// </summary>
public sealed unsafe class ConvSwappedTests
{
    public static TheoryData<int, int, int, int, int, int> Cases()
    {
        // n, h, w, c, m, transpose width bits (0: the scalar loop)
        var d = new TheoryData<int, int, int, int, int, int>();
        foreach (var bits in new[] { 512, 256, 128, 0 })
        {
            d.Add(1, 7, 7, 16, 32, bits);    // one full out-channel panel
            d.Add(2, 7, 7, 300, 160, bits);  // C past KC (two k blocks); row blocks straddle the two images
            d.Add(1, 7, 7, 33, 56, bits);    // last panel 24 wide: 16 + 8 lanes transposed
            d.Add(3, 5, 5, 20, 17, bits);    // one partial panel of 17 columns, three images of 25 pixels
            d.Add(1, 1, 9, 64, 40, bits);    // 9 pixels: one whole group of 8 and an overlapping one
            d.Add(1, 7, 1, 8, 24, bits);     // 7 pixels: fewer than a transpose group, scalar
            d.Add(2, 8, 8, 40, 96, bits);    // 64 pixels
            d.Add(1, 7, 7, 24, 36, bits);    // last panel 4 wide: Sgemm's 4-column edge kernel on the planes' packing
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RunSwapped_BitIdenticalToRunGemm(int n, int h, int w, int c, int m, int bits)
    {
        int hw = h * w, len = n * m * hw;
        var r = new Random(n * 1000 + hw * 10 + c + m);
        var x = NnHarness.RandomFloats(r, n * c * hw);
        var f = NnHarness.RandomFloats(r, m * c);
        var bias = NnHarness.RandomFloats(r, m);
        var res = NnHarness.RandomFloats(r, len);
        var scale = NnHarness.RandomFloats(r, n * c);
        for (int i = 0; i < x.Length; i++) x[i] *= 4f; // through hard_swish's saturation
        var packedT = new float[Sgemm.PackedBSize(c, m)];
        var geo = ConvGeometry.Resolve(h, w, 1, 1, [1, 1], [1, 1], [0, 0, 0, 0], PadAlgorithm.Explicit);
        var plainRef = new float[len];
        Conv2DKernel.Reference(x, n, c, h, w, f, m, 1, 1, 1, geo, plainRef);
        foreach (int threads in new[] { 1, 2 })
        {
            using var pool = new IntraOpPool(threads);
            var scratch = NnHarness.Scratch(pool.Threads);
            // 0: no epilogue, 1: bias + hard_swish, 2: residual first + bias + relu, 3: per-image input scale + bias, 4: one scale for all images.
            for (int variant = 0; variant < 5; variant++)
            {
                var expected = new float[len];
                var actual = new float[len];
                Array.Fill(actual, float.NaN);
                fixed (float* px = x) fixed (float* pf = f) fixed (float* pt = packedT) fixed (float* pb = bias) fixed (float* pr = res)
                fixed (float* ps = scale) fixed (float* pe = expected) fixed (float* pa = actual)
                {
                    Sgemm.PackB(pf, 1, c, c, m, pt);
                    float* sc = variant >= 3 ? ps : null;
                    long scStride = variant == 3 ? c : 0;
                    Conv2DKernel.RunGemm(pool, scratch, px, pf, pe, n, c, h, w, m, c, geo, h, w, 1, null, Epilogue(variant, pb, pr, pe), sc, scStride);
                    Conv2DKernel.RunSwapped(pool, scratch, px, pt, pa, n, c, m, hw, Epilogue(variant, pb, pr, pa), sc, scStride, bits);
                }
                string what = $"swapped n={n} {h}x{w} c={c} m={m} bits={bits} t={threads} variant={variant}";
                if (variant == 0) NnHarness.Close(plainRef, actual, what);
                for (int i = 0; i < len; i++)
                {
                    if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                        Assert.Fail($"{what}: element {i} is {actual[i]:R}, the regular GEMM path gives {expected[i]:R}");
                }
            }
        }
    }

    private static ConvEpilogue Epilogue(int variant, float* bias, float* residual, float* y) => variant switch
    {
        1 => new ConvEpilogue { Bias = bias, Act = FusedActivation.HardSwish },
        2 => new ConvEpilogue { Bias = bias, Residual = residual, YBase = y, ResidualFirst = true, Act = FusedActivation.Relu },
        3 or 4 => new ConvEpilogue { Bias = bias },
        _ => default,
    };

    [Theory]
    [InlineData(49, 160, true)]   // 7×7: 64 columns for 49 pixels against 54 rows
    [InlineData(49, 512, true)]
    [InlineData(49, 960, true)]
    [InlineData(25, 64, false)]   // 5×5: 32 columns against 30 rows, not 15% less
    [InlineData(64, 64, false)]   // 8×8: whole panels already
    [InlineData(196, 256, false)] // 14×14: past SwapMaxHw (its 4-column edge runs at half cost)
    [InlineData(36, 256, true)]   // 6×6: 32 + a 4-column edge at half cost (48) against 36 rows
    [InlineData(6, 512, false)]   // up to MR pixels: RunSmallSpatial
    public void SwapWins_WhereThePaddedWorkShrinks(int hw, int m, bool expected) =>
        Assert.Equal(expected, Conv2DKernel.SwapWins(hw, m, 1));

    [Theory]
    [InlineData(5, true)]   // 245 rows
    [InlineData(6, false)]  // 294 rows: the batched GEMM over all images' columns instead
    public void SwapWins_SmallBatchesOnly(int n, bool expected) => Assert.Equal(expected, Conv2DKernel.SwapWins(49, 512, n));
}

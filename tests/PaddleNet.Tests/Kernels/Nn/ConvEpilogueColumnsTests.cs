using PaddleNet.Kernels.Nn;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>
/// The conv epilogue on the outputs of one pixel (a GEMV row, <see cref="ConvEpilogue.ApplyColumns"/>) gives exactly what
/// <see cref="ConvEpilogue.Apply"/> gives on each element. Every fused activation, with
/// and without bias, the residual and scalar-affine fallbacks, row lengths on both sides of each vector width, and inputs
/// holding NaN, ±0 and ±∞. The machine's widest vectors here; scripts/test reruns this at 256, 128 and scalar.
/// </summary>
public sealed unsafe class ConvEpilogueColumnsTests
{
    private static readonly int[] Lengths = [1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 64, 65];

    private static List<ConvEpilogue> Epilogues(float* bias, float* residual)
    {
        var all = new List<ConvEpilogue>();
        foreach (bool withBias in new[] { false, true })
        {
            float* b = withBias ? bias : null;
            all.Add(new ConvEpilogue { Bias = b });
            all.Add(new ConvEpilogue { Bias = b, Act = FusedActivation.Relu });
            all.Add(new ConvEpilogue { Bias = b, Act = FusedActivation.Relu6, Alpha = 6f });
            all.Add(new ConvEpilogue { Bias = b, Act = FusedActivation.Relu6, Alpha = 4.5f });
            all.Add(new ConvEpilogue { Bias = b, Act = FusedActivation.LeakyRelu, Alpha = 0.1f });
            all.Add(new ConvEpilogue { Bias = b, Act = FusedActivation.HardSwish });
            all.Add(new ConvEpilogue { Bias = b, Act = FusedActivation.HardSigmoid, Alpha = 0.2f, Beta = 0.5f });
            all.Add(new ConvEpilogue { Bias = b, Act = FusedActivation.Relu, Residual = residual, ResidualFirst = true });
            all.Add(new ConvEpilogue { Bias = b, Act = FusedActivation.HardSwish, Affine = new ScalarAffine(1.5f, null, null, -0.25f) });
        }
        return all;
    }

    private static float[] Values(Random rng, int n)
    {
        float[] specials = [float.NaN, 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, -3f, 3f, 6f];
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i % 7 == 3 ? specials[rng.Next(specials.Length)] : (float)(rng.NextDouble() * 16 - 8);
        return v;
    }

    private static void AssertSameBits(float[] expected, float[] got, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(got[i]) || (float.IsNaN(expected[i]) && float.IsNaN(got[i])),
                $"{what}: element {i} {got[i]:R} vs Apply's {expected[i]:R}");
        }
    }

    [Fact]
    public void ApplyColumns_EachElementAsApply()
    {
        var rng = new Random(12);
        const int channel0 = 3;
        var bias = Values(rng, channel0 + 70);
        foreach (int len in Lengths)
        {
            var y0 = Values(rng, len);
            var res = Values(rng, len);
            fixed (float* pb = bias, pr = res)
            {
                var expected = new float[len];
                var got = new float[len];
                fixed (float* pe = expected, pg = got)
                {
                    int e = 0;
                    foreach (var ep in Epilogues(pb, pr))
                    {
                        y0.CopyTo(expected, 0);
                        y0.CopyTo(got, 0);
                        var epE = ep; var epG = ep;
                        if (ep.Residual != null) { epE.YBase = pe; epG.YBase = pg; }
                        for (int j = 0; j < len; j++) epE.Apply(pe + j, 1, channel0 + j);
                        epG.ApplyColumns(pg, len, channel0);
                        AssertSameBits(expected, got, $"epilogue {e} ({ep.Act}, bias {ep.Bias != null}) len {len}");
                        e++;
                    }
                }
            }
        }
    }
}

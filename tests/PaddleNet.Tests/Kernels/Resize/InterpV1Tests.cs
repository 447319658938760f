using PaddleNet.Tests.Support;
using static PaddleNet.Tests.Kernels.Reductions.ReductionsHarness;

namespace PaddleNet.Tests.Kernels.Resize;

/// <summary>
/// Legacy nearest_interp / bilinear_interp (v1) against ports of Paddle's numpy oracles (nearest_neighbor_interp_np,
/// bilinear_interp_np in test/legacy_test/test_{nearest,bilinear}_interp_op.py): ratio in/out (not 1/scale), scale
/// one float attribute, OutSize over scale over out_h/out_w. Cases are Paddle's own, plus non-integer scales where
/// the v1 and v2 ratios differ.
/// </summary>
public sealed class InterpV1Tests
{
    private static double[] Oracle(string method, float[] x, int nc, int inH, int inW, int outH, int outW, bool alignCorners, int alignMode)
    {
        double rh = outH > 1 ? (alignCorners ? (inH - 1.0) / (outH - 1.0) : 1.0 * inH / outH) : 0.0;
        double rw = outW > 1 ? (alignCorners ? (inW - 1.0) / (outW - 1.0) : 1.0 * inW / outW) : 0.0;
        var y = new double[nc * outH * outW];
        for (int p = 0; p < nc; p++)
        {
            for (int i = 0; i < outH; i++)
            {
                for (int j = 0; j < outW; j++)
                {
                    double v;
                    if (method == "nearest")
                    {
                        int ih = alignCorners ? (int)(rh * i + 0.5) : (int)(rh * i);
                        int iw = alignCorners ? (int)(rw * j + 0.5) : (int)(rw * j);
                        v = x[(p * inH + ih) * inW + iw];
                    }
                    else
                    {
                        bool flag = alignMode == 0 && !alignCorners;
                        int h = Math.Max(0, flag ? (int)(rh * (i + 0.5) - 0.5) : (int)(rh * i));
                        int hid = h < inH - 1 ? 1 : 0;
                        double h1 = flag ? Math.Max(rh * (i + 0.5) - 0.5, 0) - h : rh * i - h;
                        int w = Math.Max(0, flag ? (int)(rw * (j + 0.5) - 0.5) : (int)(rw * j));
                        int wid = w < inW - 1 ? 1 : 0;
                        double w1 = flag ? Math.Max(rw * (j + 0.5) - 0.5, 0) - w : rw * j - w;
                        double At(int a, int b) => x[(p * inH + a) * inW + b];
                        v = (1 - h1) * ((1 - w1) * At(h, w) + w1 * At(h, w + wid)) + h1 * ((1 - w1) * At(h + hid, w) + w1 * At(h + hid, w + wid));
                    }
                    y[(p * outH + i) * outW + j] = v;
                }
            }
        }
        return y;
    }

    public static TheoryData<string, int[], int, int, double, int[]?, bool, int> Cases()
    {
        var d = new TheoryData<string, int[], int, int, double, int[]?, bool, int>();
        foreach (var m in new[] { "nearest", "bilinear" })
        {
            // Paddle's cases: input, out_h, out_w, scale, OutSize, align_corners, align_mode
            d.Add(m, [2, 3, 5, 5], 2, 2, 0, [3, 3], true, 1);
            d.Add(m, [4, 1, 7, 8], 1, 1, 0, null, true, 1);
            d.Add(m, [3, 3, 9, 6], 12, 12, 0, null, true, 1);
            d.Add(m, [1, 1, 32, 64], 64, 32, 0, null, true, 1);
            d.Add(m, [3, 3, 9, 6], 12, 12, 0, [11, 11], true, 1);
            d.Add(m, [1, 1, 32, 64], 64, 32, 0, [65, 33], true, 1);
            d.Add(m, [2, 3, 5, 7], 60, 25, 2.0, null, true, 1);
            d.Add(m, [2, 3, 5, 7], 60, 25, 1.5, null, true, 1);
            d.Add(m, [2, 3, 5, 7], 60, 25, 0.2, null, false, 0);
            d.Add(m, [3, 3, 9, 6], 12, 12, 0, null, false, 1);
            d.Add(m, [3, 3, 9, 6], 12, 12, 0, null, false, 0);
            // Non-integer scale without align_corners: v1's in/out ratio differs from v2's 1/scale.
            d.Add(m, [1, 2, 7, 9], 0, 0, 1.7, null, false, 0);
            d.Add(m, [1, 2, 7, 9], 0, 0, 1.7, null, false, 1);
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void V1_MatchesNumpyOracle(string method, int[] input, int outH, int outW, double scale, int[]? outSize, bool alignCorners, int alignMode)
    {
        var rng = new Random(7);
        int n = input[0], c = input[1], inH = input[2], inW = input[3];
        var x = RandomFloats(rng, n * c * inH * inW);
        int oh = scale > 0 ? (int)(inH * scale) : outH, ow = scale > 0 ? (int)(inW * scale) : outW;
        if (outSize is not null) { oh = outSize[0]; ow = outSize[1]; }
        var inputs = new List<(string, Tensor)> { ("X", F(x, n, c, inH, inW)) };
        if (outSize is not null) inputs.Add(("OutSize", Tensor.FromSpan<int>(outSize, [2])));
        var y = Run($"{method}_interp", a =>
        {
            a.Set("out_h", (long)outH); a.Set("out_w", (long)outW); a.Set("scale", scale);
            a.Set("interp_method", method); a.Set("align_corners", alignCorners); a.Set("align_mode", (long)alignMode);
        }, [.. inputs], ["Out"], threads: 2)[0];
        Assert.Equal([n, c, oh, ow], y.Shape.ToArray());
        var expected = Oracle(method, x, n * c, inH, inW, oh, ow, alignCorners, alignMode);
        var actual = y.AsSpan<float>();
        for (int i = 0; i < expected.Length; i++)
        {
            // float32 ratios and weights vs the oracle's float64: a few ulps of values in [-1, 1].
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"{method}_interp element {i}: {actual[i]} vs oracle {expected[i]}");
        }
    }

    [Fact]
    public void V1_ScaleTensor_UsesItsFirstElement()
    {
        var x = F(new float[2 * 3], 1, 1, 2, 3);
        var y = Run("nearest_interp", a => { a.Set("out_h", 5L); a.Set("out_w", 5L); a.Set("align_corners", false); },
            [("X", x), ("Scale", Tensor.FromSpan<float>([2f, 3f], [2]))], ["Out"])[0];
        Assert.Equal([1, 1, 4, 6], y.Shape.ToArray());
    }
}

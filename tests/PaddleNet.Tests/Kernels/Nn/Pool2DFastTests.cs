using PaddleNet.Runtime;
using PaddleNet.Kernels.Nn;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>
/// The vectorised interior of pool2d (column phases, and stride 2 read in place) against the scalar reference plane:
/// bit-identical for every vector width.
/// </summary>
public sealed unsafe class Pool2DFastTests
{
    public static TheoryData<bool, int, int, int, bool, bool, int> Cases()
    {
        // max, k, stride, pad, exclusive, ceil, maxVector
        var d = new TheoryData<bool, int, int, int, bool, bool, int>();
        foreach (var maxVector in new[] { 4, 8, 16 })
        {
            foreach (var max in new[] { true, false })
            {
                foreach (var (k, s, pad) in new[] { (3, 2, 1), (2, 2, 0), (3, 1, 1), (5, 3, 2), (3, 2, 0), (4, 2, 1) })
                {
                    d.Add(max, k, s, pad, true, false, maxVector);
                    d.Add(max, k, s, pad, false, true, maxVector);
                }
            }
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FastPlane_MatchesReferencePlane(bool max, int k, int stride, int pad, bool exclusive, bool ceil, int maxVector)
    {
        var r = new Random(3);
        // Widths around the stride-2 path's vector thresholds too (one register of outputs, one more, four and a remainder).
        foreach (var (h, w) in new[] { (9, 9), (17, 23), (40, 37), (112, 112), (7, 34), (6, 35), (5, 141) })
        {
            // Symmetric pads, then uneven ones (more at the bottom/left): border rows and columns clip differently.
            foreach (var pads in new[] { new[] { pad, pad, pad, pad }, new[] { pad, pad + 1, pad + 1, Math.Max(0, pad - 1) } })
            {
                var x = NnHarness.RandomFloats(r, h * w);
                // Specials on the borders and inside: NaN, ±0 and −∞ in max windows must give the reference's bits
                // (r = r > v ? r : v keeps the last of equal values, so a −0 after a +0 shows a reordered window).
                x[5] = float.NaN;
                x[w - 1] = float.NaN;
                x[(h - 1) * w] = float.NaN;
                x[h * w - 1] = float.NaN;
                x[w] = 0f;
                x[w + 1] = -0f;
                x[2 * w] = float.NegativeInfinity;
                x[(h / 2) * w + w / 2] = -0f;
                // Interior windows too (the vector path): a NaN, then a block of zeros of alternating sign, so a max
                // window sees only ±0 and its result's sign shows which tap came last (GreaterOf's operand order).
                x[(h / 2 + 1) * w + w / 2 + 1] = float.NaN;
                for (int yy = h / 4; yy < Math.Min(h, h / 4 + 6); yy++)
                {
                    for (int xx = 2; xx < Math.Min(w, 2 + 3 * 16 + 3); xx++) x[yy * w + xx] = (yy + xx) % 2 == 0 ? 0f : -0f;
                }
                var p = Pool2DKernel.Resolve(h, w, max, [k, k], [stride, stride], pads, PadAlgorithm.Explicit, false, ceil, exclusive, false);
                var expected = new float[p.Ho * p.Wo];
                Pool2DKernel.Plane(x, h, w, p, expected);
                var actual = new float[expected.Length];
                Array.Fill(actual, -7f);
                fixed (float* px = x) fixed (float* py = actual)
                {
                    if (!Pool2DKernel.FastPlane(NnHarness.Scratch(1), px, h, w, p, py, maxVector)) Pool2DKernel.Plane(x, h, w, p, actual);
                }
                // Bits, not values: float equality would let −0 pass for +0.
                Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
            }
        }
    }

    /// <summary>Whole-plane pooling (global, adaptive avg to 1×1): eight interleaved planes, bit-identical to the reference.</summary>
    [Theory]
    [InlineData(true, false, 1, 1, 9)]
    [InlineData(false, false, 7, 7, 17)]
    [InlineData(false, true, 7, 7, 8)]
    [InlineData(true, false, 13, 5, 7)]
    [InlineData(false, true, 14, 14, 23)]
    public void GlobalPlanes_MatchReferencePlane(bool max, bool adaptive, int h, int w, int planes)
    {
        var r = new Random(21);
        var x = NnHarness.RandomFloats(r, planes * h * w);
        x[3] = float.NaN;
        var p = adaptive
            ? Pool2DKernel.Resolve(h, w, max, [1, 1], [1, 1], [0, 0, 0, 0], PadAlgorithm.Explicit, false, false, true, true)
            : Pool2DKernel.Resolve(h, w, max, [h, w], [1, 1], [0, 0, 0, 0], PadAlgorithm.Explicit, true, false, false, false);
        Assert.True(Pool2DKernel.WholePlane(p, h, w));
        var expected = new float[planes];
        for (int i = 0; i < planes; i++) Pool2DKernel.Plane(x.AsSpan(i * h * w, h * w), h, w, p, expected.AsSpan(i, 1));
        var actual = new float[planes];
        fixed (float* px = x) fixed (float* py = actual) Pool2DKernel.GlobalPlanes(px, h * w, 0, planes, max, py);
        Assert.Equal(expected, actual);
        // Adaptive max keeps 1×1 strided windows (not the whole plane); padded avg windows divide differently.
        Assert.False(Pool2DKernel.WholePlane(Pool2DKernel.Resolve(h, w, true, [1, 1], [1, 1], [0, 0, 0, 0], PadAlgorithm.Explicit, false, false, true, true), h, w) && h * w > 1);
    }
}

using PaddleNet.Kernels.Nn;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>
/// The register-blocked 3×3 / 5×5 depthwise bodies (<see cref="DepthwiseRows"/>): bit-identical to the generic tap loop at
/// every vector width, for row groups of four, two and a last odd row, every stride in both axes, widths hitting each
/// vector remainder; and within the reference kernel's tolerance.
/// </summary>
public sealed unsafe class DepthwiseRowsTests
{
    public static TheoryData<int, int, int, int, int> Cases()
    {
        // k, stride h, stride w, output rows, input width
        var d = new TheoryData<int, int, int, int, int>();
        foreach (var k in new[] { 3, 5 })
        {
            foreach (var (sh, sw) in new[] { (1, 1), (2, 1), (1, 2), (2, 2) })
            {
                foreach (var (rows, width) in new[] { (1, 9), (2, 4), (3, 16), (4, 17), (5, 33), (6, 80), (7, 31), (12, 161) })
                {
                    d.Add(k, sh, sw, rows, width);
                }
            }
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RowBodies_BitIdenticalToTapLoop_EveryWidth(int k, int sh, int sw, int rows, int width)
    {
        var r = new Random(k * 1000 + rows * 10 + width);
        int n = 1, c = 3, pad = k / 2;
        int h = (rows - 1) * sh + 1, w = width;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, c * k * k);
        var geo = ConvGeometry.Resolve(h, w, k, k, [sh, sw], [1, 1], [pad, pad, pad, pad], PadAlgorithm.Explicit);
        int ho = geo.OutH(h), wo = geo.OutW(w);
        Assert.Equal(rows, ho);
        var expected = new float[n * c * ho * wo];
        Conv2DKernel.Reference(x, n, c, h, w, f, c, k, k, c, geo, expected);
        using var pool = new IntraOpPool(1);
        foreach (var maxVector in new[] { 4, 8, 16 })
        {
            var tapLoop = new float[expected.Length];
            var bodies = new float[expected.Length];
            Array.Fill(bodies, float.NaN);
            fixed (float* px = x) fixed (float* pf = f) fixed (float* p1 = tapLoop) fixed (float* p2 = bodies)
            {
                DepthwiseConv2D.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, p1, n, c, h, w, c, geo, ho, wo, default, maxVector, blocked: false, rowBodies: false);
                DepthwiseConv2D.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, p2, n, c, h, w, c, geo, ho, wo, default, maxVector, blocked: false, rowBodies: true);
            }
            NnHarness.Close(expected, bodies, $"depthwise rows k={k} s={sh}x{sw} ho={ho} wo={wo} v={maxVector}");
            Assert.True(tapLoop.Select(BitConverter.SingleToInt32Bits).SequenceEqual(bodies.Select(BitConverter.SingleToInt32Bits)),
                $"depthwise rows k={k} s={sh}x{sw} ho={ho} wo={wo} v={maxVector}: not bit-identical to the tap loop");
        }
    }
}

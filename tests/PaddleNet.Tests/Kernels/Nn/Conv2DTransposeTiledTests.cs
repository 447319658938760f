using PaddleNet.Kernels.Nn;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>The tiled conv2d_transpose path (kernel = stride, no padding) against the gather reference, bit for bit, on widths that hit every vector remainder.</summary>
public sealed unsafe class Conv2DTransposeTiledTests
{
    public static TheoryData<int, int, int, int> Cases()
    {
        // c, m, width, k (= stride)
        var d = new TheoryData<int, int, int, int>();
        foreach (var width in new[] { 1, 3, 7, 8, 15, 16, 17, 31, 33 })
        {
            d.Add(3, 5, width, 2);
            d.Add(24, 1, width, 2);
            d.Add(4, 3, width, 3);
        }

        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TiledPlane_MatchesReferencePlane_BitExact(int c, int m, int width, int k)
    {
        var r = new Random(5);
        int n = 2, h = width + 1, w = width;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, c * m * k * k);
        var g = ConvGeometry.Resolve(h, w, k, k, [k, k], [1, 1], [0, 0, 0, 0], PadAlgorithm.Explicit);
        int ho = h * k, wo = w * k;
        Assert.True(Conv2DTransposeKernel.IsTiled(g, 1, w, ho, wo, h));
        var expected = new float[n * m * ho * wo];
        var actual = new float[expected.Length];
        Array.Fill(actual, float.NaN);
        fixed (float* px = x) fixed (float* pf = f) fixed (float* pe = expected) fixed (float* pa = actual)
        {
            for (int i = 0; i < n; i++)
            {
                for (int o = 0; o < m; o++)
                {
                    Conv2DTransposeKernel.Plane(px, pf, pe, i, o, c, h, w, m, 1, ho, wo, g, 0.25f);
                    Conv2DTransposeKernel.TiledPlane(px, pf, pa, i, o, c, h, w, m, ho, wo, g, 0.25f);
                }
            }
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Padded_NotTiled()
    {
        var g = ConvGeometry.Resolve(8, 8, 2, 2, [2, 2], [1, 1], [1, 1, 1, 1], PadAlgorithm.Explicit);
        Assert.False(Conv2DTransposeKernel.IsTiled(g, 1, 8, 14, 14, 8));
    }
}

using PaddleNet.Kernels.Nn;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>The vectorised interior of pool2d against the scalar reference plane: bit-identical for every vector width.</summary>
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
                foreach (var (k, s, pad) in new[] { (3, 2, 1), (2, 2, 0), (3, 1, 1), (5, 3, 2), (3, 2, 0) })
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
        foreach (var (h, w) in new[] { (9, 9), (17, 23), (40, 37), (112, 112) })
        {
            var x = NnHarness.RandomFloats(r, h * w);
            x[5] = float.NaN; // NaN in a max window propagates the same way on both paths
            var p = Pool2DKernel.Resolve(h, w, max, [k, k], [stride, stride], [pad, pad, pad, pad], PadAlgorithm.Explicit, false, ceil, exclusive, false);
            var expected = new float[p.Ho * p.Wo];
            Pool2DKernel.Plane(x, h, w, p, expected);
            var actual = new float[expected.Length];
            Array.Fill(actual, -7f);
            fixed (float* px = x) fixed (float* py = actual)
            {
                if (!Pool2DKernel.FastPlane(px, h, w, p, py, maxVector)) Pool2DKernel.Plane(x, h, w, p, actual);
            }
            Assert.Equal(expected, actual);
        }
    }
}

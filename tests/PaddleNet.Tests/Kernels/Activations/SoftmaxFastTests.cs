using PaddleNet.Kernels.Activations;

namespace PaddleNet.Tests.Kernels.Activations;

/// <summary>softmax's short-row (SSD) and strided-axis (segmentation channels) paths against the scalar reference, on sizes hitting every vector remainder.</summary>
public sealed class SoftmaxFastTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var d = new TheoryData<int, int, int>();
        foreach (var outer in new[] { 1, 3, 1917 })
        {
            foreach (var n in new[] { 1, 2, 3, 7, 8, 9, 15, 16, 17, 21, 33, 63 })
            {
                foreach (var inner in new[] { 1, 2, 5, 8, 13, 16, 33 })
                {
                    if (outer == 1917 && inner > 2) continue;
                    d.Add(outer, n, inner);
                }
            }
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FastPaths_MatchReference(int outer, int n, int inner)
    {
        var rng = new Random(outer * 1000 + n * 10 + inner);
        var x = Enumerable.Range(0, outer * n * inner).Select(_ => (float)(rng.NextDouble() * 40 - 20)).ToArray();
        var reference = new float[x.Length];
        SoftmaxKernel.Reference(x, reference, outer, n, inner, false);
        var fast = new float[x.Length];
        if (inner == 1) SoftmaxKernel.SmallRows(x, fast, outer, n);
        else SoftmaxKernel.Strided(new PaddleNet.Runtime.RunScratch(1), x, fast, outer, n, inner);
        for (int i = 0; i < x.Length; i++)
        {
            // Vector exp (TensorPrimitives) vs MathF.Exp and a different summation order: a few ulps of values in [0, 1].
            Assert.True(Math.Abs(fast[i] - reference[i]) <= 1e-6 + 1e-5 * Math.Abs(reference[i]), $"outer={outer} n={n} inner={inner} i={i}: {fast[i]} vs {reference[i]}");
        }
    }
}

using PaddleNet.Tests.Kernels.Shape;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Kernels.Reductions;

/// <summary>reduce_all, logsumexp, mean, sum (add_n), dist, dot, mv against numpy (np.all, scipy-style logsumexp, np.mean, np.linalg.norm, np.dot).</summary>
public sealed class MoreReduceTests
{
    [Fact]
    public void ReduceAll_MatchesNumpyAll()
    {
        bool[] v = [true, true, false, true, true, true];
        var x = Tensor.FromSpan<bool>(v, [2, 3]);
        var rows = new OpHarness("reduce_all").Input("X", x).Output("Out").Attr("dim", new long[] { 1 }).Run1();
        Assert.Equal(new[] { false, true }, rows.AsSpan<bool>().ToArray());
        var all = new OpHarness("reduce_all").Input("X", x).Output("Out").Attr("dim", new long[] { 0 }).Attr("reduce_all", true).Run1();
        Assert.Equal(0, all.Shape.Length);
        Assert.False(all.AsSpan<bool>()[0]);
    }

    [Theory]
    [InlineData(new long[] { 1 }, false)]
    [InlineData(new long[] { -1, 0 }, true)]
    [InlineData(new long[0], false)]
    public void Logsumexp_MatchesNumpyReference(long[] axes, bool keep)
    {
        int[] shape = [3, 4, 5];
        var x = OpHarness.Floats(new Random(8), shape);
        var xs = x.AsSpan<float>().ToArray();
        for (int i = 0; i < xs.Length; i += 7) xs[i] *= 60; // large values: the shift must prevent overflow
        x = Tensor.FromSpan<float>(xs, shape);
        var y = new OpHarness("logsumexp").Input("X", x).Output("Out").Attr("axis", axes).Attr("keepdim", keep).Run1();
        var red = axes.Length == 0 ? new HashSet<int> { 0, 1, 2 } : axes.Select(a => (int)(a < 0 ? a + 3 : a)).ToHashSet();
        var oshape = Enumerable.Range(0, 3).Where(d => !red.Contains(d) || keep).Select(d => red.Contains(d) ? 1 : shape[d]).ToArray();
        var groups = new Dictionary<long, List<double>>();
        for (long f = 0; f < xs.Length; f++)
        {
            var i = OpHarness.Unravel(f, shape);
            var o = Enumerable.Range(0, 3).Where(d => !red.Contains(d) || keep).Select(d => red.Contains(d) ? 0 : i[d]).ToArray();
            long k = OpHarness.Ravel(o, oshape);
            if (!groups.TryGetValue(k, out var g)) groups[k] = g = [];
            g.Add(xs[f]);
        }
        var expected = groups.OrderBy(kv => kv.Key).Select(kv => { double m = kv.Value.Max(); return (float)(m + Math.Log(kv.Value.Sum(v => Math.Exp(v - m)))); }).ToArray();
        TensorAssert.Close(Tensor.FromSpan<float>(expected, oshape), y, OracleTolerances.Abs, OracleTolerances.Rel, "logsumexp");
    }

    [Fact]
    public void Mean_Sum_Dist_Dot_Mv_MatchNumpy()
    {
        var rng = new Random(9);
        var x = OpHarness.Floats(rng, 4, 6);
        var y = OpHarness.Floats(rng, 4, 6);
        var xv = x.AsSpan<float>().ToArray().Select(v => (double)v).ToArray();
        var yv = y.AsSpan<float>().ToArray().Select(v => (double)v).ToArray();
        var mean = new OpHarness("mean").Input("X", x).Output("Out").Run1();
        Assert.Equal((float)xv.Average(), mean.AsSpan<float>()[0], 6);
        var sum = new OpHarness("sum").Input("X", x, y, x).Output("Out").Run1();
        Assert.Equal(xv.Select((v, i) => (float)((float)(xv[i] + yv[i]) + xv[i])).ToArray(), sum.AsSpan<float>().ToArray());
        foreach (double p in new[] { 2.0, 1.0, 3.5, 0.0, double.PositiveInfinity, double.NegativeInfinity })
        {
            var d = new OpHarness("dist").Input("X", x).Input("Y", Tensor.FromSpan<float>(y.AsSpan<float>()[..6], [6])).Output("Out").Attr("p", p).Run1();
            var z = xv.Select((v, i) => Math.Abs(v - yv[i % 6])).ToArray();
            double expected = p == 0 ? z.Count(v => v != 0) : double.IsPositiveInfinity(p) ? z.Max() : double.IsNegativeInfinity(p) ? z.Min() : Math.Pow(z.Sum(v => Math.Pow(v, p)), 1 / p);
            Assert.True(Math.Abs(expected - d.AsSpan<float>()[0]) <= OracleTolerances.Abs + OracleTolerances.Rel * Math.Abs(expected), $"dist p={p}: {d.AsSpan<float>()[0]} vs {expected}");
        }
        var dot = new OpHarness("dot").Input("X", x).Input("Y", y).Output("Out").Run1();
        Assert.Equal(new[] { 4 }, dot.Shape.ToArray());
        var dotExpected = Enumerable.Range(0, 4).Select(r => (float)Enumerable.Range(0, 6).Sum(j => xv[r * 6 + j] * yv[r * 6 + j])).ToArray();
        TensorAssert.Close(Tensor.FromSpan<float>(dotExpected, [4]), dot, OracleTolerances.Abs, OracleTolerances.Rel, "dot");
        var vec = Tensor.FromSpan<float>(y.AsSpan<float>()[..6], [6]);
        var mv = new OpHarness("mv").Input("X", x).Input("Vec", vec).Output("Out").Run1();
        var mvExpected = Enumerable.Range(0, 4).Select(r => (float)Enumerable.Range(0, 6).Sum(j => xv[r * 6 + j] * yv[j])).ToArray();
        TensorAssert.Close(Tensor.FromSpan<float>(mvExpected, [4]), mv, OracleTolerances.Abs, OracleTolerances.Rel, "mv");
        var lv = new OpHarness("dot").Input("X", Tensor.FromSpan<long>([1L << 33, 3], [2])).Input("Y", Tensor.FromSpan<long>([2, -4], [2])).Output("Out").Run1();
        Assert.Equal(0, lv.Shape.Length);
        Assert.Equal((1L << 34) - 12, lv.AsSpan<long>()[0]);
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Shape;

public sealed class Transpose2Tests
{
    public static TheoryData<int> Lengths() => new() { 0, 1, 7, 8, 9, 15, 16, 17, 31, 33 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Execute_RandomPermutations_MatchesIndexMapping(int last)
    {
        var rng = new Random(42);
        for (int trial = 0; trial < 10; trial++)
        {
            int rank = rng.Next(2, 6);
            var shape = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 5)).ToArray();
            shape[^1] = last;
            var perm = Enumerable.Range(0, rank).OrderBy(_ => rng.Next()).ToArray();
            var x = OpHarness.Floats(rng, shape);
            var y = new OpHarness("transpose2").Input("X", x).Output("Out").Output("XShape").Attr("axis", perm.Select(p => (long)p).ToArray()).Run1();
            Assert.Equal(perm.Select(p => shape[p]).ToArray(), y.Shape.ToArray());
            var xs = x.AsSpan<float>();
            var ys = y.AsSpan<float>();
            for (long f = 0; f < ys.Length; f++)
            {
                var oi = OpHarness.Unravel(f, y.Shape);
                var ii = new int[rank];
                for (int i = 0; i < rank; i++) ii[perm[i]] = oi[i];
                Assert.Equal(xs[(int)OpHarness.Ravel(ii, shape)], ys[(int)f]);
            }
        }
    }

    [Fact]
    public void Execute_Int64Input_KeepsType()
    {
        var x = Tensor.FromSpan<long>([1, 2, 3, 4, 5, 6], [2, 3]);
        var y = new OpHarness("transpose2").Input("X", x).Output("Out").Attr("axis", new long[] { 1, 0 }).Run1();
        Assert.Equal(DataType.Int64, y.DataType);
        Assert.Equal(new long[] { 1, 4, 2, 5, 3, 6 }, y.AsSpan<long>().ToArray());
    }
}

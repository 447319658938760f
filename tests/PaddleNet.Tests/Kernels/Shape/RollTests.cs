namespace PaddleNet.Tests.Kernels.Shape;

public sealed class RollTests
{
    [Fact]
    public void Execute_RandomShifts_MatchesModularIndexing()
    {
        var rng = new Random(42);
        for (int trial = 0; trial < 50; trial++)
        {
            int[] shape = [rng.Next(1, 5), rng.Next(1, 6), rng.Next(1, 18)];
            var x = OpHarness.Floats(rng, shape);
            long[] axes = [0, 2, 2];
            long[] shifts = [rng.Next(-9, 9), rng.Next(-40, 40), rng.Next(-3, 3)];
            var y = new OpHarness("roll").Input("X", x).Output("Out").Attr("axis", axes).Attr("shifts", shifts).Run1();
            long s0 = shifts[0], s2 = shifts[1] + shifts[2];
            var xs = x.AsSpan<float>();
            var ys = y.AsSpan<float>();
            for (long f = 0; f < xs.Length; f++)
            {
                var i = OpHarness.Unravel(f, shape);
                var o = (int[])i.Clone();
                o[0] = (int)(((i[0] + s0) % shape[0] + shape[0]) % shape[0]);
                o[2] = (int)(((i[2] + s2) % shape[2] + shape[2]) % shape[2]);
                Assert.Equal(xs[(int)f], ys[(int)OpHarness.Ravel(o, shape)]);
            }
        }
    }

    [Fact]
    public void Execute_NoAxis_RollsFlattened()
    {
        var x = Tensor.FromSpan<float>([0, 1, 2, 3, 4, 5], [2, 3]);
        var y = new OpHarness("roll").Input("X", x).Output("Out").Attr("axis", Array.Empty<long>()).Attr("shifts", new long[] { 2 }).Run1();
        Assert.Equal(new[] { 2, 3 }, y.Shape.ToArray());
        Assert.Equal(new float[] { 4, 5, 0, 1, 2, 3 }, y.AsSpan<float>().ToArray());
    }
}

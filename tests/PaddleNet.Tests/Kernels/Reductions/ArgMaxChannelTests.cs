using PaddleNet.Kernels.Reductions;

namespace PaddleNet.Tests.Kernels.Reductions;

/// <summary>arg_max / arg_min over a non-innermost float32 axis (channels): the 8-wide path against the scalar ArgIndex, ties and NaNs included, with inner sizes hitting the remainder.</summary>
public sealed class ArgMaxChannelTests
{
    [Theory]
    [InlineData(1, 19, 8, true)]
    [InlineData(2, 19, 37, true)]
    [InlineData(1, 2, 64 * 64 + 3, true)]
    [InlineData(3, 5, 17, false)]
    [InlineData(1, 1, 9, true)]
    public void Vector_MatchesScalar_TiesAndNaNs(int outer, int n, int inner, bool max)
    {
        var rng = new Random(n * inner);
        // Few distinct values: many ties; a sprinkle of NaNs.
        var x = Enumerable.Range(0, outer * n * inner).Select(_ => rng.Next(50) == 0 ? float.NaN : rng.Next(4)).Select(v => (float)v).ToArray();
        var fast = new long[outer * inner];
        ArgReduceKernelBase.ChannelArg<long>(x, fast, outer, n, inner, max, static i => i);
        var fast32 = new int[outer * inner];
        ArgReduceKernelBase.ChannelArg<int>(x, fast32, outer, n, inner, max, static i => i);
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                long expected = ArgReduceKernelBase.ArgIndex<float>(x, (long)o * n * inner + i, n, inner, max);
                Assert.Equal(expected, fast[o * inner + i]);
                Assert.Equal(expected, fast32[o * inner + i]);
            }
        }
    }
}

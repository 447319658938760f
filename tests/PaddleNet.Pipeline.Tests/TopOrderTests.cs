using PaddleNet.Pipeline.Postprocess;

namespace PaddleNet.Pipeline.Tests;

public sealed class TopOrderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(64)]
    [InlineData(65)]
    public void Descending_PartialSelection_MatchesFullSortPrefix(int count)
    {
        var rng = new Random(42);
        foreach (int n in new[] { 1, 3, 10, 64, 100, 1000 })
        {
            // Few distinct values so ties are common, plus NaNs (which order as the largest).
            var row = Enumerable.Range(0, n).Select(_ => rng.Next(8) == 0 ? float.NaN : rng.Next(6) / 4f).ToArray();
            var full = TopOrder.Descending(row, n);
            var top = TopOrder.Descending(row, count);
            Assert.Equal(full.Take(count), top);
        }
    }
}

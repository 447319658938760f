using PaddleNet.Kernels;

namespace PaddleNet.Tests.Kernels.Shape;

public sealed class DataMoveTests
{
    public static TheoryData<int> InnerLengths() => new() { 0, 1, 7, 8, 9, 15, 16, 17, 31, 33 };

    [Theory]
    [MemberData(nameof(InnerLengths))]
    public void Copy_RandomBoxesAndStrides_MatchesReference(int inner)
    {
        var rng = new Random(42);
        for (int trial = 0; trial < 40; trial++)
        {
            int rank = rng.Next(1, 5);
            var shape = new int[rank];
            for (int i = 0; i < rank - 1; i++) shape[i] = rng.Next(1, 4);
            shape[^1] = inner;
            // Source: a permuted, partly reversed, partly broadcast view of a contiguous buffer.
            var perm = Enumerable.Range(0, rank).OrderBy(_ => rng.Next()).ToArray();
            var srcShape = perm.Select(p => shape[p]).ToArray();
            var srcStrides = new long[rank];
            long s = 1;
            for (int i = rank - 1; i >= 0; i--) { srcStrides[i] = s; s *= Math.Max(srcShape[i], 1); }
            var ss = new long[rank];
            long off = 0;
            for (int i = 0; i < rank; i++)
            {
                int j = Array.IndexOf(perm, i);
                ss[i] = srcStrides[j];
                int mode = rng.Next(4);
                if (mode == 0 && shape[i] > 0) { off += (shape[i] - 1) * ss[i]; ss[i] = -ss[i]; }
                else if (mode == 1) ss[i] = 0;
            }
            var ds = new long[rank];
            long t = 1;
            for (int i = rank - 1; i >= 0; i--) { ds[i] = t; t *= shape[i]; }
            var src = new int[Math.Max(s, 1)];
            for (int i = 0; i < src.Length; i++) src[i] = rng.Next();
            var fast = new int[t];
            var reference = new int[t];
            DataMove.Copy<int>(src, off, ss, fast, 0, ds, shape);
            DataMove.CopyReference<int>(src, off, ss, reference, 0, ds, shape);
            Assert.Equal(reference, fast);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Copy_EveryElementSize_CopiesWholeElements(int elemSize)
    {
        var rng = new Random(42);
        int[] shape = [3, 17];
        long[] ss = [1, 3]; // transpose of a [17, 3] source
        long[] ds = [17, 1];
        var src = new byte[51 * elemSize];
        rng.NextBytes(src);
        var dst = new byte[51 * elemSize];
        DataMove.Copy(src, 0, ss, dst, 0, ds, shape, elemSize);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 17; j++)
            {
                Assert.Equal(src.AsSpan((j * 3 + i) * elemSize, elemSize).ToArray(), dst.AsSpan((i * 17 + j) * elemSize, elemSize).ToArray());
            }
        }
    }

    [Fact]
    public void Copy_IntoStridedDestination_LeavesGapsUntouched()
    {
        int[] src = [1, 2, 3, 4];
        var dst = new int[8];
        DataMove.Copy<int>(src, 0, [2, 1], dst, 1, [4, 1], [2, 2]);
        Assert.Equal(new[] { 0, 1, 2, 0, 0, 3, 4, 0 }, dst);
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Shape;

public sealed class SliceTests
{
    /// <summary>Python's slice.indices, with Paddle's "end −1 and negative step means before index 0".</summary>
    private static List<int> Indices(long dim, long start, long end, long step)
    {
        var r = new List<int>();
        if (step > 0)
        {
            start = Math.Clamp(start < 0 ? start + dim : start, 0, dim);
            end = Math.Clamp(end < 0 ? end + dim : end, 0, dim);
            for (long i = start; i < end; i += step) r.Add((int)i);
        }
        else
        {
            start = Math.Clamp(start < 0 ? start + dim : start, -1, dim - 1);
            if (end != -1) end = Math.Clamp(end < 0 ? end + dim : end, -1, dim - 1);
            for (long i = start; i > end; i += step) r.Add((int)i);
        }
        return r;
    }

    [Fact]
    public void StridedSlice_RandomRanges_MatchesPythonSemantics()
    {
        var rng = new Random(42);
        for (int trial = 0; trial < 200; trial++)
        {
            int[] shape = [rng.Next(1, 6), rng.Next(1, 9), rng.Next(0, 17)];
            var x = OpHarness.Floats(rng, shape);
            int axis = rng.Next(3);
            long dim = shape[axis];
            long start = rng.Next(-12, 12), end = rng.Next(-12, 12), step = rng.Next(1, 4) * (rng.Next(2) == 0 ? 1 : -1);
            var y = new OpHarness("strided_slice").Input("Input", x).Output("Out")
                .Attr("axes", new long[] { axis }).Attr("starts", new[] { start }).Attr("ends", new[] { end }).Attr("strides", new[] { step }).Run1();
            var idx = Indices(dim, start, end, step);
            Assert.Equal(idx.Count, y.Shape[axis]);
            var xs = x.AsSpan<float>();
            var ys = y.AsSpan<float>();
            for (long f = 0; f < ys.Length; f++)
            {
                var oi = OpHarness.Unravel(f, y.Shape);
                oi[axis] = idx[oi[axis]];
                Assert.Equal(xs[(int)OpHarness.Ravel(oi, shape)], ys[(int)f]);
            }
        }
    }

    [Fact]
    public void Slice_RandomRanges_MatchesClampedRange()
    {
        var rng = new Random(42);
        for (int trial = 0; trial < 200; trial++)
        {
            int[] shape = [rng.Next(1, 5), rng.Next(0, 18)];
            var x = OpHarness.Floats(rng, shape);
            long start = rng.Next(-20, 20), end = rng.Next(-20, 20);
            var y = new OpHarness("slice").Input("Input", x).Output("Out")
                .Attr("axes", new long[] { 1 }).Attr("starts", new[] { start }).Attr("ends", new[] { end }).Run1();
            var idx = Indices(shape[1], start, end, 1);
            Assert.Equal(new[] { shape[0], idx.Count }, y.Shape.ToArray());
            for (int i = 0; i < shape[0]; i++)
            {
                for (int j = 0; j < idx.Count; j++) Assert.Equal(x.AsSpan<float>()[i * shape[1] + idx[j]], y.AsSpan<float>()[i * idx.Count + j]);
            }
        }
    }

    [Fact]
    public void Slice_AllDimsDecreased_GivesZeroD()
    {
        var x = Tensor.FromSpan<float>([1, 2, 3, 4, 5, 6], [2, 3]);
        var y = new OpHarness("slice").Input("Input", x).Output("Out")
            .Attr("axes", new long[] { 0, 1 }).Attr("starts", new long[] { 1, -1 }).Attr("ends", new long[] { 2, 100 }).Attr("decrease_axis", new long[] { 0, 1 }).Run1();
        Assert.Equal(0, y.Shape.Length);
        Assert.Equal(6f, y.AsSpan<float>()[0]);
    }

    [Fact]
    public void Slice_StartsTensorListBeatsAttribute()
    {
        var x = Tensor.FromSpan<float>([0, 1, 2, 3, 4, 5, 6, 7], [8]);
        var y = new OpHarness("slice").Input("Input", x).Input("StartsTensorList", OpHarness.Longs(5)).Output("Out")
            .Attr("axes", new long[] { 0 }).Attr("starts", new long[] { 0 }).Attr("ends", new long[] { 7 }).Run1();
        Assert.Equal(new float[] { 5, 6 }, y.AsSpan<float>().ToArray());
    }
}

namespace PaddleNet.Tests.Kernels.Shape;

/// <summary>
/// where_index, take_along_axis, index_sample, scatter, scatter_nd_add, repeat_interleave, unique, temporal_shift, unfold,
/// argsort, top_k (v1), each against the numpy reference of its Paddle op test (np.argwhere, np.take_along_axis,
/// the scatter loops, np.add.at, np.repeat, np.unique, the pad-and-slice TSM oracle, im2col loops, np.argsort).
/// </summary>
public sealed class IndexingOpsTests
{
    [Fact]
    public void WhereIndex_IsNumpyArgwhere()
    {
        var c = Tensor.FromSpan<bool>([false, true, true, false, false, true], [2, 1, 3]);
        var y = new OpHarness("where_index").Input("Condition", c).Output("Out").Run1();
        Assert.Equal(new[] { 3, 3 }, y.Shape.ToArray());
        Assert.Equal(new long[] { 0, 0, 1, 0, 0, 2, 1, 0, 2 }, y.AsSpan<long>().ToArray());
        var none = new OpHarness("where_index").Input("Condition", Tensor.FromSpan<float>([0f, 0f], [2])).Output("Out").Run1();
        Assert.Equal(new[] { 0, 1 }, none.Shape.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void TakeAlongAxis_IsNumpyTakeAlongAxis(int axis)
    {
        var rng = new Random(1);
        int[] xshape = [3, 4, 5];
        var x = OpHarness.Floats(rng, xshape);
        int a = axis < 0 ? axis + 3 : axis;
        int[] ishape = [3, 4, 5];
        ishape[a] = 6;
        var idx = Enumerable.Range(0, ishape.Aggregate(1, (p, d) => p * d)).Select(_ => (long)rng.Next(-xshape[a], xshape[a])).ToArray();
        var y = new OpHarness("take_along_axis").Input("Input", x).Input("Index", Tensor.FromSpan<long>(idx, ishape)).Output("Result").Attr("Axis", (long)axis).Run1("Result");
        Assert.Equal(ishape, y.Shape.ToArray());
        var xs = x.AsSpan<float>();
        for (long f = 0; f < idx.Length; f++)
        {
            var i = OpHarness.Unravel(f, ishape);
            i[a] = (int)(idx[f] < 0 ? idx[f] + xshape[a] : idx[f]);
            Assert.Equal(xs[(int)OpHarness.Ravel(i, xshape)], y.AsSpan<float>()[(int)f]);
        }
    }

    [Fact]
    public void IndexSample_GathersPerRow_Int32Index()
    {
        var x = Tensor.FromSpan<float>([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]);
        var i = Tensor.FromSpan<int>([3, 0, 3, 1, 1, 2], [2, 3]);
        var y = new OpHarness("index_sample").Input("X", x).Input("Index", i).Output("Out").Run1();
        Assert.Equal(new float[] { 4, 1, 4, 6, 6, 7 }, y.AsSpan<float>().ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Scatter_MatchesTestScatterOpOracle(bool overwrite)
    {
        var rng = new Random(2);
        var x = OpHarness.Floats(rng, 5, 3);
        long[] ids = [1, 3, 1, 0];
        var upd = OpHarness.Floats(rng, 4, 3);
        var y = new OpHarness("scatter").Input("X", x).Input("Ids", Tensor.FromSpan<long>(ids, [4])).Input("Updates", upd).Output("Out").Attr("overwrite", overwrite).Run1();
        var expected = x.AsSpan<float>().ToArray();
        var u = upd.AsSpan<float>().ToArray();
        if (overwrite)
        {
            for (int i = 0; i < ids.Length; i++) for (int j = 0; j < 3; j++) expected[ids[i] * 3 + j] = u[i * 3 + j];
        }
        else
        {
            foreach (var r in ids) for (int j = 0; j < 3; j++) expected[r * 3 + j] = 0;
            for (int i = 0; i < ids.Length; i++) for (int j = 0; j < 3; j++) expected[ids[i] * 3 + j] += u[i * 3 + j];
        }
        Assert.Equal(expected, y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void ScatterNdAdd_IsNumpyAddAt()
    {
        var rng = new Random(3);
        var x = OpHarness.Floats(rng, 3, 4, 2);
        long[] index = [0, 1, 2, 3, 0, 1, -1, -4]; // 4 tuples of k=2, a duplicate and negatives
        var upd = OpHarness.Floats(rng, 4, 2);
        var y = new OpHarness("scatter_nd_add").Input("X", x).Input("Index", Tensor.FromSpan<long>(index, [4, 2])).Input("Updates", upd).Output("Out").Run1();
        var expected = x.AsSpan<float>().ToArray();
        var u = upd.AsSpan<float>().ToArray();
        for (int t = 0; t < 4; t++)
        {
            long a = index[t * 2] < 0 ? index[t * 2] + 3 : index[t * 2], b = index[t * 2 + 1] < 0 ? index[t * 2 + 1] + 4 : index[t * 2 + 1];
            for (int e = 0; e < 2; e++) expected[(a * 4 + b) * 2 + e] += u[t * 2 + e];
        }
        Assert.Equal(expected, y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void RepeatInterleave_IsNumpyRepeat()
    {
        var x = Tensor.FromSpan<int>([1, 2, 3, 4, 5, 6], [2, 3]);
        var y = new OpHarness("repeat_interleave").Input("X", x).Output("Out").Attr("Repeats", 2L).Attr("dim", 1L).Run1();
        Assert.Equal(new[] { 2, 6 }, y.Shape.ToArray());
        Assert.Equal(new[] { 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6 }, y.AsSpan<int>().ToArray());
        var t = new OpHarness("repeat_interleave").Input("X", x).Input("RepeatsTensor", Tensor.FromSpan<long>([0, 3], [2])).Output("Out").Attr("dim", -2L).Run1();
        Assert.Equal(new[] { 3, 3 }, t.Shape.ToArray());
        Assert.Equal(new[] { 4, 5, 6, 4, 5, 6, 4, 5, 6 }, t.AsSpan<int>().ToArray());
    }

    [Fact]
    public void Unique_Sorted_IsNumpyUnique_Unsorted_KeepsFirstOccurrence()
    {
        var x = Tensor.FromSpan<long>([2, 3, 3, 1, 5, 3, 2], [7]);
        var h = new OpHarness("unique").Input("X", x).Output("Out").Output("Indices").Output("Index").Output("Counts").Attr("is_sorted", true).Attr("dtype", 3L);
        Assert.Equal(new long[] { 1, 2, 3, 5 }, h.Run1("Out").AsSpan<long>().ToArray());
        Assert.Equal(new long[] { 3, 0, 1, 4 }, h.Run1("Indices").AsSpan<long>().ToArray());
        Assert.Equal(new long[] { 1, 2, 2, 0, 3, 2, 1 }, h.Run1("Index").AsSpan<long>().ToArray());
        Assert.Equal(new long[] { 1, 2, 3, 1 }, h.Run1("Counts").AsSpan<long>().ToArray());
        var old = new OpHarness("unique").Input("X", Tensor.FromSpan<float>([2f, 3f, 3f, 1f, 5f, 3f, 2f], [7])).Output("Out").Output("Index");
        Assert.Equal(new float[] { 2, 3, 1, 5 }, old.Run1("Out").AsSpan<float>().ToArray());
        Assert.Equal(new[] { 0, 1, 1, 2, 3, 1, 0 }, old.Run1("Index").AsSpan<int>().ToArray());
    }

    [Theory]
    [InlineData("NCHW", 0.25)]
    [InlineData("NHWC", 0.3)]
    public void TemporalShift_MatchesPadAndSliceOracle(string layout, double ratio)
    {
        int n = 2, t = 3, c = 7, h = 2, w = 3;
        int[] shape = layout == "NCHW" ? [n * t, c, h, w] : [n * t, h, w, c];
        var x = OpHarness.Floats(new Random(4), shape);
        var y = new OpHarness("temporal_shift").Input("X", x).Output("Out").Attr("seg_num", (long)t).Attr("shift_ratio", ratio).Attr("data_format", layout).Run1();
        int c1 = (int)(c * (float)ratio), c2 = (int)(c * 2 * (float)ratio);
        var xs = x.AsSpan<float>().ToArray();
        for (long f = 0; f < xs.Length; f++)
        {
            var i = OpHarness.Unravel(f, shape);
            int ch = layout == "NCHW" ? i[1] : i[3];
            int frame = i[0] % t;
            int from = ch < c1 ? frame - 1 : ch < c2 ? frame + 1 : frame;
            float expected = 0;
            if (from >= 0 && from < t)
            {
                var s = (int[])i.Clone();
                s[0] = i[0] - frame + from;
                expected = xs[OpHarness.Ravel(s, shape)];
            }
            Assert.Equal(expected, y.AsSpan<float>()[(int)f]);
        }
    }

    [Fact]
    public void Unfold_MatchesIm2colLoops()
    {
        int n = 2, c = 3, h = 6, w = 5;
        var x = OpHarness.Floats(new Random(5), n, c, h, w);
        int[] k = [2, 3], s = [2, 1], p = [1, 0, 2, 1], d = [1, 2];
        var y = new OpHarness("unfold").Input("X", x).Output("Y").Attr("kernel_sizes", k.Select(v => (long)v).ToArray()).Attr("strides", s.Select(v => (long)v).ToArray())
            .Attr("paddings", p.Select(v => (long)v).ToArray()).Attr("dilations", d.Select(v => (long)v).ToArray()).Run1("Y");
        int ho = (h + p[0] + p[2] - (d[0] * (k[0] - 1) + 1)) / s[0] + 1, wo = (w + p[1] + p[3] - (d[1] * (k[1] - 1) + 1)) / s[1] + 1;
        Assert.Equal(new[] { n, c * 6, ho * wo }, y.Shape.ToArray());
        var xs = x.AsSpan<float>().ToArray();
        var ys = y.AsSpan<float>().ToArray();
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < k[0]; i++)
                    for (int j = 0; j < k[1]; j++)
                        for (int oh = 0; oh < ho; oh++)
                            for (int ow = 0; ow < wo; ow++)
                            {
                                int ih = oh * s[0] - p[0] + i * d[0], iw = ow * s[1] - p[1] + j * d[1];
                                float e = ih < 0 || ih >= h || iw < 0 || iw >= w ? 0 : xs[((b * c + ch) * h + ih) * w + iw];
                                Assert.Equal(e, ys[((b * c * 6) + (ch * k[0] + i) * k[1] + j) * ho * wo + oh * wo + ow]);
                            }
    }

    [Theory]
    [InlineData(-1, false, false)]
    [InlineData(0, true, false)]
    [InlineData(1, false, true)]
    public void Argsort_IsNumpyArgsort(int axis, bool descending, bool stable)
    {
        var rng = new Random(6);
        int[] shape = [4, 37];
        // Stable runs get ties (numpy's kind='stable' order); unstable runs distinct values.
        var data = Enumerable.Range(0, 4 * 37).Select(i => stable ? (float)rng.Next(0, 5) : (float)rng.NextDouble()).ToArray();
        var x = Tensor.FromSpan<float>(data, shape);
        var h = new OpHarness("argsort").Input("X", x).Output("Out").Output("Indices").Attr("axis", (long)axis).Attr("descending", descending).Attr("stable", stable);
        var ind = h.Run1("Indices").AsSpan<long>().ToArray();
        var vals = h.Run1("Out").AsSpan<float>().ToArray();
        int a = axis < 0 ? axis + 2 : axis;
        int len = shape[a], other = shape[1 - a];
        for (int o = 0; o < other; o++)
        {
            int At(int j) => a == 1 ? o * 37 + j : j * 37 + o;
            var expected = Enumerable.Range(0, len).OrderBy(j => descending ? -data[At(j)] : data[At(j)]).ThenBy(j => j).ToArray(); // stable: ties by index
            for (int j = 0; j < len; j++)
            {
                Assert.Equal(expected[j], ind[At(j)]);
                Assert.Equal(data[At(expected[j])], vals[At(j)]);
            }
        }
    }

    [Fact]
    public void TopKV1_LastAxis_KFromTensor()
    {
        var rng = new Random(7);
        var data = Enumerable.Range(0, 3 * 50).Select(_ => (float)rng.NextDouble()).ToArray();
        var h = new OpHarness("top_k").Input("X", Tensor.FromSpan<float>(data, [3, 50])).Input("K", Tensor.FromSpan<int>([4], [1])).Output("Out").Output("Indices");
        var v = h.Run1("Out");
        var i = h.Run1("Indices").AsSpan<long>().ToArray();
        Assert.Equal(new[] { 3, 4 }, v.Shape.ToArray());
        for (int r = 0; r < 3; r++)
        {
            var expected = Enumerable.Range(0, 50).OrderByDescending(j => data[r * 50 + j]).Take(4).ToArray();
            Assert.Equal(expected.Select(j => (long)j), i[(r * 4)..(r * 4 + 4)]);
            Assert.Equal(expected.Select(j => data[r * 50 + j]), v.AsSpan<float>().ToArray()[(r * 4)..(r * 4 + 4)]);
        }
    }
}

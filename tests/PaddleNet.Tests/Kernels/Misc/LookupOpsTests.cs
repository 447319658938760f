using PaddleNet.Tests.Kernels.Shape;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Kernels.Misc;

/// <summary>one_hot_v2, lookup_table(_v2), viterbi_decode against the numpy oracles of Paddle's op tests.</summary>
public sealed class LookupOpsTests
{
    [Fact]
    public void OneHotV2_Int64Ids_MatchesNumpyEye()
    {
        // test_one_hot_v2_op.py: out[i, x[i]] = 1.
        long[] ids = [0, 3, 4, 1, 3, 2];
        var y = new OpHarness("one_hot_v2").Input("X", Tensor.FromSpan<long>(ids, [2, 3])).Output("Out").Attr("depth", 5L).Attr("dtype", 5L).Run1();
        Assert.Equal(new[] { 2, 3, 5 }, y.Shape.ToArray());
        var expected = new float[30];
        for (int i = 0; i < ids.Length; i++) expected[i * 5 + ids[i]] = 1;
        Assert.Equal(expected, y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void OneHotV2_DepthTensor_AndOutOfRange()
    {
        var x = Tensor.FromSpan<int>([1, 7], [2]);
        var depth = Tensor.FromSpan<int>([3], [1]);
        var y = new OpHarness("one_hot_v2").Input("X", x).Input("depth_tensor", depth).Output("Out").Attr("allow_out_of_range", true).Run1();
        Assert.Equal(new float[] { 0, 1, 0, 0, 0, 0 }, y.AsSpan<float>().ToArray());
        var strict = new OpHarness("one_hot_v2").Input("X", x).Input("depth_tensor", depth).Output("Out");
        Assert.Throws<ShapeMismatchException>(() => strict.Run1());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    [InlineData(-3)] // normalises to 17 - 3 = 14
    public void LookupTableV2_GathersRows_PaddingZeroed(long padding)
    {
        // test_lookup_table_v2_op.py: out = table[ids]; rows at padding_idx are 0.
        var rng = new Random(7);
        var w = OpHarness.Floats(rng, 17, 31);
        long[] ids = [2, 0, 16, 14, 2, 5, 14, 1];
        var y = new OpHarness("lookup_table_v2").Input("Ids", Tensor.FromSpan<long>(ids, [2, 4])).Input("W", w).Output("Out").Attr("padding_idx", padding).Run1();
        Assert.Equal(new[] { 2, 4, 31 }, y.Shape.ToArray());
        long pad = padding < -1 ? padding + 17 : padding;
        var ws = w.AsSpan<float>();
        var ys = y.AsSpan<float>();
        for (int i = 0; i < ids.Length; i++)
        {
            for (int j = 0; j < 31; j++) Assert.Equal(ids[i] == pad ? 0f : ws[(int)ids[i] * 31 + j], ys[i * 31 + j]);
        }
    }

    [Fact]
    public void LookupTableV1_ReplacesTrailingOne_AndRejectsOutOfRange()
    {
        var w = Tensor.FromSpan<float>([1, 2, 3, 4, 5, 6], [3, 2]);
        var y = new OpHarness("lookup_table").Input("Ids", Tensor.FromSpan<int>([2, 0], [2, 1])).Input("W", w).Output("Out").Run1();
        Assert.Equal(new[] { 2, 2 }, y.Shape.ToArray());
        Assert.Equal(new float[] { 5, 6, 1, 2 }, y.AsSpan<float>().ToArray());
        var bad = new OpHarness("lookup_table_v2").Input("Ids", Tensor.FromSpan<int>([3], [1])).Input("W", w).Output("Out");
        Assert.Throws<ShapeMismatchException>(() => bad.Run1());
    }

    /// <summary>test_viterbi_decode_op.py's Decoder, ported (numpy broadcasting spelled out).</summary>
    private static (double[] Scores, long[,] Path) Decode(double[,,] input, double[,] trans, long[] length, bool useTag)
    {
        int bs = input.GetLength(0), n = input.GetLength(2);
        long maxLen = length.Max();
        var left = (long[])length.Clone();
        var alpha = new double[bs, n];
        for (int b = 0; b < bs; b++)
        {
            for (int j = 0; j < n; j++) alpha[b, j] = useTag ? -1e4 : 0;
            alpha[b, n - 1] = 0;
        }
        var histories = new List<long[,]>();
        for (int i = 0; i < maxLen; i++)
        {
            if (i == 0 && !useTag)
            {
                for (int b = 0; b < bs; b++)
                {
                    for (int j = 0; j < n; j++) alpha[b, j] = input[b, i, j];
                    left[b]--;
                }
                continue;
            }
            var amax = new double[bs, n];
            var arg = new long[bs, n];
            for (int b = 0; b < bs; b++)
            {
                for (int j = 0; j < n; j++)
                {
                    amax[b, j] = double.NegativeInfinity;
                    for (int k = 0; k < n; k++)
                    {
                        double v = alpha[b, k] + trans[k, j];
                        if (v > amax[b, j]) (amax[b, j], arg[b, j]) = (v, k);
                    }
                }
            }
            if (i >= 1) histories.Add(arg);
            for (int b = 0; b < bs; b++)
            {
                int mask = left[b] > 0 ? 1 : 0;
                for (int j = 0; j < n; j++)
                {
                    alpha[b, j] = mask * (amax[b, j] + input[b, i, j]) + (1 - mask) * alpha[b, j];
                    if (useTag) alpha[b, j] += (left[b] == 1 ? 1 : 0) * trans[n - 2, j];
                }
                left[b]--;
            }
        }
        var scores = new double[bs];
        var last = new long[bs];
        for (int b = 0; b < bs; b++)
        {
            scores[b] = double.NegativeInfinity;
            for (int j = 0; j < n; j++)
            {
                if (alpha[b, j] > scores[b]) (scores[b], last[b]) = (alpha[b, j], j);
            }
        }
        var cols = new List<long[]> { last.Select((l, b) => l * (left[b] >= 0 ? 1 : 0)).ToArray() };
        for (int h = histories.Count - 1; h >= 0; h--)
        {
            var upd = new long[bs];
            for (int b = 0; b < bs; b++)
            {
                left[b]++;
                upd[b] = histories[h][b, last[b]] * (left[b] > 0 ? 1 : 0);
                if (left[b] == 0) upd[b] = last[b];
            }
            cols.Insert(0, upd);
            for (int b = 0; b < bs; b++) last[b] = upd[b] + (left[b] < 0 ? 1 : 0) * last[b];
        }
        var path = new long[bs, cols.Count];
        for (int c = 0; c < cols.Count; c++) for (int b = 0; b < bs; b++) path[b, c] = cols[c][b];
        return (scores, path);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 3)]
    public void ViterbiDecode_MatchesNumpyDecoder(bool useTag, int seed)
    {
        var rng = new Random(seed);
        int bs = 4, steps = 8, n = 10;
        var input = OpHarness.Floats(rng, bs, steps, n);
        var trans = OpHarness.Floats(rng, n, n);
        long[] length = Enumerable.Range(0, bs).Select(_ => (long)rng.Next(1, steps + 1)).ToArray();
        var outs = new OpHarness("viterbi_decode").Input("Input", input).Input("Transition", trans).Input("Length", Tensor.FromSpan<long>(length, [bs]))
            .Output("Scores").Output("Path").Attr("include_bos_eos_tag", useTag);
        var scores = outs.Run1("Scores");
        var path = outs.Run1("Path");
        var inArr = new double[bs, steps, n];
        var xs = input.AsSpan<float>();
        for (int i = 0; i < xs.Length; i++) inArr[i / (steps * n), i / n % steps, i % n] = xs[i];
        var tArr = new double[n, n];
        var ts = trans.AsSpan<float>();
        for (int i = 0; i < ts.Length; i++) tArr[i / n, i % n] = ts[i];
        var (es, ep) = Decode(inArr, tArr, length, useTag);
        TensorAssert.Close(Tensor.FromSpan<float>(es.Select(v => (float)v).ToArray(), [bs]), scores, OracleTolerances.Abs, OracleTolerances.Rel, "Scores");
        Assert.Equal(new[] { bs, ep.GetLength(1) }, path.Shape.ToArray());
        Assert.Equal(ep.Cast<long>().ToArray(), path.AsSpan<long>().ToArray());
    }
}

using PaddleNet.Tests.Kernels.Shape;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>
/// conv3d, pool3d, max_pool3d_with_index, deformable_conv, einsum against the naive numpy forwards of Paddle's op tests
/// (conv3d_forward_naive, pool3D_forward_naive, max_pool3D_forward_naive, the deformable_conv dmc_bilinear loops, np.einsum).
/// </summary>
public sealed class VolumeOpsTests
{
    private static long[] L(params int[] v) => v.Select(x => (long)x).ToArray();

    [Theory]
    [InlineData(1, new[] { 1, 1, 1 }, new[] { 0, 0, 0 }, new[] { 1, 1, 1 }, "EXPLICIT")]
    [InlineData(2, new[] { 2, 1, 2 }, new[] { 1, 0, 1 }, new[] { 1, 2, 1 }, "EXPLICIT")]
    [InlineData(1, new[] { 2, 2, 2 }, new[] { 0, 0, 0 }, new[] { 1, 1, 1 }, "SAME")]
    public void Conv3D_MatchesNaiveForward(int groups, int[] strides, int[] pads, int[] dil, string alg)
    {
        var rng = new Random(1);
        int n = 2, c = 4, d = 5, h = 6, w = 5, o = 6;
        int[] k = [3, 2, 3];
        var x = OpHarness.Floats(rng, n, c, d, h, w);
        var f = OpHarness.Floats(rng, o, c / groups, k[0], k[1], k[2]);
        var y = new OpHarness("conv3d").Input("Input", x).Input("Filter", f).Output("Output").Attr("groups", (long)groups)
            .Attr("strides", L(strides)).Attr("paddings", L(pads)).Attr("dilations", L(dil)).Attr("padding_algorithm", alg).Run1("Output");
        int[] input = [d, h, w];
        var p = new int[3];
        var dl = (int[])dil.Clone();
        for (int i = 0; i < 3; i++)
        {
            if (alg == "SAME")
            {
                dl[i] = 1;
                int outSame = (input[i] + strides[i] - 1) / strides[i];
                p[i] = Math.Max((outSame - 1) * strides[i] + k[i] - input[i], 0) / 2;
            }
            else p[i] = pads[i];
        }
        int[] os = Enumerable.Range(0, 3).Select(i => alg == "SAME" ? (input[i] + strides[i] - 1) / strides[i] : (input[i] + 2 * p[i] - (dl[i] * (k[i] - 1) + 1)) / strides[i] + 1).ToArray();
        Assert.Equal(new[] { n, o, os[0], os[1], os[2] }, y.Shape.ToArray());
        var xv = x.AsSpan<float>().ToArray();
        var fv = f.AsSpan<float>().ToArray();
        int cg = c / groups, og = o / groups;
        var expected = new float[n * o * os[0] * os[1] * os[2]];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
                for (int a0 = 0; a0 < os[0]; a0++)
                    for (int a1 = 0; a1 < os[1]; a1++)
                        for (int a2 = 0; a2 < os[2]; a2++)
                        {
                            double acc = 0;
                            for (int ic = 0; ic < cg; ic++)
                                for (int i0 = 0; i0 < k[0]; i0++)
                                    for (int i1 = 0; i1 < k[1]; i1++)
                                        for (int i2 = 0; i2 < k[2]; i2++)
                                        {
                                            int z = a0 * strides[0] - p[0] + i0 * dl[0], yy = a1 * strides[1] - p[1] + i1 * dl[1], xx = a2 * strides[2] - p[2] + i2 * dl[2];
                                            if (z < 0 || z >= d || yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                                            acc += xv[(((b * c + oc / og * cg + ic) * d + z) * h + yy) * w + xx] * (double)fv[(((oc * cg + ic) * k[0] + i0) * k[1] + i1) * k[2] + i2];
                                        }
                            expected[(((b * o + oc) * os[0] + a0) * os[1] + a1) * os[2] + a2] = (float)acc;
                        }
        TensorAssert.Close(Tensor.FromSpan<float>(expected, y.Shape), y, OracleTolerances.Abs, OracleTolerances.Rel, "conv3d");
    }

    [Theory]
    [InlineData("max", false, false, false, true)]
    [InlineData("avg", false, false, true, true)]
    [InlineData("avg", false, true, false, false)]
    [InlineData("avg", true, false, false, true)]
    [InlineData("max", false, false, true, true)]
    public void Pool3D_MatchesNaiveForward(string type, bool adaptive, bool ceil, bool global, bool exclusive)
    {
        var rng = new Random(2);
        int[] shape = [2, 3, 5, 6, 7];
        var x = OpHarness.Floats(rng, shape);
        int[] k = adaptive ? [2, 3, 4] : [2, 3, 3], s = [2, 2, 1], p = [1, 0, 1];
        var y = new OpHarness("pool3d").Input("X", x).Output("Out").Attr("pooling_type", type).Attr("ksize", L(k)).Attr("strides", L(s)).Attr("paddings", L(p))
            .Attr("adaptive", adaptive).Attr("ceil_mode", ceil).Attr("global_pooling", global).Attr("exclusive", exclusive).Run1();
        int[] input = [5, 6, 7];
        if (global) { k = input; p = [0, 0, 0]; }
        if (adaptive) p = [0, 0, 0];
        int[] os = Enumerable.Range(0, 3).Select(i => adaptive ? k[i] : global ? 1 : (input[i] - k[i] + 2 * p[i] + (ceil ? s[i] - 1 : 0)) / s[i] + 1).ToArray();
        Assert.Equal(new[] { 2, 3, os[0], os[1], os[2] }, y.Shape.ToArray());
        var xv = x.AsSpan<float>().ToArray();
        var expected = new List<float>();
        for (int pl = 0; pl < 6; pl++)
            for (int a = 0; a < os[0]; a++)
                for (int b = 0; b < os[1]; b++)
                    for (int c = 0; c < os[2]; c++)
                    {
                        int[] o = [a, b, c];
                        var st = new int[3];
                        var en = new int[3];
                        var full = new int[3];
                        for (int i = 0; i < 3; i++)
                        {
                            if (adaptive) { st[i] = (int)Math.Floor((double)o[i] * input[i] / os[i]); en[i] = (int)Math.Ceiling((double)(o[i] + 1) * input[i] / os[i]); full[i] = en[i] - st[i]; }
                            else
                            {
                                int s0 = o[i] * (global ? 1 : s[i]) - p[i];
                                int e0 = Math.Min(s0 + k[i], input[i] + p[i]);
                                full[i] = e0 - s0;
                                st[i] = Math.Max(s0, 0);
                                en[i] = Math.Min(e0, input[i]);
                            }
                        }
                        var vals = new List<float>();
                        for (int i = st[0]; i < en[0]; i++) for (int j = st[1]; j < en[1]; j++) for (int m = st[2]; m < en[2]; m++) vals.Add(xv[pl * 210 + (i * 6 + j) * 7 + m]);
                        expected.Add(type == "max" ? vals.Max() : (float)(vals.Sum(v => (double)v) / (exclusive || adaptive ? vals.Count : full[0] * full[1] * full[2])));
                    }
        TensorAssert.Close(Tensor.FromSpan<float>(expected.ToArray(), y.Shape), y, OracleTolerances.Abs, OracleTolerances.Rel, $"pool3d {type}");
    }

    [Fact]
    public void MaxPool3DWithIndex_ValuesAndFlatIndices()
    {
        var rng = new Random(3);
        int[] shape = [1, 2, 4, 5, 6];
        var x = OpHarness.Floats(rng, shape);
        var h = new OpHarness("max_pool3d_with_index").Input("X", x).Output("Out").Output("Mask").Attr("ksize", L(2, 2, 3)).Attr("strides", L(2, 2, 2)).Attr("paddings", L(0, 1, 1));
        var y = h.Run1("Out");
        var mask = h.Run1("Mask").AsSpan<int>().ToArray();
        int[] os = [(4 - 2) / 2 + 1, (5 - 2 + 2) / 2 + 1, (6 - 3 + 2) / 2 + 1];
        Assert.Equal(new[] { 1, 2, os[0], os[1], os[2] }, y.Shape.ToArray());
        var xv = x.AsSpan<float>().ToArray();
        int f = 0;
        for (int pl = 0; pl < 2; pl++)
            for (int a = 0; a < os[0]; a++)
                for (int b = 0; b < os[1]; b++)
                    for (int c = 0; c < os[2]; c++, f++)
                    {
                        float best = float.MinValue;
                        int at = -1;
                        for (int i = a * 2; i < Math.Min(a * 2 + 2, 4); i++)
                            for (int j = Math.Max(b * 2 - 1, 0); j < Math.Min(b * 2 - 1 + 2, 5); j++)
                                for (int m = Math.Max(c * 2 - 1, 0); m < Math.Min(c * 2 - 1 + 3, 6); m++)
                                {
                                    int idx = (i * 5 + j) * 6 + m;
                                    if (xv[pl * 120 + idx] > best) (best, at) = (xv[pl * 120 + idx], idx);
                                }
                        Assert.Equal(best, y.AsSpan<float>()[f]);
                        Assert.Equal(at, mask[f]);
                    }
    }

    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(2, 2, true)]
    [InlineData(1, 2, false)]
    public void DeformableConv_MatchesNumpyDmcnOracle(int groups, int dg, bool withMask)
    {
        var rng = new Random(4);
        int n = 2, c = 4, h = 5, w = 6, o = 4, kh = 3, kw = 2, sh = 1, sw = 2, ph = 1, pw = 1, dh = 1, dw = 1;
        int ho = (h + 2 * ph - (dh * (kh - 1) + 1)) / sh + 1, wo = (w + 2 * pw - (dw * (kw - 1) + 1)) / sw + 1;
        var x = OpHarness.Floats(rng, n, c, h, w);
        var off = Tensor.FromSpan<float>(Enumerable.Range(0, n * 2 * dg * kh * kw * ho * wo).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray(), [n, 2 * dg * kh * kw, ho, wo]);
        var mask = Tensor.FromSpan<float>(Enumerable.Range(0, n * dg * kh * kw * ho * wo).Select(_ => (float)rng.NextDouble()).ToArray(), [n, dg * kh * kw, ho, wo]);
        var f = OpHarness.Floats(rng, o, c / groups, kh, kw);
        var hb = new OpHarness(withMask ? "deformable_conv" : "deformable_conv_v1").Input("Input", x).Input("Offset", off).Input("Filter", f).Output("Output")
            .Attr("strides", L(sh, sw)).Attr("paddings", L(ph, pw)).Attr("dilations", L(dh, dw)).Attr("groups", (long)groups).Attr("deformable_groups", (long)dg);
        if (withMask) hb.Input("Mask", mask);
        var y = hb.Run1("Output");
        var xv = x.AsSpan<float>().ToArray();
        var ov = off.AsSpan<float>().ToArray();
        var mv = mask.AsSpan<float>().ToArray();
        var fv = f.AsSpan<float>().ToArray();
        double At(int b, int ch, int yy, int xx) => yy < 0 || yy >= h || xx < 0 || xx >= w ? 0 : xv[((b * c + ch) * h + yy) * w + xx];
        double Dmc(int b, int ch, double yy, double xx)
        {
            int y0 = (int)Math.Floor(yy), x0 = (int)Math.Floor(xx);
            double ly = yy - y0, lx = xx - x0;
            return (1 - ly) * (1 - lx) * At(b, ch, y0, x0) + (1 - ly) * lx * At(b, ch, y0, x0 + 1) + ly * (1 - lx) * At(b, ch, y0 + 1, x0) + ly * lx * At(b, ch, y0 + 1, x0 + 1);
        }
        int cg = c / groups, og = o / groups, taps = kh * kw;
        var expected = new float[n * o * ho * wo];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
                for (int i = 0; i < ho; i++)
                    for (int j = 0; j < wo; j++)
                    {
                        double acc = 0;
                        for (int ic = 0; ic < cg; ic++)
                        {
                            int ch = oc / og * cg + ic, g = ch / (c / dg);
                            for (int a = 0; a < kh; a++)
                                for (int bb = 0; bb < kw; bb++)
                                {
                                    int tap = a * kw + bb;
                                    double oy = ov[((b * 2 * dg * taps + g * 2 * taps + 2 * tap) * ho + i) * wo + j];
                                    double ox = ov[((b * 2 * dg * taps + g * 2 * taps + 2 * tap + 1) * ho + i) * wo + j];
                                    double yy = i * sh - ph + a * dh + oy, xx = j * sw - pw + bb * dw + ox;
                                    double v = yy > -1 && xx > -1 && yy < h && xx < w ? Dmc(b, ch, yy, xx) : 0;
                                    if (withMask) v *= mv[((b * dg * taps + g * taps + tap) * ho + i) * wo + j];
                                    acc += v * fv[((oc * cg + ic) * kh + a) * kw + bb];
                                }
                        }
                        expected[((b * o + oc) * ho + i) * wo + j] = (float)acc;
                    }
        TensorAssert.Close(Tensor.FromSpan<float>(expected, [n, o, ho, wo]), y, OracleTolerances.Abs, OracleTolerances.Rel, "deformable_conv");
    }

    [Fact]
    public void Einsum_MatchesNumpyEinsum()
    {
        var rng = new Random(5);
        var a = OpHarness.Floats(rng, 2, 3, 4);
        var b = OpHarness.Floats(rng, 2, 4, 5);
        var av = a.AsSpan<float>().ToArray();
        var bv = b.AsSpan<float>().ToArray();
        // Batched matmul, explicit.
        var bmm = new OpHarness("einsum").Input("Operands", a, b).Output("Out").Attr("equation", "bij,bjk->bik").Run1();
        var e1 = new float[2 * 3 * 5];
        for (int n = 0; n < 2; n++) for (int i = 0; i < 3; i++) for (int k = 0; k < 5; k++) e1[(n * 3 + i) * 5 + k] = (float)Enumerable.Range(0, 4).Sum(j => (double)av[(n * 3 + i) * 4 + j] * bv[(n * 4 + j) * 5 + k]);
        TensorAssert.Close(Tensor.FromSpan<float>(e1, [2, 3, 5]), bmm, OracleTolerances.Abs, OracleTolerances.Rel, "bij,bjk->bik");
        // Ellipsis with implicit output (np: '...' then letters used once, sorted): "...j,...jk" -> "...k".
        var ell = new OpHarness("einsum").Input("Operands", a, b).Output("Out").Attr("equation", "...ij,...jk").Run1();
        Assert.Equal(new[] { 2, 3, 5 }, ell.Shape.ToArray());
        TensorAssert.Close(Tensor.FromSpan<float>(e1, [2, 3, 5]), ell, OracleTolerances.Abs, OracleTolerances.Rel, "...ij,...jk");
        // Transpose and full reduction, trace.
        var t = new OpHarness("einsum").Input("Operands", a).Output("Out").Attr("equation", "bij->jib").Run1();
        Assert.Equal(new[] { 4, 3, 2 }, t.Shape.ToArray());
        Assert.Equal(av[(1 * 3 + 2) * 4 + 3], t.AsSpan<float>()[(3 * 3 + 2) * 2 + 1]);
        var sum = new OpHarness("einsum").Input("Operands", a).Output("Out").Attr("equation", "bij->").Run1();
        Assert.Equal(0, sum.Shape.Length);
        Assert.Equal((float)av.Sum(v => (double)v), sum.AsSpan<float>()[0], 5);
        var sq = OpHarness.Floats(rng, 4, 4);
        var tr = new OpHarness("einsum").Input("Operands", sq).Output("Out").Attr("equation", "ii->").Run1();
        Assert.Equal((float)Enumerable.Range(0, 4).Sum(i => (double)sq.AsSpan<float>()[i * 5]), tr.AsSpan<float>()[0], 6);
    }
}

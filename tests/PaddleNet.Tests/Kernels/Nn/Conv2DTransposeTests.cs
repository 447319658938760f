using PaddleNet.Kernels.Nn;
using PaddleNet.Model;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>
/// conv2d_transpose / depthwise_conv2d_transpose: the fast GEMM + col2im and direct paths against Paddle's numpy
/// oracle (conv2dtranspose_forward_naive of test/legacy_test/test_conv2d_transpose_op.py, ported below in double
/// precision, scatter form) and against the scalar gather reference on shapes that hit every vector remainder.
/// </summary>
public sealed unsafe class Conv2DTransposeTests
{
    /// <summary>
    /// Port of Paddle's numpy reference: scatter every input pixel's x·f block into an uncropped output of
    /// (in−1)·s + d·(k−1) + 1 (or output_size + pads) + output_padding, then crop the pads. SAME pads come from
    /// the input extent with dilation 1; VALID is 0. Independent of the kernel's gather/phase formulation.
    /// </summary>
    private static double[] NumpyOracle(float[] x, int n, int c, int h, int w, float[] f, int mg, int kh, int kw, int groups,
        int[] stride, int[] pad, int[] dil, string alg, int[]? outputSize, int[]? outputPadding, out int oh, out int ow)
    {
        if (alg == "VALID") pad = [0, 0, 0, 0];
        else if (alg == "SAME")
        {
            dil = [1, 1];
            var p = new List<int>();
            foreach (var (input, k, s) in new[] { (h, kh, stride[0]), (w, kw, stride[1]) })
            {
                int outSize = (input + s - 1) / s;
                int sum = Math.Max((outSize - 1) * s + k - input, 0);
                p.Add(sum / 2); p.Add(sum - sum / 2);
            }
            pad = [.. p];
        }
        int ph0 = pad[0], ph1 = pad[0], pw0 = pad[1], pw1 = pad[1];
        if (pad.Length == 4) { ph0 = pad[0]; ph1 = pad[1]; pw0 = pad[2]; pw1 = pad[3]; }
        int dbh = dil[0] * (kh - 1) + 1, dbw = dil[1] * (kw - 1) + 1;
        int outH = (h - 1) * stride[0] + dbh, outW = (w - 1) * stride[1] + dbw;
        if (outputSize is not null) { outH = outputSize[0] + ph0 + ph1; outW = outputSize[1] + pw0 + pw1; }
        int oph = outputPadding?[0] ?? 0, opw = outputPadding?[1] ?? 0;
        int fullH = outH + oph, fullW = outW + opw, m = mg * groups, cg = c / groups;
        var full = new double[n * m * fullH * fullW];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                    for (int g = 0; g < groups; g++)
                        for (int k = 0; k < mg; k++)
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    double s = 0;
                                    for (int ci = g * cg; ci < (g + 1) * cg; ci++) s += (double)x[((b * c + ci) * h + i) * w + j] * f[((ci * mg + k) * kh + ky) * kw + kx];
                                    int oy = i * stride[0] + ky * dil[0], ox = j * stride[1] + kx * dil[1];
                                    if (oy < fullH && ox < fullW) full[((b * m + g * mg + k) * fullH + oy) * fullW + ox] += s;
                                }
        oh = outH - ph1 + oph - ph0;
        ow = outW - pw1 + opw - pw0;
        var y = new double[n * m * oh * ow];
        for (int b = 0; b < n * m; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    y[(b * oh + oy) * ow + ox] = full[(b * fullH + oy + ph0) * fullW + ox + pw0];
        return y;
    }

    public static TheoryData<string, int[], int[], int[], int[], int, int[], string, int[]?, int[]?> PaddleCases() => new()
    {
        // name, input NCHW, filter [C, Mg, kh, kw], stride, dilation, groups, pads, padding_algorithm, output_size, output_padding
        { "TestConv2DTransposeOp", [2, 3, 5, 5], [3, 6, 3, 3], [1, 1], [1, 1], 1, [0, 0], "EXPLICIT", null, null },
        { "TestWithSymmetricPad", [2, 3, 5, 5], [3, 6, 3, 3], [1, 1], [1, 1], 1, [1, 1], "EXPLICIT", null, null },
        { "TestWithAsymmetricPad", [2, 3, 5, 5], [3, 6, 3, 3], [1, 1], [1, 1], 1, [1, 0, 1, 2], "EXPLICIT", null, null },
        { "TestWithSAMEPad", [2, 3, 6, 5], [3, 6, 4, 3], [2, 1], [1, 2], 1, [0, 0], "SAME", null, null },
        { "TestWithVALIDPad", [2, 3, 5, 5], [3, 6, 3, 3], [1, 1], [1, 1], 1, [0, 0], "VALID", null, null },
        { "TestWithGroups", [2, 4, 5, 5], [4, 3, 3, 3], [1, 1], [1, 1], 2, [1, 1], "EXPLICIT", null, null },
        { "TestWithStride", [2, 3, 5, 5], [3, 6, 3, 3], [2, 2], [1, 1], 1, [1, 1], "EXPLICIT", null, null },
        { "TestWithDilation", [2, 3, 5, 5], [3, 6, 3, 3], [1, 1], [2, 2], 1, [1, 1], "EXPLICIT", null, null },
        { "TestWithEvenUpsample", [2, 3, 7, 7], [3, 6, 5, 5], [2, 2], [1, 1], 1, [2, 2], "EXPLICIT", [14, 14], null },
        { "TestWithEvenUpsampleOutputPadding", [2, 3, 7, 7], [3, 6, 5, 5], [2, 2], [1, 1], 1, [2, 2], "EXPLICIT", null, [1, 1] },
        { "TestDepthwiseConvTranspose", [1, 8, 4, 4], [8, 1, 4, 4], [2, 2], [1, 1], 8, [1, 1], "EXPLICIT", null, null },
        { "TestDepthwiseConvTransposeAsymmetricPad", [1, 8, 4, 4], [8, 1, 4, 4], [2, 2], [1, 1], 8, [1, 0, 1, 2], "EXPLICIT", null, null },
        // Same geometries with enough channels for the GEMM path.
        { "GemmSAMEPad", [2, 19, 6, 5], [19, 6, 4, 3], [2, 1], [1, 2], 1, [0, 0], "SAME", null, null },
        { "GemmEvenUpsampleOutputPadding", [2, 16, 7, 7], [16, 6, 5, 5], [2, 2], [1, 1], 1, [2, 2], "EXPLICIT", null, [1, 1] },
        { "GemmGroupsDilation", [2, 20, 5, 5], [20, 3, 3, 3], [3, 2], [2, 1], 2, [1, 0, 2, 1], "EXPLICIT", null, null },
        { "GemmOutputSize", [1, 12, 7, 7], [12, 5, 5, 5], [2, 2], [1, 1], 1, [2, 2], "EXPLICIT", [14, 14], null },
    };

    [Theory]
    [MemberData(nameof(PaddleCases))]
    public void Execute_PaddleTestCases_MatchNumpyOracle(string name, int[] input, int[] filter, int[] stride, int[] dil, int groups, int[] pads, string alg, int[]? outputSize, int[]? outputPadding)
    {
        var r = new Random(name.Length * 7919);
        var x = NnHarness.RandomFloats(r, input.Aggregate(1, (a, b) => a * b));
        var f = NnHarness.RandomFloats(r, filter.Aggregate(1, (a, b) => a * b));
        var expected = NumpyOracle(x, input[0], input[1], input[2], input[3], f, filter[1], filter[2], filter[3], groups, stride, pads, dil, alg, outputSize, outputPadding, out int oh, out int ow);
        foreach (bool constant in new[] { true, false })
        {
            var outs = NnHarness.Run(groups == input[1] && filter[1] == 1 ? "depthwise_conv2d_transpose" : "conv2d_transpose", a =>
            {
                a.Set("strides", stride.Select(v => (long)v).ToArray());
                a.Set("paddings", pads.Select(v => (long)v).ToArray());
                a.Set("dilations", dil.Select(v => (long)v).ToArray());
                a.Set("groups", (long)groups);
                a.Set("padding_algorithm", alg);
                if (outputSize is not null) a.Set("output_size", outputSize.Select(v => (long)v).ToArray());
                if (outputPadding is not null) a.Set("output_padding", outputPadding.Select(v => (long)v).ToArray());
            }, [("Input", Tensor.FromSpan<float>(x, input), false), ("Filter", Tensor.FromSpan<float>(f, filter), constant)], ["Output"]);
            Assert.Equal(new[] { input[0], filter[1] * groups, oh, ow }, outs[0].Shape.ToArray());
            var actual = outs[0].AsSpan<float>();
            for (int i = 0; i < expected.Length; i++)
            {
                double tol = NnTolerances.SumAbs + NnTolerances.SumRel * Math.Abs(expected[i]);
                Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"{name} const={constant}: element {i}: {actual[i]} vs oracle {expected[i]}");
            }
        }
    }

    /// <summary>
    /// data_format NHWC (Input [N,H,W,C] → Output [N,Ho,Wo,M]) on Paddle's cases, with a bias: the numpy oracle (on the
    /// NCHW copy, bias added) within tolerance, and bit for bit the NCHW op's output transposed.
    /// </summary>
    [Theory]
    [MemberData(nameof(PaddleCases))]
    public void Execute_Nhwc_MatchesOracleAndNchwPath(string name, int[] input, int[] filter, int[] stride, int[] dil, int groups, int[] pads, string alg, int[]? outputSize, int[]? outputPadding)
    {
        var r = new Random(name.Length * 104729);
        int n = input[0], c = input[1], h = input[2], w = input[3], m = filter[1] * groups;
        var x = NnHarness.RandomFloats(r, input.Aggregate(1, (a, b) => a * b));
        var f = NnHarness.RandomFloats(r, filter.Aggregate(1, (a, b) => a * b));
        var bias = NnHarness.RandomFloats(r, m);
        var expected = NumpyOracle(x, n, c, h, w, f, filter[1], filter[2], filter[3], groups, stride, pads, dil, alg, outputSize, outputPadding, out int oh, out int ow);
        string op = groups == c && filter[1] == 1 ? "depthwise_conv2d_transpose" : "conv2d_transpose";
        Tensor[] Run(string format, Tensor xt) => NnHarness.Run(op, a =>
        {
            a.Set("strides", stride.Select(v => (long)v).ToArray());
            a.Set("paddings", pads.Select(v => (long)v).ToArray());
            a.Set("dilations", dil.Select(v => (long)v).ToArray());
            a.Set("groups", (long)groups);
            a.Set("padding_algorithm", alg);
            a.Set("data_format", format);
            if (outputSize is not null) a.Set("output_size", outputSize.Select(v => (long)v).ToArray());
            if (outputPadding is not null) a.Set("output_padding", outputPadding.Select(v => (long)v).ToArray());
        }, [("Input", xt, false), ("Filter", Tensor.FromSpan<float>(f, filter), true), ("Bias", Tensor.FromSpan<float>(bias, [m]), true)], ["Output"]);
        // x to channels last: xh[b, y, x, ch] = x[b, ch, y, x].
        var xh = new float[x.Length];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < h * w; p++) xh[(b * h * w + p) * c + ch] = x[(b * c + ch) * h * w + p];
        var nchw = Run("NCHW", Tensor.FromSpan<float>(x, input))[0];
        var nhwc = Run("NHWC", Tensor.FromSpan<float>(xh, [n, h, w, c]))[0];
        Assert.Equal(new[] { n, oh, ow, m }, nhwc.Shape.ToArray());
        var a = nchw.AsSpan<float>();
        var z = nhwc.AsSpan<float>();
        int plane = oh * ow;
        for (int b = 0; b < n; b++)
        {
            for (int o = 0; o < m; o++)
            {
                for (int p = 0; p < plane; p++)
                {
                    int at = (b * m + o) * plane + p, hw = (b * plane + p) * m + o;
                    Assert.Equal(BitConverter.SingleToInt32Bits(a[at]), BitConverter.SingleToInt32Bits(z[hw]));
                    double e = expected[at] + bias[o];
                    Assert.True(Math.Abs(e - z[hw]) <= NnTolerances.SumAbs + NnTolerances.SumRel * Math.Abs(e), $"{name} NHWC: element {hw}: {z[hw]} vs oracle {e}");
                }
            }
        }
    }

    public static TheoryData<int, int, int, int, int, int, int, int> RemainderCases()
    {
        // c, mg, groups, width, k, stride, dilation, pad
        var d = new TheoryData<int, int, int, int, int, int, int, int>();
        foreach (var (c, mg, groups) in new[] { (3, 5, 1), (16, 7, 1), (35, 3, 1), (24, 4, 2), (6, 1, 6), (16, 2, 16), (18, 6, 2) })
        {
            foreach (var width in new[] { 1, 3, 4, 7, 8, 15, 16, 17, 33 })
            {
                foreach (var (k, stride, dilation, pad) in new[] { (4, 2, 1, 1), (3, 2, 1, 1), (3, 1, 1, 1), (2, 2, 1, 0), (3, 3, 1, 0), (5, 2, 2, 3), (1, 1, 1, 0) })
                {
                    d.Add(c, mg, groups, width, k, stride, dilation, pad);
                }
            }
        }
        return d;
    }

    /// <summary>Fast paths (GEMM and direct, vector widths 16/8/4 + scalar tails) against the gather reference; 1 and 2 threads bit-identical.</summary>
    [Theory]
    [MemberData(nameof(RemainderCases))]
    public void Fast_RemainderShapes_MatchReference(int c, int mg, int groups, int width, int k, int stride, int dilation, int pad)
    {
        var r = new Random(c * 131 + width * 7 + k);
        int n = 2, h = width + 1, w = width, m = mg * groups;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, c * mg * k * k);
        // Asymmetric pads: bottom/right one less than top/left where possible.
        var geo = ConvGeometry.Resolve(h, w, k, k, [stride, stride], [dilation, dilation], [pad, Math.Max(0, pad - 1), pad, Math.Max(0, pad - 1)], PadAlgorithm.Explicit);
        Assert.True(Conv2DTransposeKernel.OutputSize(h, w, geo, [], [stride - 1, 0], out int ho, out int wo, out _));
        var expected = new float[n * m * ho * wo];
        Conv2DTransposeKernel.Reference(x, n, c, h, w, f, m, groups, geo, ho, wo, expected);
        float[] Fast(int threads)
        {
            var y = new float[expected.Length];
            Array.Fill(y, float.NaN);
            using var pool = new IntraOpPool(threads);
            fixed (float* px = x) fixed (float* pf = f) fixed (float* py = y)
            {
                Conv2DTransposeKernel.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, null, py, n, c, h, w, m, groups, geo, ho, wo, default);
            }
            return y;
        }
        var one = Fast(1);
        var two = Fast(2);
        NnHarness.Close(expected, two, $"conv2d_transpose c={c} mg={mg} g={groups} w={width} k={k} s={stride} d={dilation} p={pad}");
        for (int i = 0; i < one.Length; i++) Assert.Equal(BitConverter.SingleToInt32Bits(one[i]), BitConverter.SingleToInt32Bits(two[i]));
    }

    /// <summary>A hostile stride (campaign case pir 13731: strides [2, 65536] on a 5x4 input) runs in linear time in the
    /// stride and matches the reference; the phase-split interleave was quadratic in it (49 s).</summary>
    [Fact]
    public void Fast_HugeStride_RunsQuicklyAndMatchesReference()
    {
        var r = new Random(13731);
        int n = 1, c = 2, h = 5, w = 4, mg = 2, k = 3;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, c * mg * k * k);
        var geo = ConvGeometry.Resolve(h, w, k, k, [2, 65536], [1, 1], [0, 0, 0, 0], PadAlgorithm.Explicit);
        Assert.True(Conv2DTransposeKernel.OutputSize(h, w, geo, [], [], out int ho, out int wo, out _));
        var expected = new float[n * mg * ho * wo];
        Conv2DTransposeKernel.Reference(x, n, c, h, w, f, mg, 1, geo, ho, wo, expected);
        var y = new float[expected.Length];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var pool = new IntraOpPool(1))
        {
            fixed (float* px = x) fixed (float* pf = f) fixed (float* py = y)
            {
                Conv2DTransposeKernel.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, null, py, n, c, h, w, mg, 1, geo, ho, wo, default);
            }
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        NnHarness.Close(expected, y, "conv2d_transpose stride [2, 65536]");
    }

    /// <summary>Inputs taller than the cols budget run in bands of input rows: same result as the reference.</summary>
    [Fact]
    public void Fast_BandsOfInputRows_MatchReference()
    {
        const long budget = 16 * 16 * 13 * 3; // 3 input rows of 13 per band (last band 2)
        var r = new Random(5);
        int n = 1, c = 12, h = 11, w = 13, mg = 16, k = 4;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, c * mg * k * k);
        var geo = ConvGeometry.Resolve(h, w, k, k, [2, 2], [1, 1], [1, 1, 1, 1], PadAlgorithm.Explicit);
        Assert.True(Conv2DTransposeKernel.OutputSize(h, w, geo, [], [], out int ho, out int wo, out _));
        var expected = new float[n * mg * ho * wo];
        Conv2DTransposeKernel.Reference(x, n, c, h, w, f, mg, 1, geo, ho, wo, expected);
        var y = new float[expected.Length];
        using var pool = new IntraOpPool(2);
        fixed (float* px = x) fixed (float* pf = f) fixed (float* py = y)
        {
            Conv2DTransposeKernel.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, null, py, n, c, h, w, mg, 1, geo, ho, wo, default, budget);
        }
        NnHarness.Close(expected, y, "banded conv2d_transpose");
    }

    /// <summary>Bias and a fused activation (load-time fusion attribute) equal the separate ops applied to the plain output.</summary>
    [Theory]
    [InlineData(16, 1)]
    [InlineData(3, 1)]
    [InlineData(8, 8)]
    public void Execute_BiasAndFusedActivation_MatchSeparateOps(int c, int groups)
    {
        var r = new Random(3);
        int n = 2, h = 6, w = 9, mg = c == 8 && groups == 8 ? 1 : 5, m = mg * groups, k = 4;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, c * mg * k * k);
        var bias = NnHarness.RandomFloats(r, m);
        var geo = ConvGeometry.Resolve(h, w, k, k, [2, 2], [1, 1], [1, 1, 1, 1], PadAlgorithm.Explicit);
        Assert.True(Conv2DTransposeKernel.OutputSize(h, w, geo, [], [], out int ho, out int wo, out _));
        var plain = new float[n * m * ho * wo];
        Conv2DTransposeKernel.Reference(x, n, c, h, w, f, m, groups, geo, ho, wo, plain);
        var outs = NnHarness.Run("conv2d_transpose", a =>
        {
            a.Set("strides", new long[] { 2, 2 });
            a.Set("paddings", new long[] { 1, 1 });
            a.Set("groups", (long)groups);
            a.Set(NnEpilogue.FusedAttr, "leaky_relu");
            a.Set(NnEpilogue.FusedAlphaAttr, 0.2);
        }, [("Input", Tensor.FromSpan<float>(x, [n, c, h, w]), false), ("Filter", Tensor.FromSpan<float>(f, [c, mg, k, k]), true), ("Bias", Tensor.FromSpan<float>(bias, [m]), true)], ["Output"]);
        var expected = new float[plain.Length];
        for (int i = 0; i < plain.Length; i++)
        {
            float v = plain[i] + bias[i / (ho * wo) % m];
            expected[i] = v > 0 ? v : 0.2f * v;
        }
        NnHarness.Close(expected, outs[0].AsSpan<float>(), "conv2d_transpose + bias + leaky_relu");
    }

    /// <summary>conv2d_transpose (grouped) → batch_norm folds at load into one conv2d_transpose with a scaled filter and a bias; same numbers as the two ops.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FoldBatchNorm_Transposed_MatchesSeparateOps(int groups)
    {
        var r = new Random(9);
        int n = 1, c = 8, h = 5, w = 6, mg = 3, m = mg * groups, k = 3;
        var x = Tensor.FromSpan<float>(NnHarness.RandomFloats(r, n * c * h * w), [n, c, h, w]);
        var f = Tensor.FromSpan<float>(NnHarness.RandomFloats(r, c * mg * k * k), [c, mg, k, k]);
        Tensor Vec(float lo) => Tensor.FromSpan<float>(NnHarness.RandomFloats(r, m).Select(v => lo + Math.Abs(v)).ToArray(), [m]);
        var gamma = Vec(0.5f); var beta = Vec(-1f); var mean = Vec(-0.5f); var variance = Vec(0.1f);
        void Conv(AttributeMap a)
        {
            a.Set("strides", new long[] { 2, 2 });
            a.Set("paddings", new long[] { 1, 1 });
            a.Set("groups", (long)groups);
        }
        var plain = NnHarness.Run("conv2d_transpose", Conv, [("Input", x, false), ("Filter", f, true)], ["Output"])[0];
        var separate = NnHarness.Run("batch_norm", a => a.Set("epsilon", 1e-5), [("X", plain, false), ("Scale", gamma, true), ("Bias", beta, true), ("Mean", mean, true), ("Variance", variance, true)], ["Y"])[0];
        var convOp = new Operator("conv2d_transpose");
        Conv(convOp.Attributes);
        convOp.Inputs["Input"] = ["x"]; convOp.Inputs["Filter"] = ["f"]; convOp.Outputs["Output"] = ["c"];
        var bnOp = new Operator("batch_norm");
        bnOp.Attributes.Set("epsilon", 1e-5);
        bnOp.Inputs["X"] = ["c"]; bnOp.Inputs["Scale"] = ["g"]; bnOp.Inputs["Bias"] = ["b"]; bnOp.Inputs["Mean"] = ["mu"]; bnOp.Inputs["Variance"] = ["v"]; bnOp.Outputs["Y"] = ["y"];
        var ops = new List<Operator> { convOp, bnOp };
        var constants = new Dictionary<string, Tensor> { ["f"] = f, ["g"] = gamma, ["b"] = beta, ["mu"] = mean, ["v"] = variance };
        GraphPasses.FoldBatchNorm(ops, constants);
        Assert.Single(ops);
        Assert.Equal("y", ops[0].Output("Output"));
        var fused = NnHarness.Run("conv2d_transpose", a => { foreach (var (key, v) in ops[0].Attributes.All) a.Set(key, v); },
            [("Input", x, false), ("Filter", constants[ops[0].Input("Filter")!], true), ("Bias", constants[ops[0].Input("Bias")!], true)], ["Output"])[0];
        NnHarness.Close(separate.AsSpan<float>(), fused.AsSpan<float>(), $"folded conv2d_transpose + batch_norm groups={groups}");
    }
}

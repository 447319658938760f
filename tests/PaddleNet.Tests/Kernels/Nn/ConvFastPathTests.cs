using PaddleNet.Kernels.Nn;
using PaddleNet.Model;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>Depthwise vector widths forced one by one, the fused conv epilogue, and the conv + activation fusion pass.</summary>
public sealed unsafe class ConvFastPathTests
{
    public static TheoryData<int, int, int, int, int, int> DepthwiseCases()
    {
        // width, k, stride, dilation, padLeft, maxVector
        var d = new TheoryData<int, int, int, int, int, int>();
        foreach (var maxVector in new[] { 1, 4, 8, 16 })
        {
            foreach (var width in new[] { 1, 3, 7, 15, 16, 17, 33, 37 })
            {
                foreach (var (k, stride, dilation, pad) in new[] { (3, 1, 1, 1), (3, 2, 1, 1), (5, 1, 1, 2), (5, 2, 1, 2), (3, 1, 2, 2), (3, 3, 1, 0), (3, 2, 1, 0), (1, 2, 1, 0) })
                {
                    d.Add(width, k, stride, dilation, pad, maxVector);
                }
            }
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(DepthwiseCases))]
    public void Depthwise_EachVectorWidth_MatchesReference(int width, int k, int stride, int dilation, int pad, int maxVector)
    {
        var r = new Random(11);
        int n = 2, c = 3, m = 6, h = width + 3, w = width;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * k * k);
        // Asymmetric pads: bottom/right one less than top/left where possible.
        var geo = ConvGeometry.Resolve(h, w, k, k, [stride, stride], [dilation, dilation], [pad, Math.Max(0, pad - 1), pad, Math.Max(0, pad - 1)], PadAlgorithm.Explicit);
        int ho = geo.OutH(h), wo = geo.OutW(w);
        if (ho <= 0 || wo <= 0) return;
        var expected = new float[n * m * ho * wo];
        Conv2DKernel.Reference(x, n, c, h, w, f, m, k, k, c, geo, expected);
        var actual = new float[expected.Length];
        Array.Fill(actual, float.NaN);
        using var pool = new IntraOpPool(2);
        fixed (float* px = x) fixed (float* pf = f) fixed (float* py = actual)
        {
            DepthwiseConv2D.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, py, n, c, h, w, m, geo, ho, wo, default, maxVector);
        }
        NnHarness.Close(expected, actual, $"depthwise w={width} k={k} s={stride} d={dilation} p={pad} v={maxVector}");
    }

    public static TheoryData<int, int, int, int, int, int> BlockedCases()
    {
        // channels, width, k, stride, dilation, pad
        var d = new TheoryData<int, int, int, int, int, int>();
        foreach (var c in new[] { 3, 8, 16, 19, 35 })
        {
            foreach (var width in new[] { 1, 3, 7, 9, 14, 17 })
            {
                foreach (var (k, stride, dilation, pad) in new[] { (3, 1, 1, 1), (3, 2, 1, 1), (5, 1, 1, 2), (5, 2, 1, 2), (3, 1, 2, 2), (3, 3, 1, 0), (1, 2, 1, 0) })
                {
                    d.Add(c, width, k, stride, dilation, pad);
                }
            }
        }
        return d;
    }

    /// <summary>The channel-blocked small-plane path (16 channels per vector) is bit-identical to the per-plane path, bias + hard_swish included, and matches the reference.</summary>
    [Theory]
    [MemberData(nameof(BlockedCases))]
    public void DepthwiseBlocked_BitIdenticalToPlanePath(int c, int width, int k, int stride, int dilation, int pad)
    {
        var r = new Random(c * 31 + width);
        int n = 2, h = width + 2, w = width;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, c * k * k);
        var bias = NnHarness.RandomFloats(r, c);
        var geo = ConvGeometry.Resolve(h, w, k, k, [stride, stride], [dilation, dilation], [pad, Math.Max(0, pad - 1), pad, Math.Max(0, pad - 1)], PadAlgorithm.Explicit);
        int ho = geo.OutH(h), wo = geo.OutW(w);
        if (ho <= 0 || wo <= 0) return;
        var expected = new float[n * c * ho * wo];
        Conv2DKernel.Reference(x, n, c, h, w, f, c, k, k, c, geo, expected);
        var plain = new float[expected.Length];
        var blocked = new float[expected.Length];
        var plainEp = new float[expected.Length];
        var blockedEp = new float[expected.Length];
        Array.Fill(blocked, float.NaN);
        Array.Fill(blockedEp, float.NaN);
        using var pool = new IntraOpPool(2);
        fixed (float* px = x) fixed (float* pf = f) fixed (float* pb = bias)
        fixed (float* p1 = plain) fixed (float* p2 = blocked) fixed (float* p3 = plainEp) fixed (float* p4 = blockedEp)
        {
            var ep = new ConvEpilogue { Bias = pb, Act = FusedActivation.HardSwish };
            DepthwiseConv2D.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, p1, n, c, h, w, c, geo, ho, wo, default, 16, blocked: false);
            DepthwiseConv2D.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, p2, n, c, h, w, c, geo, ho, wo, default, 16, blocked: true);
            DepthwiseConv2D.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, p3, n, c, h, w, c, geo, ho, wo, ep, 16, blocked: false);
            DepthwiseConv2D.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, p4, n, c, h, w, c, geo, ho, wo, ep, 16, blocked: true);
        }
        NnHarness.Close(expected, blocked, $"blocked depthwise c={c} w={width} k={k} s={stride} d={dilation} p={pad}");
        for (int i = 0; i < plain.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(plain[i]), BitConverter.SingleToInt32Bits(blocked[i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(plainEp[i]), BitConverter.SingleToInt32Bits(blockedEp[i]));
        }
    }

    public static TheoryData<int, int, int, int, int, int, int> BatchedGemmCases()
    {
        // batch, channels, out channels, groups, width, k, stride
        var d = new TheoryData<int, int, int, int, int, int, int>();
        foreach (var (n, c, m, groups) in new[] { (2, 3, 5, 1), (5, 7, 13, 1), (3, 8, 70, 1), (4, 6, 10, 2), (3, 300, 40, 1) })
        {
            foreach (var (width, k, stride) in new[] { (1, 1, 1), (3, 1, 1), (7, 3, 1), (7, 1, 1), (9, 3, 2), (14, 3, 1), (5, 5, 2), (17, 1, 2) })
            {
                d.Add(n, c, m, groups, width, k, stride);
            }
        }
        return d;
    }

    /// <summary>A batch run as one GEMM over all images' columns is bit-identical to image-by-image runs (bias + hard_swish, 1 and 2 threads).</summary>
    [Theory]
    [MemberData(nameof(BatchedGemmCases))]
    public void ConvBatchedGemm_BitIdenticalToPerImage(int n, int c, int m, int groups, int width, int k, int stride)
    {
        var r = new Random(n * 1000 + c * 10 + width);
        int h = width + 1, w = width, cg = c / groups;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * cg * k * k);
        var bias = NnHarness.RandomFloats(r, m);
        int pad = k / 2;
        var geo = ConvGeometry.Resolve(h, w, k, k, [stride, stride], [1, 1], [pad, pad, pad, pad], PadAlgorithm.Explicit);
        int ho = geo.OutH(h), wo = geo.OutW(w), per = m * ho * wo;
        var expected = new float[n * per];
        Conv2DKernel.Reference(x, n, c, h, w, f, m, k, k, groups, geo, expected);
        foreach (int threads in new[] { 1, 2 })
        {
            using var pool = new IntraOpPool(threads);
            var single = new float[n * per];
            var batched = new float[n * per];
            Array.Fill(batched, float.NaN);
            fixed (float* px = x) fixed (float* pf = f) fixed (float* pb = bias) fixed (float* p1 = single) fixed (float* p2 = batched)
            {
                var ep = new ConvEpilogue { Bias = pb, Act = FusedActivation.HardSwish };
                for (int i = 0; i < n; i++)
                {
                    Conv2DKernel.RunGemm(pool, NnHarness.Scratch(pool.Threads), px + (long)i * c * h * w, pf, p1 + (long)i * per, 1, c, h, w, m, cg, geo, ho, wo, groups, null, ep);
                }
                Conv2DKernel.RunGemm(pool, NnHarness.Scratch(pool.Threads), px, pf, p2, n, c, h, w, m, cg, geo, ho, wo, groups, null, ep);
                var plain = new float[n * per];
                fixed (float* p3 = plain) Conv2DKernel.RunGemm(pool, NnHarness.Scratch(pool.Threads), px, pf, p3, n, c, h, w, m, cg, geo, ho, wo, groups, null);
                NnHarness.Close(expected, plain, $"batched conv n={n} c={c} m={m} g={groups} w={width} k={k} s={stride} t={threads}");
            }
            for (int i = 0; i < single.Length; i++) Assert.Equal(BitConverter.SingleToInt32Bits(single[i]), BitConverter.SingleToInt32Bits(batched[i]));
        }
    }

    /// <summary>
    /// Deep layers on 2 threads (few panels, many filter rows): im2col once into a shared buffer, threads split the
    /// filter rows; bit-identical to the 1-thread path (panels per thread, per-thread im2col), close to the reference.
    /// </summary>
    [Theory]
    [InlineData(1, 16, 50, 1, 7, 3, 1)]     // 2 panels (last partial)
    [InlineData(2, 16, 61, 1, 7, 3, 1)]     // batch of 2, rows not a multiple of MR
    [InlineData(1, 256, 128, 1, 14, 3, 1)]  // 7 panels, filter of MBs
    [InlineData(1, 96, 130, 1, 14, 3, 2)]   // stride 2: 7×7 output
    [InlineData(1, 512, 96, 1, 14, 1, 2)]   // 1×1 stride 2
    [InlineData(1, 32, 100, 2, 9, 3, 1)]    // 2 groups of 50 rows, 3 panels
    [InlineData(1, 8, 48, 1, 32, 3, 1)]     // 32 panels: above the shared limit (per-panel split)
    [InlineData(1, 112, 200, 1, 14, 1, 1)]  // 1×1, 7 panels, small filter, 34 row blocks: rows because 7 panels share out 4:3 (SplitLoss)
    [InlineData(1, 40, 30, 1, 16, 1, 1)]    // 1×1 on 16×16: every panel read in place from the input rows (no im2col)
    [InlineData(1, 24, 50, 1, 12, 1, 1)]    // 1×1 on 12×12: 4 panels in place, a 16-column last panel packed
    [InlineData(2, 33, 13, 1, 20, 1, 1)]    // 1×1 on 20×20, batch of 2 (per image): 12 panels in place + a packed edge
    [InlineData(1, 40, 30, 2, 16, 1, 1)]    // 1×1 in place with 2 groups: each group's rows start at its own channel offset
    [InlineData(1, 16, 24, 1, 112, 1, 1)]   // 1×1 on 112×112: the largest plane read in place (InPlaceMaxHw)
    [InlineData(1, 8, 16, 1, 116, 1, 1)]    // 1×1 on 116×116: past it, packed
    public void ConvSharedIm2Col_TwoThreads_BitIdenticalToOneThread(int n, int c, int m, int groups, int width, int k, int stride)
    {
        var r = new Random(c * 1000 + m + width);
        int h = width, w = width, cg = c / groups;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * cg * k * k);
        var bias = NnHarness.RandomFloats(r, m);
        int pad = k / 2;
        var geo = ConvGeometry.Resolve(h, w, k, k, [stride, stride], [1, 1], [pad, pad, pad, pad], PadAlgorithm.Explicit);
        int ho = geo.OutH(h), wo = geo.OutW(w), len = n * m * ho * wo;
        var expected = new float[len];
        Conv2DKernel.Reference(x, n, c, h, w, f, m, k, k, groups, geo, expected);
        var outs = new float[4][];
        for (int t = 0; t < 2; t++)
        {
            using var pool = new IntraOpPool(t + 1);
            outs[2 * t] = new float[len];
            outs[2 * t + 1] = new float[len];
            Array.Fill(outs[2 * t], float.NaN);
            Array.Fill(outs[2 * t + 1], float.NaN);
            fixed (float* px = x) fixed (float* pf = f) fixed (float* pb = bias) fixed (float* p0 = outs[2 * t]) fixed (float* p1 = outs[2 * t + 1])
            {
                Conv2DKernel.RunGemm(pool, NnHarness.Scratch(pool.Threads), px, pf, p0, n, c, h, w, m, cg, geo, ho, wo, groups, null);
                Conv2DKernel.RunGemm(pool, NnHarness.Scratch(pool.Threads), px, pf, p1, n, c, h, w, m, cg, geo, ho, wo, groups, null, new ConvEpilogue { Bias = pb, Act = FusedActivation.Relu });
            }
        }
        NnHarness.Close(expected, outs[0], $"conv n={n} c={c} m={m} g={groups} w={width} k={k} s={stride} t=1");
        NnHarness.Close(expected, outs[2], $"conv n={n} c={c} m={m} g={groups} w={width} k={k} s={stride} t=2");
        for (int i = 0; i < len; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(outs[0][i]), BitConverter.SingleToInt32Bits(outs[2][i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(outs[1][i]), BitConverter.SingleToInt32Bits(outs[3][i]));
        }
    }

    /// <summary>1×1 conv on tiny planes (roles swapped): a batch as one GEMM over all images' pixels is bit-identical to image-by-image runs.</summary>
    [Theory]
    [InlineData(1, 1, 5, 7)]
    [InlineData(3, 1, 37, 70)]
    [InlineData(5, 1, 300, 33)]
    [InlineData(4, 4, 13, 65)]
    [InlineData(7, 6, 9, 40)]
    [InlineData(2, 2, 1, 1)]
    [InlineData(2, 1, 512, 1280)] // the single-row kernel (one image) split over panel groups, epilogue per chunk
    [InlineData(3, 1, 96, 161)]
    public void ConvSmallSpatialBatch_BitIdenticalToPerImage(int n, int hw, int c, int m)
    {
        var r = new Random(n * 100 + hw * 10 + c);
        var x = NnHarness.RandomFloats(r, n * c * hw);
        var f = NnHarness.RandomFloats(r, m * c);
        var bias = NnHarness.RandomFloats(r, m);
        var packedT = new float[Sgemm.PackedBSize(c, m)];
        var geo = ConvGeometry.Resolve(1, hw, 1, 1, [1, 1], [1, 1], [0, 0, 0, 0], PadAlgorithm.Explicit);
        var expected = new float[n * m * hw];
        Conv2DKernel.Reference(x, n, c, 1, hw, f, m, 1, 1, 1, geo, expected);
        foreach (int threads in new[] { 1, 2 })
        {
            using var pool = new IntraOpPool(threads);
            var single = new float[n * m * hw];
            var batched = new float[n * m * hw];
            var plain = new float[n * m * hw];
            Array.Fill(batched, float.NaN);
            fixed (float* px = x) fixed (float* pf = f) fixed (float* pt = packedT) fixed (float* pb = bias)
            fixed (float* p1 = single) fixed (float* p2 = batched) fixed (float* p3 = plain)
            {
                Sgemm.PackB(pf, 1, c, c, m, pt);
                var ep = new ConvEpilogue { Bias = pb, Act = FusedActivation.HardSwish };
                for (int i = 0; i < n; i++) Conv2DKernel.RunSmallSpatial(pool, NnHarness.Scratch(pool.Threads), px + (long)i * c * hw, pt, p1 + (long)i * m * hw, 1, c, m, hw, ep);
                Conv2DKernel.RunSmallSpatial(pool, NnHarness.Scratch(pool.Threads), px, pt, p2, n, c, m, hw, ep);
                Conv2DKernel.RunSmallSpatial(pool, NnHarness.Scratch(pool.Threads), px, pt, p3, n, c, m, hw, default);
            }
            NnHarness.Close(expected, plain, $"small-spatial n={n} hw={hw} c={c} m={m} t={threads}");
            for (int i = 0; i < single.Length; i++) Assert.Equal(BitConverter.SingleToInt32Bits(single[i]), BitConverter.SingleToInt32Bits(batched[i]));
        }
    }

    public static TheoryData<string, int> Activations()
    {
        var d = new TheoryData<string, int>();
        foreach (var act in new[] { "relu", "relu6", "leaky_relu", "hard_swish", "hard_sigmoid" })
        {
            d.Add(act, 1);
            d.Add(act, 4); // depthwise
        }
        return d;
    }

    /// <summary>conv(+bias) with the fused attribute is bit-identical to conv(+bias) followed by the activation op.</summary>
    [Theory]
    [MemberData(nameof(Activations))]
    public void FusedActivation_BitIdenticalToSeparateOp(string act, int groups)
    {
        var r = new Random(5);
        int n = 2, c = 4, m = 4, h = 11, w = 13, k = 3;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        for (int i = 0; i < x.Length; i++) x[i] *= 4f; // cover relu6 / hard_swish saturation
        var f = NnHarness.RandomFloats(r, m * (c / groups) * k * k);
        var bias = NnHarness.RandomFloats(r, m);
        (string, Tensor, bool)[] inputs =
        [
            ("Input", Tensor.FromSpan<float>(x, [n, c, h, w]), false),
            ("Filter", Tensor.FromSpan<float>(f, [m, c / groups, k, k]), true),
            ("Bias", Tensor.FromSpan<float>(bias, [m]), true),
        ];
        void Conv(AttributeMap a)
        {
            a.Set("strides", new long[] { 1, 1 });
            a.Set("paddings", new long[] { 1, 1 });
            a.Set("groups", (long)groups);
        }
        void ActAttrs(AttributeMap a)
        {
            if (act == "leaky_relu") a.Set("alpha", 0.1);
            if (act == "hard_sigmoid") { a.Set("slope", 0.1666667); a.Set("offset", 0.5); }
        }
        var plain = NnHarness.Run("conv2d", Conv, inputs, ["Output"])[0];
        var separate = NnHarness.Run(act, ActAttrs, [("X", plain, false)], ["Out"])[0].AsSpan<float>().ToArray();
        // What the fusion pass writes.
        var ops = new List<Operator>();
        var convOp = new Operator("conv2d");
        Conv(convOp.Attributes);
        convOp.Inputs["Input"] = ["x"]; convOp.Inputs["Filter"] = ["f"]; convOp.Inputs["Bias"] = ["b"]; convOp.Outputs["Output"] = ["c"];
        var actOp = new Operator(act);
        ActAttrs(actOp.Attributes);
        actOp.Inputs["X"] = ["c"]; actOp.Outputs["Out"] = ["y"];
        ops.Add(convOp); ops.Add(actOp);
        GraphPasses.FuseConvActivation(ops);
        Assert.Single(ops);
        var fusedAttrs = ops[0].Attributes;
        var fused = NnHarness.Run("conv2d", a => { foreach (var (key, v) in fusedAttrs.All) a.Set(key, v); }, inputs, ["Output"])[0].AsSpan<float>().ToArray();
        Assert.Equal(separate, fused);
    }

    /// <summary>conv(+bias) → elementwise_add(residual) (→ relu) fused by the passes is bit-identical to the separate ops, either operand order, GEMM / depthwise / tiny-plane 1×1 paths.</summary>
    [Theory]
    [InlineData(1, 3, 11, true, true)]
    [InlineData(1, 3, 11, false, false)]
    [InlineData(4, 3, 11, true, true)]
    [InlineData(4, 3, 11, false, true)]
    [InlineData(1, 1, 1, true, false)]
    [InlineData(1, 1, 2, false, true)]
    [InlineData(1, 1, 7, true, true)]
    public void FusedResidual_BitIdenticalToSeparateOps(int groups, int k, int side, bool residualFirst, bool relu)
    {
        var r = new Random(17);
        int n = 2, c = 4, m = 4, h = side, w = side;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * (c / groups) * k * k);
        var bias = NnHarness.RandomFloats(r, m);
        var res = NnHarness.RandomFloats(r, n * m * h * w);
        var resT = Tensor.FromSpan<float>(res, [n, m, h, w]);
        (string, Tensor, bool)[] inputs =
        [
            ("Input", Tensor.FromSpan<float>(x, [n, c, h, w]), false),
            ("Filter", Tensor.FromSpan<float>(f, [m, c / groups, k, k]), true),
            ("Bias", Tensor.FromSpan<float>(bias, [m]), true),
        ];
        void Conv(AttributeMap a)
        {
            a.Set("strides", new long[] { 1, 1 });
            a.Set("paddings", new long[] { k / 2, k / 2 });
            a.Set("groups", (long)groups);
        }
        var plain = NnHarness.Run("conv2d", Conv, inputs, ["Output"])[0];
        var sum = NnHarness.Run("elementwise_add", a => a.Set("axis", -1L),
            residualFirst ? [("X", resT, false), ("Y", plain, false)] : [("X", plain, false), ("Y", resT, false)], ["Out"])[0];
        var separate = (relu ? NnHarness.Run("relu", _ => { }, [("X", sum, false)], ["Out"])[0] : sum).AsSpan<float>().ToArray();
        var convOp = new Operator("conv2d");
        Conv(convOp.Attributes);
        convOp.Inputs["Input"] = ["x"]; convOp.Inputs["Filter"] = ["f"]; convOp.Inputs["Bias"] = ["b"]; convOp.Outputs["Output"] = ["c"];
        var addOp = new Operator("elementwise_add");
        addOp.Attributes.Set("axis", -1L);
        addOp.Inputs["X"] = [residualFirst ? "r" : "c"]; addOp.Inputs["Y"] = [residualFirst ? "c" : "r"]; addOp.Outputs["Out"] = ["s"];
        var ops = new List<Operator> { convOp, addOp };
        if (relu)
        {
            var reluOp = new Operator("relu");
            reluOp.Inputs["X"] = ["s"]; reluOp.Outputs["Out"] = ["y"];
            ops.Add(reluOp);
        }
        long[] dims = [-1, m, h, w];
        var vars = new Dictionary<string, Variable>
        {
            ["c"] = new Variable("c", VarKind.DenseTensor, DataType.Float32, dims, false),
            ["r"] = new Variable("r", VarKind.DenseTensor, DataType.Float32, dims, false),
        };
        GraphPasses.FuseConvResidual(ops, vars);
        GraphPasses.FuseConvActivation(ops);
        Assert.Single(ops);
        Assert.Equal(["r"], ops[0].InputList(NnEpilogue.ResidualInput));
        Assert.Equal(relu ? "y" : "s", ops[0].Output("Output"));
        var fusedAttrs = ops[0].Attributes;
        var fused = NnHarness.Run("conv2d", a => { foreach (var (key, v) in fusedAttrs.All) a.Set(key, v); },
            [.. inputs, (NnEpilogue.ResidualInput, resT, false)], ["Output"])[0].AsSpan<float>().ToArray();
        Assert.Equal(separate.Select(BitConverter.SingleToInt32Bits), fused.Select(BitConverter.SingleToInt32Bits));
    }

    /// <summary>
    /// elementwise_mul(x, s[N,C,1,1]) → 1×1 conv fused by the pass (scale applied while packing) is bit-identical to the
    /// separate ops: per-image GEMM, batched small planes, a shared scale for all images, several threads.
    /// </summary>
    [Theory]
    [InlineData(2, 16, 24, 7, 2, false)]
    [InlineData(2, 8, 40, 14, 1, false)]
    [InlineData(3, 5, 9, 3, 2, false)]
    [InlineData(2, 16, 24, 7, 2, true)]
    [InlineData(1, 70, 33, 13, 4, false)]
    [InlineData(2, 33, 160, 7, 2, false)] // 7×7, 160 out channels: the swapped path packs the scaled input
    [InlineData(2, 16, 160, 7, 1, true)]
    public void FusedInputScale_BitIdenticalToSeparateOps(int n, int c, int m, int side, int threads, bool sharedScale)
    {
        var r = new Random(23);
        int h = side, w = side, sn = sharedScale ? 1 : n;
        var xT = Tensor.FromSpan<float>(NnHarness.RandomFloats(r, n * c * h * w), [n, c, h, w]);
        var sT = Tensor.FromSpan<float>(NnHarness.RandomFloats(r, sn * c), [sn, c, 1, 1]);
        var fT = Tensor.FromSpan<float>(NnHarness.RandomFloats(r, m * c), [m, c, 1, 1]);
        var bT = Tensor.FromSpan<float>(NnHarness.RandomFloats(r, m), [m]);
        void Conv(AttributeMap a)
        {
            a.Set("strides", new long[] { 1, 1 });
            a.Set("paddings", new long[] { 0, 0 });
            a.Set("dilations", new long[] { 1, 1 });
            a.Set("groups", 1L);
        }
        var scaled = NnHarness.Run("elementwise_mul", a => a.Set("axis", -1L), [("X", xT, false), ("Y", sT, false)], ["Out"], threads)[0];
        var separate = NnHarness.Run("conv2d", Conv, [("Input", scaled, false), ("Filter", fT, true), ("Bias", bT, true)], ["Output"], threads)[0].AsSpan<float>().ToArray();
        var mulOp = new Operator("elementwise_mul");
        mulOp.Attributes.Set("axis", -1L);
        mulOp.Inputs["X"] = ["x"]; mulOp.Inputs["Y"] = ["s"]; mulOp.Outputs["Out"] = ["xs"];
        var convOp = new Operator("conv2d");
        Conv(convOp.Attributes);
        convOp.Inputs["Input"] = ["xs"]; convOp.Inputs["Filter"] = ["f"]; convOp.Inputs["Bias"] = ["b"]; convOp.Outputs["Output"] = ["y"];
        var ops = new List<Operator> { mulOp, convOp };
        var vars = new Dictionary<string, Variable>
        {
            ["x"] = new Variable("x", VarKind.DenseTensor, DataType.Float32, [-1, c, h, w], false),
            ["s"] = new Variable("s", VarKind.DenseTensor, DataType.Float32, [-1, c, 1, 1], false),
            ["f"] = new Variable("f", VarKind.DenseTensor, DataType.Float32, [m, c, 1, 1], true),
        };
        GraphPasses.FuseConvInputScale(ops, vars);
        Assert.Single(ops);
        Assert.Equal(["x"], ops[0].InputList("Input"));
        Assert.Equal(["s"], ops[0].InputList(NnEpilogue.InputScaleInput));
        var fusedAttrs = ops[0].Attributes;
        var fused = NnHarness.Run("conv2d", a => { foreach (var (key, v) in fusedAttrs.All) a.Set(key, v); },
            [("Input", xT, false), ("Filter", fT, true), ("Bias", bT, true), (NnEpilogue.InputScaleInput, sT, false)], ["Output"], threads)[0].AsSpan<float>().ToArray();
        Assert.Equal(separate.Select(BitConverter.SingleToInt32Bits), fused.Select(BitConverter.SingleToInt32Bits));
    }

    /// <summary>Every squeeze-excitation scale of the SE bench models feeds a 1×1 conv: none survives as an op in the plan.</summary>
    [Theory]
    [InlineData("PPLCNet_x1_0")]
    [InlineData("MobileNetV3_large_x1_0")]
    public void FuseConvInputScale_FoldsEverySeScaleOfBenchModels(string name)
    {
        var model = PaddleModel.Load(SharedData.Path("bench", name));
        Assert.Contains(model.Program.Main.Ops, o => o.Type == "elementwise_mul");
        var plan = ExecutionPlan.Build(model);
        Assert.DoesNotContain(plan.Steps, s => s.OpType == "elementwise_mul");
    }

    [Fact]
    public void FuseConvInputScale_SkipsNonPointwiseSharedAndFullShapeMuls()
    {
        Operator Mul(string y) { var o = new Operator("elementwise_mul"); o.Inputs["X"] = ["x"]; o.Inputs["Y"] = [y]; o.Outputs["Out"] = ["xs"]; return o; }
        Operator Conv(int k) { var o = new Operator("conv2d"); o.Inputs["Input"] = ["xs"]; o.Inputs["Filter"] = [k == 1 ? "f1" : "f3"]; o.Outputs["Output"] = ["y"]; o.Attributes.Set("paddings", new long[] { k / 2, k / 2 }); return o; }
        var vars = new Dictionary<string, Variable>
        {
            ["x"] = new Variable("x", VarKind.DenseTensor, DataType.Float32, [-1, 8, 7, 7], false),
            ["s"] = new Variable("s", VarKind.DenseTensor, DataType.Float32, [-1, 8, 1, 1], false),
            ["q"] = new Variable("q", VarKind.DenseTensor, DataType.Float32, [-1, 8, 7, 7], false),
            ["f1"] = new Variable("f1", VarKind.DenseTensor, DataType.Float32, [4, 8, 1, 1], true),
            ["f3"] = new Variable("f3", VarKind.DenseTensor, DataType.Float32, [4, 8, 3, 3], true),
        };
        var ops = new List<Operator> { Mul("s"), Conv(3) };
        GraphPasses.FuseConvInputScale(ops, vars);
        Assert.Equal(2, ops.Count); // 3×3 conv: not fused
        ops = [Mul("q"), Conv(1)];
        GraphPasses.FuseConvInputScale(ops, vars);
        Assert.Equal(2, ops.Count); // full-shape mul, not a channel scale
        var other = new Operator("relu"); other.Inputs["X"] = ["xs"]; other.Outputs["Out"] = ["z"];
        ops = [Mul("s"), Conv(1), other];
        GraphPasses.FuseConvInputScale(ops, vars);
        Assert.Equal(3, ops.Count); // the scaled tensor is read twice
    }

    [Fact]
    public void FuseConvResidual_SkipsBroadcastAndSharedOutputs()
    {
        Operator Conv() { var o = new Operator("conv2d"); o.Inputs["Input"] = ["x"]; o.Inputs["Filter"] = ["f"]; o.Outputs["Output"] = ["c"]; return o; }
        Operator Add(string a, string b) { var o = new Operator("elementwise_add"); o.Inputs["X"] = [a]; o.Inputs["Y"] = [b]; o.Outputs["Out"] = ["s"]; return o; }
        var vars = new Dictionary<string, Variable>
        {
            ["c"] = new Variable("c", VarKind.DenseTensor, DataType.Float32, [-1, 8, 7, 7], false),
            ["r"] = new Variable("r", VarKind.DenseTensor, DataType.Float32, [-1, 8, 1, 1], false),
            ["q"] = new Variable("q", VarKind.DenseTensor, DataType.Float32, [-1, 8, 7, 7], false),
        };
        var ops = new List<Operator> { Conv(), Add("c", "r") };
        GraphPasses.FuseConvResidual(ops, vars);
        Assert.Equal(2, ops.Count); // broadcast add stays
        var relu = new Operator("relu"); relu.Inputs["X"] = ["c"]; relu.Outputs["Out"] = ["y"];
        ops = [Conv(), relu, Add("q", "c")];
        GraphPasses.FuseConvResidual(ops, vars);
        Assert.Equal(3, ops.Count); // conv output read twice
        var late = new Operator("relu"); late.Inputs["X"] = ["x"]; late.Outputs["Out"] = ["q"];
        ops = [Conv(), late, Add("q", "c")];
        GraphPasses.FuseConvResidual(ops, vars);
        Assert.Equal(3, ops.Count); // residual produced after the conv
    }

    /// <summary>1×1 conv on a tiny plane runs with roles swapped (constant filter): same numbers as the regular path, close to the reference.</summary>
    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(1, 1, 17, 33)]
    [InlineData(2, 1, 300, 70)]
    [InlineData(1, 2, 17, 7)]
    [InlineData(2, 2, 65, 64)]
    [InlineData(1, 3, 33, 40)] // hw = 6
    [InlineData(1, 4, 9, 5)] // hw = 8: regular path
    [InlineData(2, 7, 33, 160)] // 7×7, 160 out channels: the swapped path (RunSwapped), two images
    [InlineData(1, 7, 20, 260)] // 7×7, 260 out channels: swapped, its last panel a 4-column edge
    public void Pointwise_SmallSpatial_MatchesRegularPath(int n, int side, int c, int m)
    {
        var r = new Random(9);
        int h = side, w = side == 3 ? 2 : side;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * c);
        var bias = NnHarness.RandomFloats(r, m);
        var geo = ConvGeometry.Resolve(h, w, 1, 1, [1, 1], [1, 1], [0, 0, 0, 0], PadAlgorithm.Explicit);
        var expected = new float[n * m * h * w];
        Conv2DKernel.Reference(x, n, c, h, w, f, m, 1, 1, 1, geo, expected);
        for (int i = 0; i < expected.Length; i++) expected[i] = Math.Max(expected[i] + bias[i / (h * w) % m], 0f);
        float[] Run(bool constant) => NnHarness.Run("conv2d", a => { a.Set(NnEpilogue.FusedAttr, "relu"); },
            [("Input", Tensor.FromSpan<float>(x, [n, c, h, w]), false), ("Filter", Tensor.FromSpan<float>(f, [m, c, 1, 1]), constant), ("Bias", Tensor.FromSpan<float>(bias, [m]), true)],
            ["Output"])[0].AsSpan<float>().ToArray();
        var swapped = Run(true);
        var regular = Run(false);
        NnHarness.Close(expected, swapped, $"pointwise n={n} hw={h * w} c={c} m={m}");
        Assert.Equal(regular, swapped);
    }

    /// <summary>Wide stride-2 rows: the im2col deinterleave runs 16- and 4-wide, with odd pads and widths at the row ends.</summary>
    [Theory]
    [InlineData(70, 3, 1)]
    [InlineData(71, 3, 0)]
    [InlineData(67, 5, 2)]
    [InlineData(40, 1, 0)]
    [InlineData(45, 3, 1)]
    public void Conv_WideStride2_MatchesReference(int width, int k, int pad)
    {
        var r = new Random(13);
        int n = 1, c = 3, m = 8, h = 5, w = width;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * c * k * k);
        var geo = ConvGeometry.Resolve(h, w, k, k, [2, 2], [1, 1], [pad, pad, pad, pad], PadAlgorithm.Explicit);
        var expected = new float[n * m * geo.OutH(h) * geo.OutW(w)];
        Conv2DKernel.Reference(x, n, c, h, w, f, m, k, k, 1, geo, expected);
        foreach (bool constant in new[] { true, false })
        {
            var outs = NnHarness.Run("conv2d", a =>
            {
                a.Set("strides", new long[] { 2, 2 });
                a.Set("paddings", new long[] { pad, pad });
            }, [("Input", Tensor.FromSpan<float>(x, [n, c, h, w]), false), ("Filter", Tensor.FromSpan<float>(f, [m, c, k, k]), constant)], ["Output"]);
            NnHarness.Close(expected, outs[0].AsSpan<float>(), $"conv s2 w={width} k={k} p={pad}");
        }
    }

    /// <summary>Many filter rows, few panels: 2 threads split the rows (each im2cols every panel); same numbers as 1 thread.</summary>
    [Theory]
    [InlineData(7, 3, 67, 20)]
    [InlineData(5, 1, 130, 20)]
    [InlineData(9, 3, 48, 20)]
    [InlineData(7, 3, 130, 230)] // filter ≥ 1 MiB: all panels per call
    public void Conv_FewPanelsManyRows_SplitsRowsIdentically(int side, int k, int m, int c)
    {
        var r = new Random(17);
        int n = 2, h = side, w = side, pad = k / 2;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, m * c * k * k);
        var bias = NnHarness.RandomFloats(r, m);
        var geo = ConvGeometry.Resolve(h, w, k, k, [1, 1], [1, 1], [pad, pad, pad, pad], PadAlgorithm.Explicit);
        var expected = new float[n * m * h * w];
        Conv2DKernel.Reference(x, n, c, h, w, f, m, k, k, 1, geo, expected);
        for (int i = 0; i < expected.Length; i++) expected[i] = Math.Max(expected[i] + bias[i / (h * w) % m], 0f);
        float[] Run(int threads) => NnHarness.Run("conv2d", a =>
        {
            a.Set("paddings", new long[] { pad, pad });
            a.Set(NnEpilogue.FusedAttr, "relu");
        }, [("Input", Tensor.FromSpan<float>(x, [n, c, h, w]), false), ("Filter", Tensor.FromSpan<float>(f, [m, c, k, k]), true), ("Bias", Tensor.FromSpan<float>(bias, [m]), true)],
            ["Output"], threads)[0].AsSpan<float>().ToArray();
        var two = Run(2);
        NnHarness.Close(expected, two, $"conv rows split side={side} k={k} m={m}");
        Assert.Equal(Run(1), two);
        Assert.Equal(two, Run(3));
    }

    [Fact]
    public void FuseConvActivation_SkipsConvOutputReadTwice()
    {
        var conv = new Operator("conv2d");
        conv.Inputs["Input"] = ["x"]; conv.Inputs["Filter"] = ["f"]; conv.Outputs["Output"] = ["c"];
        var relu = new Operator("relu");
        relu.Inputs["X"] = ["c"]; relu.Outputs["Out"] = ["y"];
        var add = new Operator("elementwise_add");
        add.Inputs["X"] = ["c"]; add.Inputs["Y"] = ["y"]; add.Outputs["Out"] = ["z"];
        var ops = new List<Operator> { conv, relu, add };
        GraphPasses.FuseConvActivation(ops);
        Assert.Equal(3, ops.Count);
        Assert.Equal("", ops[0].Attributes.GetString(NnEpilogue.FusedAttr, ""));
    }

    [Fact]
    public void FuseConvActivation_RewiresOutput()
    {
        var conv = new Operator("depthwise_conv2d");
        conv.Inputs["Input"] = ["x"]; conv.Inputs["Filter"] = ["f"]; conv.Outputs["Output"] = ["c"];
        var hs = new Operator("hard_swish");
        hs.Inputs["X"] = ["c"]; hs.Outputs["Out"] = ["y"];
        var fetch = new Operator("fetch");
        fetch.Inputs["X"] = ["y"]; fetch.Outputs["Out"] = ["fetch"];
        var ops = new List<Operator> { conv, hs, fetch };
        GraphPasses.FuseConvActivation(ops);
        Assert.Equal(2, ops.Count);
        Assert.Equal("hard_swish", ops[0].Attributes.GetString(NnEpilogue.FusedAttr, ""));
        Assert.Equal("y", ops[0].Output("Output"));
    }
}

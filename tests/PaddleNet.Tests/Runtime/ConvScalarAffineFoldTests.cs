using PaddleNet.Kernels;
using PaddleNet.Kernels.Activations;
using PaddleNet.Kernels.Nn;
using PaddleNet.Model;
using PaddleNet.Runtime;
using PaddleNet.Tests.Kernels.Nn;

namespace PaddleNet.Tests.Runtime;

/// <summary>
/// conv → elementwise_mul/elementwise_add by fp32 scalar constants (PP-LCNetV3's LearnableAffineBlock) before and after
/// the activation, folded into the conv epilogue by <see cref="GraphPasses.FuseConvScalarAffine"/>: bit-identical to the
/// separate ops on the GEMM, depthwise (row and channel-blocked) and tiny-plane 1×1 paths; chains the epilogue cannot
/// express are left alone.
/// </summary>
public sealed unsafe class ConvScalarAffineFoldTests
{
    private const float Scale1 = 1.37f, Shift1 = -0.21f, Scale2 = 0.83f, Shift2 = 0.055f;

    [Theory]
    [InlineData(1, 3, 11, "mul,add", "hard_swish", "mul,add", false)]
    [InlineData(1, 3, 11, "mul,add", "hard_swish", "mul,add", true)]
    [InlineData(8, 3, 11, "mul,add", "hard_swish", "mul,add", false)]   // depthwise, small plane (channel-blocked on AVX-512)
    [InlineData(8, 5, 37, "mul,add", "hard_swish", "mul,add", true)]    // depthwise, row kernel with a vector remainder
    [InlineData(8, 3, 11, "add", "relu", "mul", false)]
    [InlineData(1, 1, 1, "mul", "hard_swish", "add", true)]             // 1×1 on a 1×1 plane (swapped-role GEMM)
    [InlineData(1, 1, 6, "mul,add", "", "", false)]                      // no activation (stride-2 rep layers)
    [InlineData(8, 3, 9, "add", "", "", true)]
    [InlineData(1, 3, 13, "mul,add", "leaky_relu", "", false)]
    public void FusedChain_BitIdenticalToSeparateOps(int groups, int k, int side, string pre, string act, string post, bool scalarFirst)
    {
        var r = new Random(31);
        int n = 2, c = 8, m = 8, h = side, w = side;
        (string, Tensor, bool)[] inputs =
        [
            ("Input", Tensor.FromSpan<float>(NnHarness.RandomFloats(r, n * c * h * w).Select(v => 4 * v).ToArray(), [n, c, h, w]), false),
            ("Filter", Tensor.FromSpan<float>(NnHarness.RandomFloats(r, m * (c / groups) * k * k), [m, c / groups, k, k]), true),
            ("Bias", Tensor.FromSpan<float>(NnHarness.RandomFloats(r, m), [m]), true),
        ];
        string convType = groups == c ? "depthwise_conv2d" : "conv2d";
        void Conv(AttributeMap a)
        {
            a.Set("strides", new long[] { 1, 1 });
            a.Set("paddings", new long[] { k / 2, k / 2 });
            a.Set("groups", (long)groups);
        }
        void ActAttrs(AttributeMap a)
        {
            if (act == "leaky_relu") a.Set("alpha", 0.1);
        }
        var steps = new List<(string Op, float Value)>();
        foreach (var s in pre.Split(',', StringSplitOptions.RemoveEmptyEntries)) steps.Add((s, s == "mul" ? Scale1 : Shift1));
        if (act != "") steps.Add((act, 0f));
        foreach (var s in post.Split(',', StringSplitOptions.RemoveEmptyEntries)) steps.Add((s, s == "mul" ? Scale2 : Shift2));

        // The separate ops, one kernel at a time.
        var cur = NnHarness.Run(convType, Conv, inputs, ["Output"])[0];
        foreach (var (op, value) in steps)
        {
            if (op is "mul" or "add")
            {
                var s = Tensor.FromSpan<float>([value], [1]);
                (string, Tensor, bool)[] xy = scalarFirst ? [("X", s, true), ("Y", cur, false)] : [("X", cur, false), ("Y", s, true)];
                cur = NnHarness.Run("elementwise_" + op, a => a.Set("axis", -1L), xy, ["Out"])[0];
            }
            else
            {
                cur = NnHarness.Run(op, ActAttrs, [("X", cur, false)], ["Out"])[0];
            }
        }
        var separate = cur.AsSpan<float>().ToArray();

        // The program the passes see, folded as the session folds it.
        var constants = new Dictionary<string, Tensor>();
        var convOp = new Operator(convType);
        Conv(convOp.Attributes);
        convOp.Inputs["Input"] = ["x"]; convOp.Inputs["Filter"] = ["f"]; convOp.Inputs["Bias"] = ["b"]; convOp.Outputs["Output"] = ["v0"];
        var ops = new List<Operator> { convOp };
        for (int i = 0; i < steps.Count; i++)
        {
            var (op, value) = steps[i];
            var o = new Operator(op is "mul" or "add" ? "elementwise_" + op : op);
            if (op is "mul" or "add")
            {
                o.Attributes.Set("axis", -1L);
                constants[$"s{i}"] = Tensor.FromSpan<float>([value], [1]);
                o.Inputs["X"] = [scalarFirst ? $"s{i}" : $"v{i}"];
                o.Inputs["Y"] = [scalarFirst ? $"v{i}" : $"s{i}"];
            }
            else
            {
                ActAttrs(o.Attributes);
                o.Inputs["X"] = [$"v{i}"];
            }
            o.Outputs["Out"] = [$"v{i + 1}"];
            ops.Add(o);
        }
        GraphPasses.FuseConvScalarAffine(ops, constants);
        GraphPasses.FuseConvActivation(ops);
        GraphPasses.FuseConvScalarAffine(ops, constants);
        var fusedOp = Assert.Single(ops);
        Assert.Equal($"v{steps.Count}", fusedOp.Output("Output"));
        var fused = NnHarness.Run(convType, a => { foreach (var (key, v) in fusedOp.Attributes.All) a.Set(key, v); }, inputs, ["Output"])[0].AsSpan<float>().ToArray();
        Assert.Equal(separate.Select(BitConverter.SingleToInt32Bits), fused.Select(BitConverter.SingleToInt32Bits));
    }

    /// <summary>The DB head's last step: conv2d_transpose → elementwise_add(scalar bias) folds as a pre-activation shift, bit-identical.</summary>
    [Fact]
    public void TransposedConvScalarAdd_BitIdenticalToSeparateOps()
    {
        var r = new Random(8);
        int n = 1, c = 6, h = 5, w = 9;
        (string, Tensor, bool)[] inputs =
        [
            ("Input", Tensor.FromSpan<float>(NnHarness.RandomFloats(r, n * c * h * w), [n, c, h, w]), false),
            ("Filter", Tensor.FromSpan<float>(NnHarness.RandomFloats(r, c * 2 * 2), [c, 1, 2, 2]), true),
        ];
        void Conv(AttributeMap a) => a.Set("strides", new long[] { 2, 2 });
        var plain = NnHarness.Run("conv2d_transpose", Conv, inputs, ["Output"])[0];
        var s = Tensor.FromSpan<float>([Shift1], [1]);
        var separate = NnHarness.Run("elementwise_add", a => a.Set("axis", -1L), [("X", plain, false), ("Y", s, true)], ["Out"])[0].AsSpan<float>().ToArray();
        var convOp = new Operator("conv2d_transpose");
        Conv(convOp.Attributes);
        convOp.Inputs["Input"] = ["x"]; convOp.Inputs["Filter"] = ["f"]; convOp.Outputs["Output"] = ["c"];
        var addOp = new Operator("elementwise_add");
        addOp.Attributes.Set("axis", -1L);
        addOp.Inputs["X"] = ["c"]; addOp.Inputs["Y"] = ["s"]; addOp.Outputs["Out"] = ["y"];
        var ops = new List<Operator> { convOp, addOp };
        GraphPasses.FuseConvScalarAffine(ops, new Dictionary<string, Tensor> { ["s"] = s });
        var fusedOp = Assert.Single(ops);
        var fused = NnHarness.Run("conv2d_transpose", a => { foreach (var (key, v) in fusedOp.Attributes.All) a.Set(key, v); }, inputs, ["Output"])[0].AsSpan<float>().ToArray();
        Assert.Equal(separate.Select(BitConverter.SingleToInt32Bits), fused.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Pass_LeavesInexpressibleChainsAlone()
    {
        static Operator Conv(string output)
        {
            var op = new Operator("conv2d");
            op.Inputs["Input"] = ["x"]; op.Inputs["Filter"] = ["f"]; op.Outputs["Output"] = [output];
            return op;
        }
        static Operator Binary(string type, string x, string y, string output)
        {
            var op = new Operator(type);
            op.Attributes.Set("axis", -1L);
            op.Inputs["X"] = [x]; op.Inputs["Y"] = [y]; op.Outputs["Out"] = [output];
            return op;
        }
        var constants = new Dictionary<string, Tensor>
        {
            ["s"] = Tensor.FromSpan<float>([2f], [1]),
            ["t"] = Tensor.FromSpan<float>([0.5f], [1]),
            ["v"] = Tensor.FromSpan<float>([1f, 2f], [2]),
            ["i"] = Tensor.FromSpan<int>([2], [1]),
        };
        // add then mul: (y + t)·s is not y·s' + t'.
        var ops = new List<Operator> { Conv("c"), Binary("elementwise_add", "c", "t", "a"), Binary("elementwise_mul", "a", "s", "y") };
        GraphPasses.FuseConvScalarAffine(ops, constants);
        Assert.Equal(["conv2d", "elementwise_mul"], ops.Select(o => o.Type));
        Assert.Equal(0.5, ops[0].Attributes.GetDouble(NnEpilogue.PreShiftAttr, double.NaN));
        Assert.False(ops[0].Attributes.Has(NnEpilogue.PreScaleAttr));
        // The conv output read twice, a vector constant, an int constant, a non-constant operand: untouched.
        foreach (var second in new[]
                 {
                     new List<Operator> { Conv("c"), Binary("elementwise_mul", "c", "s", "y"), Binary("elementwise_add", "c", "y", "z") },
                     new List<Operator> { Conv("c"), Binary("elementwise_mul", "c", "v", "y") },
                     new List<Operator> { Conv("c"), Binary("elementwise_mul", "c", "i", "y") },
                     new List<Operator> { Conv("c"), Binary("elementwise_mul", "c", "q", "y") },
                 })
        {
            int before = second.Count;
            GraphPasses.FuseConvScalarAffine(second, constants);
            Assert.Equal(before, second.Count);
            Assert.False(second[0].Attributes.Has(NnEpilogue.PreScaleAttr));
        }
        // A residual add after the affine would run before it in the epilogue: not fused.
        var residual = new List<Operator> { Conv("c"), Binary("elementwise_mul", "c", "s", "m"), Binary("elementwise_add", "m", "other", "y") };
        GraphPasses.FuseConvScalarAffine(residual, constants);
        var dims = new long[] { -1, 4, 5, 5 };
        GraphPasses.FuseConvResidual(residual, new Dictionary<string, Variable>
        {
            ["m"] = new Variable("m", VarKind.DenseTensor, DataType.Float32, dims, false),
            ["other"] = new Variable("other", VarKind.DenseTensor, DataType.Float32, dims, false),
        });
        Assert.Equal(["conv2d", "elementwise_add"], residual.Select(o => o.Type));
    }

    private static readonly int[] Lengths = [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100];

    /// <summary>The epilogue's affine loop at every width equals its scalar reference on every remainder; absent steps are exact identities (−0 stays −0).</summary>
    [Fact]
    public void AffineEpilogue_EveryWidth_MatchesReference()
    {
        Check(default(HardSwishOp));
        Check(default(ReluOp));
        Check(default(ConvEpilogue.IdentityOp));
    }

    private static float Scalar<TOp>(TOp op, float x)
        where TOp : struct, IUnaryOp => op.Invoke(x);

    private static void Check<TOp>(TOp op)
        where TOp : struct, IVectorUnaryOp
    {
        var rng = new Random(5);
        var affines = new[]
        {
            new ScalarAffine(Scale1, Shift1, Scale2, Shift2),
            new ScalarAffine(null, Shift1, Scale2, null),
            new ScalarAffine(Scale1, null, null, null),
        };
        foreach (int n in Lengths)
        {
            var y0 = NnHarness.RandomFloats(rng, n).Select(v => 5 * v).ToArray();
            if (n > 2) y0[0] = -0f;
            foreach (var a in affines)
            {
                foreach (bool hasBias in new[] { false, true })
                {
                    var expected = (float[])y0.Clone();
                    fixed (float* pe = expected) ScalarAffine.RunReference(pe, n, hasBias, 0.4f, a, op);
                    for (int i = 0; i < n; i++)
                    {
                        // The reference is the separate ops' arithmetic.
                        float v = hasBias ? y0[i] + 0.4f : y0[i];
                        if (a.PreScale != 1f) v *= a.PreScale;
                        if (!float.IsNegative(a.PreShift) || a.PreShift != 0f) v += a.PreShift;
                        v = Scalar(op, v);
                        if (a.PostScale != 1f) v *= a.PostScale;
                        if (!float.IsNegative(a.PostShift) || a.PostShift != 0f) v += a.PostShift;
                        Assert.Equal(BitConverter.SingleToInt32Bits(v), BitConverter.SingleToInt32Bits(expected[i]));
                    }
                    foreach (int width in Simd.Widths().Where(w => w > 0))
                    {
                        var got = (float[])y0.Clone();
                        fixed (float* pg = got)
                        {
                            switch (width)
                            {
                                case 128: ScalarAffine.Run<TOp, Vec128<float>>(pg, n, hasBias, 0.4f, a, op); break;
                                case 256: ScalarAffine.Run<TOp, Vec256<float>>(pg, n, hasBias, 0.4f, a, op); break;
                                default: ScalarAffine.Run<TOp, Vec512<float>>(pg, n, hasBias, 0.4f, a, op); break;
                            }
                        }
                        Assert.True(expected.Select(BitConverter.SingleToInt32Bits).SequenceEqual(got.Select(BitConverter.SingleToInt32Bits)), $"affine {typeof(TOp).Name} width {width} n={n} bias={hasBias}");
                    }
                }
            }
        }
    }
}

using PaddleNet.Model;
using PaddleNet.Runtime;
using PaddleNet.Tests.Kernels.Nn;

namespace PaddleNet.Tests.Runtime;

/// <summary>conv → elementwise_add(bias, axis 1) → batch_norm (PaddleSeg exports): folded at load into one conv with a bias; same numbers as the three ops.</summary>
public sealed class ConvBiasFoldTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(4, true)]
    [InlineData(1, false)]
    public void ConvBiasAddBatchNorm_FoldsToOneConv_MatchesSeparateOps(int groups, bool withBn)
    {
        var r = new Random(4);
        int n = 2, c = 4, m = 4, h = 7, w = 9, k = 3;
        var x = Tensor.FromSpan<float>(NnHarness.RandomFloats(r, n * c * h * w), [n, c, h, w]);
        var f = Tensor.FromSpan<float>(NnHarness.RandomFloats(r, m * (c / groups) * k * k), [m, c / groups, k, k]);
        Tensor Vec(float lo) => Tensor.FromSpan<float>(NnHarness.RandomFloats(r, m).Select(v => lo + Math.Abs(v)).ToArray(), [m]);
        var b = Vec(-0.5f); var gamma = Vec(0.5f); var beta = Vec(-1f); var mean = Vec(-0.5f); var variance = Vec(0.1f);
        string type = groups == c ? "depthwise_conv2d" : "conv2d";
        void Conv(AttributeMap a)
        {
            a.Set("strides", new long[] { 1, 1 });
            a.Set("paddings", new long[] { 1, 1 });
            a.Set("groups", (long)groups);
        }
        var plain = NnHarness.Run(type, Conv, [("Input", x, false), ("Filter", f, true)], ["Output"])[0];
        var added = NnHarness.Run("elementwise_add", a => a.Set("axis", 1L), [("X", plain, false), ("Y", b, true)], ["Out"])[0];
        var separate = withBn
            ? NnHarness.Run("batch_norm", a => a.Set("epsilon", 1e-5), [("X", added, false), ("Scale", gamma, true), ("Bias", beta, true), ("Mean", mean, true), ("Variance", variance, true)], ["Y"])[0]
            : added;
        var convOp = new Operator(type);
        Conv(convOp.Attributes);
        convOp.Inputs["Input"] = ["x"]; convOp.Inputs["Filter"] = ["f"]; convOp.Outputs["Output"] = ["c"];
        var addOp = new Operator("elementwise_add");
        addOp.Attributes.Set("axis", 1L);
        addOp.Inputs["X"] = ["c"]; addOp.Inputs["Y"] = ["b"]; addOp.Outputs["Out"] = ["s"];
        var ops = new List<Operator> { convOp, addOp };
        if (withBn)
        {
            var bnOp = new Operator("batch_norm");
            bnOp.Attributes.Set("epsilon", 1e-5);
            bnOp.Inputs["X"] = ["s"]; bnOp.Inputs["Scale"] = ["g"]; bnOp.Inputs["Bias"] = ["be"]; bnOp.Inputs["Mean"] = ["mu"]; bnOp.Inputs["Variance"] = ["v"]; bnOp.Outputs["Y"] = ["y"];
            ops.Add(bnOp);
        }
        var constants = new Dictionary<string, Tensor> { ["f"] = f, ["b"] = b, ["g"] = gamma, ["be"] = beta, ["mu"] = mean, ["v"] = variance };
        GraphPasses.FoldConvBias(ops, constants);
        GraphPasses.FoldBatchNorm(ops, constants);
        var fusedOp = Assert.Single(ops);
        Assert.Equal(withBn ? "y" : "s", fusedOp.Output("Output"));
        var fused = NnHarness.Run(type, a => { foreach (var (key, v) in fusedOp.Attributes.All) a.Set(key, v); },
            [("Input", x, false), ("Filter", constants[fusedOp.Input("Filter")!], true), ("Bias", constants[fusedOp.Input("Bias")!], true)], ["Output"])[0];
        NnHarness.Close(separate.AsSpan<float>(), fused.AsSpan<float>(), $"conv + bias add{(withBn ? " + batch_norm" : "")} folded, groups={groups}");
    }

    /// <summary>PP-OCR's DB head: conv2d_transpose → elementwise_add(bias, axis 1) → batch_norm → relu folds into one transposed conv.</summary>
    [Theory]
    [InlineData(1, 2, 2)]
    [InlineData(2, 3, 1)]
    public void TransposedConvBiasAddBatchNormRelu_FoldsToOneConv_MatchesSeparateOps(int groups, int k, int stride)
    {
        var r = new Random(9);
        int n = 2, c = 4, mg = 3, m = mg * groups, h = 6, w = 7;
        var x = Tensor.FromSpan<float>(NnHarness.RandomFloats(r, n * c * h * w), [n, c, h, w]);
        var f = Tensor.FromSpan<float>(NnHarness.RandomFloats(r, c * mg * k * k), [c, mg, k, k]);
        Tensor Vec(float lo) => Tensor.FromSpan<float>(NnHarness.RandomFloats(r, m).Select(v => lo + Math.Abs(v)).ToArray(), [m]);
        var b = Vec(-0.5f); var gamma = Vec(0.5f); var beta = Vec(-1f); var mean = Vec(-0.5f); var variance = Vec(0.1f);
        void Conv(AttributeMap a)
        {
            a.Set("strides", new long[] { stride, stride });
            a.Set("paddings", new long[] { 0, 0 });
            a.Set("groups", (long)groups);
        }
        var plain = NnHarness.Run("conv2d_transpose", Conv, [("Input", x, false), ("Filter", f, true)], ["Output"])[0];
        var added = NnHarness.Run("elementwise_add", a => a.Set("axis", 1L), [("X", plain, false), ("Y", b, true)], ["Out"])[0];
        var normed = NnHarness.Run("batch_norm", a => a.Set("epsilon", 1e-5), [("X", added, false), ("Scale", gamma, true), ("Bias", beta, true), ("Mean", mean, true), ("Variance", variance, true)], ["Y"])[0];
        var separate = NnHarness.Run("relu", _ => { }, [("X", normed, false)], ["Out"])[0];
        var convOp = new Operator("conv2d_transpose");
        Conv(convOp.Attributes);
        convOp.Inputs["Input"] = ["x"]; convOp.Inputs["Filter"] = ["f"]; convOp.Outputs["Output"] = ["c"];
        var addOp = new Operator("elementwise_add");
        addOp.Attributes.Set("axis", 1L);
        addOp.Inputs["X"] = ["c"]; addOp.Inputs["Y"] = ["b"]; addOp.Outputs["Out"] = ["s"];
        var bnOp = new Operator("batch_norm");
        bnOp.Attributes.Set("epsilon", 1e-5);
        bnOp.Inputs["X"] = ["s"]; bnOp.Inputs["Scale"] = ["g"]; bnOp.Inputs["Bias"] = ["be"]; bnOp.Inputs["Mean"] = ["mu"]; bnOp.Inputs["Variance"] = ["v"]; bnOp.Outputs["Y"] = ["t"];
        var reluOp = new Operator("relu");
        reluOp.Inputs["X"] = ["t"]; reluOp.Outputs["Out"] = ["y"];
        var ops = new List<Operator> { convOp, addOp, bnOp, reluOp };
        var constants = new Dictionary<string, Tensor> { ["f"] = f, ["b"] = b, ["g"] = gamma, ["be"] = beta, ["mu"] = mean, ["v"] = variance };
        GraphPasses.FoldConvBias(ops, constants);
        GraphPasses.FoldBatchNorm(ops, constants);
        GraphPasses.FuseConvActivation(ops);
        var fusedOp = Assert.Single(ops);
        Assert.Equal("y", fusedOp.Output("Output"));
        var fused = NnHarness.Run("conv2d_transpose", a => { foreach (var (key, v) in fusedOp.Attributes.All) a.Set(key, v); },
            [("Input", x, false), ("Filter", constants[fusedOp.Input("Filter")!], true), ("Bias", constants[fusedOp.Input("Bias")!], true)], ["Output"])[0];
        NnHarness.Close(separate.AsSpan<float>(), fused.AsSpan<float>(), $"conv2d_transpose + bias add + batch_norm + relu folded, groups={groups}");
    }
}

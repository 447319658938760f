using PaddleNet.Kernels.Lite;
using static PaddleNet.Tests.Kernels.Detection.DetectionHarness;

namespace PaddleNet.Tests.Kernels.Lite;

/// <summary>The Paddle Lite-only kernels on inputs small enough to check by hand.</summary>
public sealed class LiteKernelTests
{
    [Fact]
    public void Calib_Fp32ToInt8_QuantiseDequantise_HalfAwayFromZero_ClampsTo127()
    {
        // scale 0.5: x/scale = 0.5 → 1 (away from zero), −0.5 → −1, 0.24 → 0, 100 → 127, −100 → −127
        var r = Run("calib", new() { ["scale"] = 0.5f, ["__@kernel_type_attr@__"] = "calib/fp32_to_int8/4/2/1" },
            new() { ["Input"] = F([0.25f, -0.25f, 0.12f, 100f, -100f, 1.3f], 6) }, ["Out"]);
        Assert.Equal([0.5f, -0.5f, 0f, 63.5f, -63.5f, 1.5f], r["Out"].AsSpan<float>().ToArray());
        var copy = Run("calib", new() { ["scale"] = 0.5f, ["__@kernel_type_attr@__"] = "calib/int8_to_fp32/4/2/1" },
            new() { ["Input"] = F([0.3f, -7f], 2) }, ["Out"]);
        Assert.Equal([0.3f, -7f], copy["Out"].AsSpan<float>().ToArray());
    }

    [Fact]
    public void DensityPriorBox_OneCellDensity2_HandValues()
    {
        // feature 1×1 over a 16×16 image: step 16, centre (8, 8); fixed size 4, ratio 1, density 2:
        // shift = 16/2 = 8, sub-centres 8 − 8 + 4 + {0, 8} = {4, 12}; boxes ±2 around them, /16
        var r = Run("density_prior_box", new()
        {
            ["fixed_sizes"] = new double[] { 4 },
            ["fixed_ratios"] = new double[] { 1 },
            ["densities"] = new long[] { 2 },
            ["variances"] = new double[] { 0.1, 0.1, 0.2, 0.2 },
            ["clip"] = false,
            ["offset"] = 0.5f,
        }, new() { ["Input"] = F(new float[1], 1, 1, 1, 1), ["Image"] = F(new float[256], 1, 1, 16, 16) }, ["Boxes", "Variances"]);
        Assert.Equal([1, 1, 4, 4], r["Boxes"].Shape.ToArray());
        float[] expected =
        [
            2 / 16f, 2 / 16f, 6 / 16f, 6 / 16f,
            10 / 16f, 2 / 16f, 14 / 16f, 6 / 16f,
            2 / 16f, 10 / 16f, 6 / 16f, 14 / 16f,
            10 / 16f, 10 / 16f, 14 / 16f, 14 / 16f,
        ];
        Assert.Equal(expected, r["Boxes"].AsSpan<float>().ToArray());
        Assert.Equal(16, r["Variances"].AsSpan<float>().Length);
        Assert.Equal(0.2f, r["Variances"].AsSpan<float>()[15]);
    }

    [Fact]
    public void DensityPriorBox_BoxesLeavingTheImage_AreCutAtItsEdges_AndFlattenTo2d()
    {
        // size 32 around centre (8, 8) of a 16×16 image: [−8, 24] → [0, 1]
        var r = Run("density_prior_box", new()
        {
            ["fixed_sizes"] = new double[] { 32 },
            ["fixed_ratios"] = new double[] { 1 },
            ["densities"] = new long[] { 1 },
            ["flatten_to_2d"] = true,
        }, new() { ["Input"] = F(new float[1], 1, 1, 1, 1), ["Image"] = F(new float[256], 1, 1, 16, 16) }, ["Boxes"]);
        Assert.Equal([1, 4], r["Boxes"].Shape.ToArray());
        Assert.Equal([0f, 0f, 1f, 1f], r["Boxes"].AsSpan<float>().ToArray());
    }

    [Fact]
    public void FillConstantBatchSizeLike_TakesTheBatchFromInput()
    {
        var r = Run("fill_constant_batch_size_like", new()
        {
            ["shape"] = new long[] { 4, -1, 3 }, ["input_dim_idx"] = 0, ["output_dim_idx"] = 1, ["dtype"] = 5, ["str_value"] = "1.5", ["value"] = 0f,
        }, new() { ["Input"] = F(new float[10], 5, 2) }, ["Out"]);
        Assert.Equal([4, 5, 3], r["Out"].Shape.ToArray());
        Assert.All(r["Out"].AsSpan<float>().ToArray(), v => Assert.Equal(1.5f, v));
    }

    [Fact]
    public void MulticlassNms2_ReturnsIndex()
    {
        // one image, 2 classes (0 = background), 3 boxes; boxes 0 and 1 overlap (IoU 0.81), box 2 apart
        var boxes = F([0, 0, 10, 10, 0, 0, 9, 9, 20, 20, 30, 30], 1, 3, 4);
        var scores = F([0, 0, 0, 0.9f, 0.8f, 0.7f], 1, 2, 3);
        var r = Run("multiclass_nms2", new()
        {
            ["background_label"] = 0, ["score_threshold"] = 0.1f, ["nms_top_k"] = -1, ["nms_threshold"] = 0.5f, ["keep_top_k"] = -1, ["normalized"] = false,
        }, new() { ["BBoxes"] = boxes, ["Scores"] = scores }, ["Out", "Index"]);
        Assert.Equal([2, 6], r["Out"].Shape.ToArray());
        Assert.Equal([0, 2], r["Index"].AsSpan<int>().ToArray());
        Assert.Equal([1f, 0.9f, 0, 0, 10, 10, 1f, 0.7f, 20, 20, 30, 30], r["Out"].AsSpan<float>().ToArray());
    }

    [Fact]
    public void RnnLstm_BidirectionalTwoLayers_MatchesStepwiseReference()
    {
        const int T = 3, N = 2, I = 3, H = 2;
        var rng = new Random(7);
        float[] R(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var x = R(T * N * I);
        // layer 0 (in I), layer 1 (in 2H); directions fwd, bwd
        var w = new List<float[]>();
        var b = new List<float[]>();
        for (int l = 0; l < 2; l++)
        {
            for (int d = 0; d < 2; d++)
            {
                w.Add(R(4 * H * (l == 0 ? I : 2 * H)));
                w.Add(R(4 * H * H));
            }
        }
        for (int k = 0; k < 8; k++) b.Add(R(4 * H));
        var h0 = R(4 * N * H);
        var c0 = R(4 * N * H);
        var op = new PaddleNet.Model.Operator("rnn");
        op.Attributes.Set("mode", "LSTM");
        op.Attributes.Set("num_layers", 2L);
        op.Attributes.Set("hidden_size", (long)H);
        op.Attributes.Set("is_bidirec", true);
        var names = new List<string> { "Input", "h0", "c0" };
        var tensors = new List<Tensor> { F(x, T, N, I), F(h0, 4, N, H), F(c0, 4, N, H) };
        var wl = new List<string>();
        for (int k = 0; k < 8; k++) { wl.Add("w" + k); names.Add("w" + k); tensors.Add(F(w[k], w[k].Length)); }
        for (int k = 0; k < 8; k++) { wl.Add("b" + k); names.Add("b" + k); tensors.Add(F(b[k], 4 * H)); }
        op.Inputs["Input"] = ["Input"];
        op.Inputs["PreState"] = ["h0", "c0"];
        op.Inputs["WeightList"] = wl.ToArray();
        op.Outputs["Out"] = ["out"];
        op.Outputs["State"] = ["hn", "cn"];
        names.AddRange(["out", "hn", "cn"]);
        var ids = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        Assert.True(PaddleNet.Kernels.KernelRegistry.TryGet("rnn", out var factory));
        var kernel = factory(new PaddleNet.Runtime.KernelBuilder(op, 0, 0, null, n => ids.TryGetValue(n, out var id) ? id : -1, _ => null));
        var ctx = new PaddleNet.Runtime.RunContext(ids.Count, new PaddleNet.Runtime.IntraOpPool(1));
        for (int i = 0; i < tensors.Count; i++) ctx.BindInput(i, tensors[i]);
        kernel.Execute(ctx);
        var outVals = ctx.Read<float>(ids["out"]).ToArray();
        var hn = ctx.Read<float>(ids["hn"]).ToArray();
        Assert.Equal([T, N, 2 * H], ctx.Shape(ids["out"]).ToArray());

        // reference: plain loops per layer/direction with RnnLstmKernel.Cell
        var layerIn = x;
        int inSize = I;
        var expectedHn = new float[4 * N * H];
        float[] layerOut = [];
        for (int l = 0; l < 2; l++)
        {
            layerOut = new float[T * N * 2 * H];
            for (int d = 0; d < 2; d++)
            {
                int cell = l * 2 + d;
                for (int n = 0; n < N; n++)
                {
                    var hs = h0.AsSpan((cell * N + n) * H, H).ToArray();
                    var cs = c0.AsSpan((cell * N + n) * H, H).ToArray();
                    for (int s = 0; s < T; s++)
                    {
                        int t = d == 0 ? s : T - 1 - s;
                        RnnLstmKernel.Cell(layerIn.AsSpan((t * N + n) * inSize, inSize), hs, cs, w[2 * cell], w[2 * cell + 1], b[2 * cell], b[2 * cell + 1], new float[4 * H], H);
                        hs.CopyTo(layerOut.AsSpan((t * N + n) * 2 * H + d * H, H));
                    }
                    hs.CopyTo(expectedHn.AsSpan((cell * N + n) * H, H));
                }
            }
            layerIn = layerOut;
            inSize = 2 * H;
        }
        Assert.Equal(layerOut, outVals);
        Assert.Equal(expectedHn, hn);
    }

    [Fact]
    public void LstmCell_OneStep_HandValues()
    {
        // H = 1, I = 1, zero weights except biases: gates = b_ih + b_hh = [i, f, g, o] = [0, 0, 0, 0] + [ln 3, 0, 0, 0]
        var h = new float[] { 0.5f };
        var c = new float[] { 2f };
        RnnLstmKernel.Cell([1f], h, c, new float[4], new float[4], [MathF.Log(3), 0, 0, 0], new float[4], new float[4], 1);
        // i = σ(ln 3) = 0.75, f = 0.5, g = tanh 0 = 0, o = 0.5: c = 0.5·2 + 0 = 1, h = 0.5·tanh 1
        Assert.Equal(1f, c[0], 6);
        Assert.Equal(0.5f * MathF.Tanh(1f), h[0], 6);
    }
}

using PaddleNet.Model;
using PaddleNet.Runtime;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Runtime;

/// <summary>
/// Real program-only exports run end to end with made-up weights of the declared shapes: no reference
/// numbers exist, so these check that the plan builds, loops terminate and outputs have the declared
/// shapes and finite values.
/// </summary>
public sealed class SyntheticWeightsProgramTests
{
    private static void AssertFinite(Tensor t, string what)
    {
        var s = t.AsSpan<float>();
        for (int i = 0; i < s.Length; i++) Assert.True(float.IsFinite(s[i]), $"{what}[{i}] = {s[i]}");
    }

    /// <summary>
    /// SLANet's decoder is a 501-step while loop (GRU cell, attention, set_value into the output buffers,
    /// an argmax fed back through one_hot_v2), run unmodified.
    /// </summary>
    [Fact]
    public void SLANet_WhileDecoder_RunsAllStepsWithFiniteOutputs()
    {
        var model = PaddleModel.Load(SharedData.Path("programs", "ch_ppstructure_mobile_v2.0_SLANet.inference.pdmodel"));
        Assert.Equal(2, model.Program.Blocks.Count);
        Assert.Single(model.Program.Main.Ops, o => o.Type == "while");
        var weighted = model.WithSyntheticWeights(new SyntheticWeightOptions { Seed = 7 });
        Assert.Empty(ModelChecker.Check(weighted));
        using var session = new InferenceSession(weighted);
        var x = new Tensor(DataType.Float32, [1, 3, 64, 64]);
        var xs = x.AsSpan<float>();
        var rng = new Random(3);
        for (int i = 0; i < xs.Length; i++) xs[i] = (float)rng.NextDouble();
        var outs = session.Run(new Dictionary<string, Tensor> { ["x"] = x });
        Assert.Equal([1, 501, 8], outs[0].Shape.ToArray());
        Assert.Equal([1, 501, 50], outs[1].Shape.ToArray());
        AssertFinite(outs[0], "loc");
        AssertFinite(outs[1], "structure");
        // Each row is a softmax over 50 classes; the box rows are sigmoids, never exactly 0 once a step wrote them
        // (rows a loop that stopped early never reached would keep fill_constant's 0): all 501 steps ran.
        var probs = outs[1].AsSpan<float>();
        for (int r = 0; r < 501; r++)
        {
            double sum = 0;
            for (int c = 0; c < 50; c++) sum += probs[r * 50 + c];
            Assert.Equal(1.0, sum, 1e-4);
        }
        var boxes = outs[0].AsSpan<float>();
        for (int r = 0; r < 501; r++) Assert.True(boxes[r * 8] != 0f, $"decoder step {r} wrote no box row");
    }

    [Fact]
    public void QuantResNet50_Int8Program_RunsWithFiniteOutputs()
    {
        var model = PaddleModel.Load(SharedData.Path("programs", "quant_resnet50_int8_per_layer.pdmodel")).WithSyntheticWeights(new SyntheticWeightOptions { Seed = 5 });
        Assert.Empty(ModelChecker.Check(model));
        using var session = new InferenceSession(model);
        var info = session.Inputs[0];
        var x = new Tensor(DataType.Float32, [1, 3, 224, 224]);
        var xs = x.AsSpan<float>();
        var rng = new Random(1);
        for (int i = 0; i < xs.Length; i++) xs[i] = (float)(rng.NextDouble() * 2 - 1);
        var y = session.Run(new Dictionary<string, Tensor> { [info.Name] = x })[0];
        Assert.Equal(1000, y.Shape[^1]);
        AssertFinite(y, "scores");
    }
}

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
    private static PaddleModel WithRandomWeights(PaddleModel model, int seed)
    {
        var rng = new Random(seed);
        return ModelChecker.WithSyntheticParameters(model, (name, t) =>
        {
            if (t.DataType != DataType.Float32) return;
            var span = t.AsSpan<float>();
            // Batch-norm variances (…w_2) and quantization scales must be positive.
            bool positive = name.EndsWith(".w_2", StringComparison.Ordinal) || name.EndsWith("scale", StringComparison.Ordinal);
            for (int i = 0; i < span.Length; i++) span[i] = positive ? 1f : (float)(rng.NextDouble() * 0.2 - 0.1);
        });
    }

    private static void AssertFinite(Tensor t, string what)
    {
        var s = t.AsSpan<float>();
        for (int i = 0; i < s.Length; i++) Assert.True(float.IsFinite(s[i]), $"{what}[{i}] = {s[i]}");
    }

    /// <summary>
    /// SLANet's decoder is a 501-step while loop (GRU cell, attention, set_value into the output buffers,
    /// an argmax fed back through one_hot_v2). one_hot_v2 and set_value are plain kernels that land on another
    /// branch; here the test rewrites them into ops the engine has (equal+cast for one_hot, where over a position
    /// mask for the one-row set_value), which leaves the control flow exactly as exported.
    /// </summary>
    [Fact]
    public void SLANet_WhileDecoder_RunsAllStepsWithFiniteOutputs()
    {
        var model = PaddleModel.Load(Shared.Path("programs", "ch_ppstructure_mobile_v2.0_SLANet.inference.pdmodel"));
        var program = model.Program;
        Assert.Equal(2, program.Blocks.Count);
        var body = program.Blocks[1];
        Assert.Single(program.Main.Ops, o => o.Type == "while");
        AddConstantVar(program, "test.classes", DataType.Int32, [50]);
        AddConstantVar(program, "test.positions", DataType.Int64, [1, 501, 1]);
        var rewritten = new List<Operator>();
        int oneHots = 0, setValues = 0;
        foreach (var op in body.Ops)
        {
            if (op.Type == "one_hot_v2")
            {
                Assert.Equal(50, op.Attributes.GetInt("depth", 0));
                var idx = $"test.oh{oneHots}.idx";
                var eq = $"test.oh{oneHots++}.eq";
                rewritten.Add(Op("unsqueeze2", [("X", op.Input("X")!)], [("Out", idx)], ("axes", new long[] { 1 })));
                rewritten.Add(Op("equal", [("X", idx), ("Y", "test.classes")], [("Out", eq)], ("axis", -1L)));
                rewritten.Add(Op("cast", [("X", eq)], [("Out", op.Output("Out")!)], ("in_dtype", 0L), ("out_dtype", 5L)));
            }
            else if (op.Type == "set_value")
            {
                // One row along axis 1 at StartsTensorList[0]: Out = where(position == start, unsqueeze(Value, 1), Input).
                Assert.Equal([1L], op.Attributes.GetLongs("axes"));
                var mask = $"test.sv{setValues}.mask";
                var row = $"test.sv{setValues++}.row";
                rewritten.Add(Op("equal", [("X", "test.positions"), ("Y", op.InputList("StartsTensorList").Single())], [("Out", mask)], ("axis", -1L)));
                rewritten.Add(Op("unsqueeze2", [("X", op.Input("ValueTensor")!)], [("Out", row)], ("axes", new long[] { 1 })));
                rewritten.Add(Op("where", [("Condition", mask), ("X", row), ("Y", op.Input("Input")!)], [("Out", op.Output("Out")!)]));
            }
            else
            {
                rewritten.Add(op);
            }
        }
        Assert.Equal((1, 2), (oneHots, setValues));
        body.Ops.Clear();
        body.Ops.AddRange(rewritten);

        var weighted = WithRandomWeights(model, 7);
        var classes = weighted.Parameters["test.classes"].AsSpan<int>();
        for (int i = 0; i < classes.Length; i++) classes[i] = i;
        var positions = weighted.Parameters["test.positions"].AsSpan<long>();
        for (int i = 0; i < positions.Length; i++) positions[i] = i;
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
        // Every step wrote its row: the softmax over 50 classes of each of the 501 rows sums to 1
        // (a row the loop never reached would still be softmax(0) = uniform, so also check the rows differ).
        var probs = outs[1].AsSpan<float>();
        for (int r = 0; r < 501; r++)
        {
            double sum = 0;
            for (int c = 0; c < 50; c++) sum += probs[r * 50 + c];
            Assert.Equal(1.0, sum, 1e-4);
        }
        var boxes = outs[0].AsSpan<float>();
        Assert.True(boxes[^1] != 0f && boxes[0] != 0f, "the first and last decoder steps wrote their box rows (sigmoid outputs are never exactly 0)");
    }

    [Fact]
    public void QuantResNet50_Int8Program_RunsWithFiniteOutputs()
    {
        var model = WithRandomWeights(PaddleModel.Load(Shared.Path("programs", "quant_resnet50_int8_per_layer.pdmodel")), 5);
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

    private static void AddConstantVar(PaddleNet.Model.Program program, string name, DataType type, long[] dims) =>
        program.Main.Vars[name] = new Variable(name, VarKind.DenseTensor, type, dims, persistable: true);

    private static Operator Op(string type, (string Slot, string Name)[] inputs, (string Slot, string Name)[] outputs, params (string Name, object Value)[] attrs)
    {
        var op = new Operator(type);
        foreach (var (s, n) in inputs) op.Inputs[s] = [n];
        foreach (var (s, n) in outputs) op.Outputs[s] = [n];
        foreach (var (n, v) in attrs) op.Attributes.Set(n, v);
        return op;
    }
}

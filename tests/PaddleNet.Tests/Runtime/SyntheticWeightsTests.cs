using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Runtime;

/// <summary>Synthetic weights: declared shapes and types, seeded, identity normalisation, fan-in scale, limits and reporting.</summary>
public sealed class SyntheticWeightsTests
{
    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = PaddleNet.Cli.Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void ProgramOnly_GetsEveryDeclaredParameter_OfItsShapeAndType()
    {
        var model = PaddleModel.Load(SharedData.Path("models", "programs", "ch_PP-OCRv4_det_infer.inference.pdmodel"));
        Assert.False(model.HasWeights);
        var synthetic = model.WithSyntheticWeights(new SyntheticWeightOptions { Seed = 1 });
        Assert.True(synthetic.HasWeights);
        Assert.True(synthetic.HasSyntheticWeights);
        Assert.False(synthetic.ReplacedWeights);
        var declared = model.Program.Main.Vars.Values.Where(v => v.IsParameter).ToArray();
        Assert.NotEmpty(declared);
        Assert.Equal(declared.Length, synthetic.Parameters.Count);
        foreach (var v in declared)
        {
            var t = synthetic.Parameters[v.Name];
            Assert.Equal(v.DataType, t.DataType);
            Assert.Equal(v.Dims.Select(d => (int)d), t.Shape.ToArray());
        }
    }

    [Fact]
    public void SameSeed_SameWeights_OtherSeed_Different_NormStatsAreIdentity()
    {
        var model = PaddleModel.Load(SharedData.Path("models", "programs", "ch_PP-OCRv4_det_infer.inference.pdmodel"));
        var a = model.WithSyntheticWeights(new SyntheticWeightOptions { Seed = 5 });
        var b = model.WithSyntheticWeights(new SyntheticWeightOptions { Seed = 5 });
        var c = model.WithSyntheticWeights(new SyntheticWeightOptions { Seed = 6 });
        var conv = model.Program.Main.Ops.First(o => o.Type == "conv2d");
        var filter = conv.Input("Filter")!;
        Assert.Equal(a.Parameters[filter].RawData, b.Parameters[filter].RawData);
        Assert.NotEqual(a.Parameters[filter].RawData, c.Parameters[filter].RawData);
        // Uniform with variance 1/fan-in: |w| ≤ sqrt(3/fan-in), and the sample variance near 1/fan-in.
        var f = a.Parameters[filter];
        int fanIn = f.Shape[1] * f.Shape[2] * f.Shape[3];
        var w = f.AsSpan<float>().ToArray();
        Assert.All(w, x => Assert.True(Math.Abs(x) <= Math.Sqrt(3.0 / fanIn) + 1e-6));
        if (w.Length >= 1000) Assert.InRange(w.Select(x => (double)x * x).Average() * fanIn, 0.8, 1.2);
        var bn = model.Program.Main.Ops.First(o => o.Type == "batch_norm");
        Assert.All(a.Parameters[bn.Input("Mean")!].AsSpan<float>().ToArray(), x => Assert.Equal(0f, x));
        Assert.All(a.Parameters[bn.Input("Variance")!].AsSpan<float>().ToArray(), x => Assert.Equal(1f, x));
        Assert.All(a.Parameters[bn.Input("Scale")!].AsSpan<float>().ToArray(), x => Assert.Equal(1f, x));
        Assert.All(a.Parameters[bn.Input("Bias")!].AsSpan<float>().ToArray(), x => Assert.Equal(0f, x));
    }

    [Fact]
    public void ModelWithWeights_SyntheticReplaceThem_AndSaysSo()
    {
        var dir = SharedData.Path("models", "zoo", "PPLCNet_x0_25", "pir");
        var real = PaddleModel.Load(dir);
        var synthetic = real.WithSyntheticWeights();
        Assert.True(synthetic.ReplacedWeights);
        foreach (var (name, t) in real.Parameters)
        {
            Assert.Equal(t.Shape.ToArray(), synthetic.Parameters[name].Shape.ToArray());
            Assert.Equal(t.DataType, synthetic.Parameters[name].DataType);
        }
        var (code, stdout, stderr) = Cli("bench", dir, "--runs", "1", "--warmup", "0", "--shape", "x=1x3x64x64", "--synthetic-weights", "2");
        Assert.Equal(0, code);
        Assert.Contains("weights: synthetic (seed 2)", stdout);
        Assert.Contains("has its own weights; using synthetic weights instead", stderr);
    }

    [Fact]
    public void AbsurdDeclaredParameter_RefusedBeforeAllocating_NamingIt()
    {
        var model = PaddleModel.Load(SharedData.Path("models", "programs", "ch_PP-OCRv4_det_infer.inference.pdmodel"));
        var v = model.Program.Main.Vars.Values.First(x => x.IsParameter && x.Dims.Length == 4);
        var saved = v.Dims;
        try
        {
            v.Dims = [1 << 20, 1 << 20, 1 << 10, 3]; // 2^50·3 elements: allocating would fail long before
            var e = Assert.Throws<ModelFormatException>(() => model.WithSyntheticWeights());
            Assert.Contains(v.Name, e.Message);
            Assert.Contains("over the synthetic-weights limit of 1 GiB", e.Message);
        }
        finally
        {
            v.Dims = saved;
        }
        // The limit is configurable: a small one refuses a real-sized filter.
        var small = Assert.Throws<ModelFormatException>(() => model.WithSyntheticWeights(new SyntheticWeightOptions { MaxParameterBytes = 64 }));
        Assert.Contains("limit of 64 bytes", small.Message);
    }

    [Fact]
    public void Session_ProgramOnly_RunsOnSyntheticWeights_FiniteOutputs()
    {
        var model = PaddleModel.Load(SharedData.Path("models", "programs", "ch_PP-OCRv4_det_infer.inference.pdmodel"));
        using var session = new InferenceSession(model, new SessionOptions { SyntheticWeights = new SyntheticWeightOptions { Seed = 3 } });
        Assert.True(session.Model.HasSyntheticWeights);
        var x = new Tensor(DataType.Float32, [1, 3, 64, 96]);
        var r = new Random(1);
        foreach (ref var v in x.AsSpan<float>()) v = (float)(r.NextDouble() * 2 - 1);
        var y = session.Run(new Dictionary<string, Tensor> { [session.Inputs[0].Name] = x })[0];
        Assert.Equal([1, 1, 64, 96], y.Shape.ToArray());
        Assert.All(y.AsSpan<float>().ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData("predict")]
    [InlineData("detect")]
    [InlineData("serve")]
    public void PredictingCommands_RefuseSyntheticWeights(string command)
    {
        var (code, _, stderr) = Cli(command, "-c", "whatever.yml", "--synthetic-weights");
        Assert.Equal(1, code);
        Assert.Contains($"{command} prints predictions, so it refuses --synthetic-weights", stderr);
    }
}

using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Runtime;

public sealed class InferenceSessionTests
{
    // A real CNN with SE blocks, dropout and a dynamic H/W input: exercises most kernel families.
    private static string ModelDir => SharedData.Path("models", "zoo", "PPLCNet_x0_25", "legacy");

    private static Tensor Input(string caseName) => NpyFile.Read(Path.Combine(ModelDir, "reference", $"{caseName}.in.x.npy"));

    [Fact]
    public void Run_FromEightThreads_GivesIdenticalOutputs()
    {
        using var session = new InferenceSession(ModelDir);
        var x1 = Input("rand_b1");
        var x2 = Input("rand_b2");
        var expected1 = session.Run(new Dictionary<string, Tensor> { ["x"] = x1 })[0].Bytes.ToArray();
        var expected2 = session.Run(new Dictionary<string, Tensor> { ["x"] = x2 })[0].Bytes.ToArray();
        var failures = 0;
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int i = 0; i < 12; i++)
            {
                bool one = (i + t) % 2 == 0;
                var y = session.Run(new Dictionary<string, Tensor> { ["x"] = one ? x1 : x2 })[0];
                if (!y.Bytes.SequenceEqual(one ? expected1 : expected2)) Interlocked.Increment(ref failures);
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.Equal(0, failures);
    }

    [Fact]
    public void Run_TwoIntraOpThreads_MatchesOneThread()
    {
        var x = Input("rand_b2");
        using var one = new InferenceSession(ModelDir, new SessionOptions { IntraOpThreads = 1 });
        using var two = new InferenceSession(ModelDir, new SessionOptions { IntraOpThreads = 2 });
        var a = one.Run(new Dictionary<string, Tensor> { ["x"] = x })[0];
        var b = two.Run(new Dictionary<string, Tensor> { ["x"] = x })[0];
        // Work is split over independent rows/channels only, so results are bit-identical.
        Assert.True(a.Bytes.SequenceEqual(b.Bytes));
    }

    [Fact]
    public void Run_UnknownInputName_ThrowsBeforeCompute()
    {
        using var session = new InferenceSession(ModelDir);
        var e = Assert.Throws<ShapeMismatchException>(() => session.Run(new Dictionary<string, Tensor> { ["image"] = Input("rand_b1") }));
        Assert.Equal("image", e.Subject);
    }

    [Fact]
    public void Run_WrongDtypeOrRank_ThrowsNamingTheInput()
    {
        using var session = new InferenceSession(ModelDir);
        var e1 = Assert.Throws<ShapeMismatchException>(() => session.Run(new Dictionary<string, Tensor> { ["x"] = new Tensor(DataType.Int32, [1, 3, 8, 8]) }));
        Assert.Equal("x", e1.Subject);
        Assert.Contains("int32", e1.Actual);
        var e2 = Assert.Throws<ShapeMismatchException>(() => session.Run(new Dictionary<string, Tensor> { ["x"] = new Tensor(DataType.Float32, [3, 8, 8]) }));
        Assert.Contains("rank 4", e2.Expected);
    }

    [Fact]
    public void Create_UnknownOperator_ThrowsNamingOpAndIndex()
    {
        var dir = SharedData.Path("ops", "relu", "basic", "pir");
        var json = File.ReadAllText(Path.Combine(dir, "model.json")).Replace("\"1.relu\"", "\"1.frobnicate\"");
        var model = PaddleModel.Load(System.Text.Encoding.UTF8.GetBytes(json), null);
        var e = Assert.Throws<UnsupportedOperatorException>(() => new InferenceSession(model));
        Assert.Equal("frobnicate", e.OpType);
        Assert.True(e.OpIndex > 0);
    }

    [Fact]
    public void Create_ProgramWithoutWeights_ThrowsClearly()
    {
        var model = PaddleModel.Load(SharedData.Path("models", "programs", "ch_PP-OCRv4_det_infer.inference.pdmodel"));
        var e = Assert.Throws<ModelFormatException>(() => new InferenceSession(model));
        Assert.Contains("parameters were not found", e.Message);
    }
}

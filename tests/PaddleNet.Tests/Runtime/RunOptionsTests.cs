using PaddleNet.Tests.Kernels.ControlFlow;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Runtime;

/// <summary>Per-run options: cancellation between operators, per-run profiling; neither changes the outputs.</summary>
public sealed class RunOptionsTests
{
    private static string ModelDir => SharedData.Path("models", "zoo", "PPLCNet_x0_25", "legacy");

    private static Tensor Input() => NpyFile.Read(Path.Combine(ModelDir, "reference", "rand_b1.in.x.npy"));

    [Fact]
    public void Run_CancelledToken_StopsBeforeTheFirstOperator_AndTheSessionStaysUsable()
    {
        using var session = new InferenceSession(ModelDir);
        var feeds = new Dictionary<string, Tensor> { ["x"] = Input() };
        var expected = session.Run(feeds)[0].Bytes.ToArray();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() => session.Run(feeds, new RunOptions { CancellationToken = cts.Token }));

        Assert.Equal(expected, session.Run(feeds)[0].Bytes.ToArray());
    }

    [Fact]
    public void Run_WithProfile_RecordsEveryOperatorTypeOnce_PerRun_AndSameOutputs()
    {
        using var session = new InferenceSession(ModelDir);
        var x = Input();
        var feeds = new Dictionary<string, Tensor> { ["x"] = x };
        var expected = session.Run(feeds)[0].Bytes.ToArray();
        var profile = new RunProfile();
        var options = new RunOptions { Profile = profile };

        var first = session.Run(feeds, options)[0].Bytes.ToArray();
        var second = session.Run(feeds, options)[0].Bytes.ToArray();

        Assert.Equal(expected, first);
        Assert.Equal(expected, second);
        Assert.Equal(2, profile.Runs);
        Assert.NotEmpty(profile.Milliseconds);
        Assert.All(profile.Milliseconds.Values, ms => Assert.True(ms >= 0));
        Assert.Contains(profile.Milliseconds.Keys, k => k.Contains("conv2d", StringComparison.Ordinal));
    }
    /// <summary>
    /// matmul_v2, matmul, mul, bmm and fc report 2·M·N·K FLOPs to the profile (so `bench --profile` shows GFLOP/s for
    /// them); the counts below are worked out by hand from the shapes.
    /// </summary>
    [Fact]
    public void Run_WithProfile_CountsMatrixProductFlops()
    {
        var r = new Random(4);
        float[] R(int n) => Enumerable.Range(0, n).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
        var p = new ProgramBuilder();
        p.Feed("a", DataType.Float32, 3, 4, 5).Feed("b", DataType.Float32, 6, 5).Feed("c", DataType.Float32, 2, 7).Feed("d", DataType.Float32, 7, 3)
            .Feed("e", DataType.Float32, 2, 3, 4).Feed("f", DataType.Float32, 4, 5).Feed("g", DataType.Float32, 2, 4, 5).Feed("h", DataType.Float32, 3, 8)
            .Parameter("w", Tensor.FromSpan<float>(R(16), [8, 2]))
            .Var("o1", DataType.Float32, [3, 4, 6]).Var("o2", DataType.Float32, [2, 3]).Var("o3", DataType.Float32, [2, 3, 5])
            .Var("o4", DataType.Float32, [2, 3, 5]).Var("o5", DataType.Float32, [3, 2]);
        p.Op(0, "matmul_v2", ["in:X=a", "in:Y=b", "out:Out=o1"], ("trans_x", false), ("trans_y", true))
            .Op(0, "matmul", ["in:X=c", "in:Y=d", "out:Out=o2"], ("alpha", 2.0))
            .Op(0, "mul", ["in:X=e", "in:Y=f", "out:Out=o3"], ("x_num_col_dims", 2L), ("y_num_col_dims", 1L))
            .Op(0, "bmm", ["in:X=e", "in:Y=g", "out:Out=o4"])
            .Op(0, "fc", ["in:Input=h", "in:W=w", "out:Out=o5"], ("in_num_col_dims", 1L));
        p.Fetch("o1").Fetch("o2").Fetch("o3").Fetch("o4").Fetch("o5");
        using var session = new InferenceSession(p.Build());
        var feeds = new Dictionary<string, Tensor>
        {
            ["a"] = Tensor.FromSpan<float>(R(60), [3, 4, 5]), ["b"] = Tensor.FromSpan<float>(R(30), [6, 5]),
            ["c"] = Tensor.FromSpan<float>(R(14), [2, 7]), ["d"] = Tensor.FromSpan<float>(R(21), [7, 3]),
            ["e"] = Tensor.FromSpan<float>(R(24), [2, 3, 4]), ["f"] = Tensor.FromSpan<float>(R(20), [4, 5]),
            ["g"] = Tensor.FromSpan<float>(R(40), [2, 4, 5]), ["h"] = Tensor.FromSpan<float>(R(24), [3, 8]),
        };
        var profile = new RunProfile();
        session.Run(feeds, new RunOptions { Profile = profile });
        session.Run(feeds, new RunOptions { Profile = profile });
        // Two runs each: M·N outputs × K multiply-adds × 2.
        Assert.Equal(2 * 2.0 * (3 * 4 * 6) * 5, profile.Operators["matmul_v2"].Flops);
        Assert.Equal(2 * 2.0 * (2 * 3) * 7, profile.Operators["matmul"].Flops);
        Assert.Equal(2 * 2.0 * (2 * 3 * 5) * 4, profile.Operators["mul"].Flops);
        Assert.Equal(2 * 2.0 * (2 * 3 * 5) * 4, profile.Operators["bmm"].Flops);
        Assert.Equal(2 * 2.0 * (3 * 2) * 8, profile.Operators["fc"].Flops);
        Assert.All(new[] { "matmul_v2", "matmul", "mul", "bmm", "fc" }, t => Assert.True(profile.Operators[t].Rate.Length == 0 || profile.Operators[t].Rate.EndsWith("GFLOP/s", StringComparison.Ordinal), t));
    }
}

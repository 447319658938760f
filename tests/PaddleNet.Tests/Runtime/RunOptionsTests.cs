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
}

using System.CommandLine;
using PaddleNet.Cli;
using PaddleNet.Cli.Commands;

namespace PaddleNet.Tests.Cli;

/// <summary>Which command-line values <see cref="PathArguments"/> checks against Windows' naming rules.</summary>
public sealed class PathArgumentsTests
{
    private static List<string> PathsOf(params string[] args)
    {
        var w = new StringWriter();
        var root = new RootCommand
        {
            InspectCommand.Create(w), RunCommand.Create(w), PredictCommand.Create(w, w), EvalCommand.Create(w, w),
            DatasetCommand.Create(w), DetectCommand.Create(w),
        };
        return PathArguments.Paths(root.Parse(args)).ToList();
    }

    [Fact]
    public void Paths_Predict_IsTheConfigNotTheOverrides()
    {
        Assert.Equal([@"C:\m\CON.yaml"], PathsOf("predict", "-c", @"C:\m\CON.yaml", "-o", "Global.batch_size=2"));
    }

    [Fact]
    public void Paths_Detect_ConfigImageAndOutputDir()
    {
        Assert.Equal(["cfg.yml", @"D:\img\a?.jpg", "out"], PathsOf("detect", "-c", "cfg.yml", "--image", @"D:\img\a?.jpg", "--output-dir", "out"));
    }

    [Fact]
    public void Paths_Run_ModelInputFilesAndOutputDir()
    {
        Assert.Equal(["model", "x.npy", "y.npy", "o"], PathsOf("run", "model", "-i", "x=x.npy", "-i", "y=y.npy", "-o", "o"));
    }

    [Fact]
    public void Paths_InspectAndDataset()
    {
        Assert.Equal(["m", "p"], PathsOf("inspect", "m", "--params", "p"));
        Assert.Equal(["f", "lists"], PathsOf("dataset", "split", "f", "--out", "lists"));
    }

    [Fact]
    public void Run_AppliesWindowsRulesOnWindowsOnly()
    {
        // A file really named CON is legal on Linux: refused there only because no such model exists.
        var o = new StringWriter();
        var e = new StringWriter();

        int code = PaddleNet.Cli.Program.Run(["inspect", "CON"], o, e);

        Assert.Equal(PaddleNet.Cli.Program.UserError, code);
        Assert.Equal(OperatingSystem.IsWindows(), e.ToString().Contains("CON: Windows cannot open this path", StringComparison.Ordinal));
    }
}

using System.Text;
using PaddleNet.Cli;

namespace PaddleNet.Pipeline.Tests;

/// <summary>Tests that change <see cref="Environment.CurrentDirectory"/> run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CurrentDirectoryCollection
{
    public const string Name = "current directory";
}

/// <summary>
/// <c>paddlenet predict</c> / <c>eval</c> in-process against PaddleClas's own stdout, byte for byte. Each golden's
/// command runs from the folder its README names, so the test moves the current directory there.
/// </summary>
[Collection(CurrentDirectoryCollection.Name)]
public class EndToEndTests
{
    public static TheoryData<string> Goldens() => new()
    {
        "models/cls/ShuffleNetV2_imagenet/predict_cls",
        "models/cls/PP-LCNet_x0_25_textline_ori/predict_cls",
        "models/cls/ch_ppocr_mobile_v2.0_cls/predict_cls",
    };

    [Theory]
    [MemberData(nameof(Goldens))]
    public void PredictMatchesPaddleClasGolden(string folder)
    {
        // command.txt: "... predict_cls_compat.py -c <yaml> -o Global.use_gpu=False -o Global.enable_mkldnn=True", cwd shared/models.
        var args = File.ReadAllText(SharedData.PathOf(folder + "/command.txt")).Trim().Split(' ');
        var ours = args.SkipWhile(a => a != "-c").ToArray();
        var (code, stdout, stderr) = Run(SharedData.Root + "/models", ["predict", .. ours]);
        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllBytes(SharedData.PathOf(folder + "/expected.stdout")), Encoding.UTF8.GetBytes(stdout));
    }

    [Theory]
    [InlineData("expected.stdout", new string[0])]
    [InlineData("expected_top5.stdout", new[] { "-o", "PostProcess.Topk.topk=5" })]
    [InlineData("expected_batch4_nomkldnn.stdout", new[] { "-o", "Global.batch_size=4", "-o", "Global.enable_mkldnn=False" })]
    [InlineData("expected.stdout", new[] { "-o", "Global.inference_model_dir=./inference_pir", "-o", "Global.batch_size=3" })]
    public void DigitsDemoPredictMatches(string golden, string[] extra)
    {
        var (code, stdout, stderr) = Run(SharedData.Root + "/demo/digits", ["predict", "-c", "inference_cls.yaml", "-o", "Global.use_gpu=False", .. extra]);
        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllBytes(SharedData.PathOf("demo/digits/predict_cls/" + golden)), Encoding.UTF8.GetBytes(stdout));
    }

    [Fact]
    public void DigitsEvalReproducesPaddleAccuracy()
    {
        SharedData.PathOf("demo/digits/accuracy.json");
        var (code, stdout, stderr) = Run(SharedData.Root + "/demo/digits", ["eval", "-c", "inference_cls.yaml", "--list", "val_list.txt", "--root", "."]);
        Assert.True(code == 0, stderr);
        Assert.Equal("images: 355\ntop-1: 0.9746 (346/355)\ntop-5: 0.9944 (353/355)\n", stdout);
    }

    [Fact]
    public void RepositoryQuickStartModelPrintsThePaddleClasLines()
    {
        var (code, stdout, stderr) = Run(SharedData.RepoRoot, ["predict", "-c", "models/digits/inference_cls.yaml"]);
        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllBytes(SharedData.PathOf("demo/digits/predict_cls/expected.stdout")), Encoding.UTF8.GetBytes(stdout));
    }

    [Fact]
    public void UnreadableImagesAreSkippedWithAWarningAndDoNotShiftBatches()
    {
        var dir = Directory.CreateTempSubdirectory("paddlenet-predict-").FullName;
        try
        {
            foreach (var f in Directory.GetFiles(SharedData.Root + "/demo/digits/predict_cls/images")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            File.WriteAllText(Path.Combine(dir, "0_0100.png"), "not an image");
            var (code, stdout, stderr) = Run(SharedData.Root + "/demo/digits",
                ["predict", "-c", "inference_cls.yaml", "-o", $"Global.infer_imgs={dir}", "-o", "Global.batch_size=3"]);
            Assert.True(code == 0, stderr);
            Assert.Equal(File.ReadAllText(SharedData.PathOf("demo/digits/predict_cls/expected.stdout")), stdout);
            Assert.Contains("Image file failed to read and has been skipped. The path: " + Path.Join(dir, "0_0100.png"), stderr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void JsonOutputHasOneObjectPerImage()
    {
        var (code, stdout, stderr) = Run(SharedData.Root + "/demo/digits", ["predict", "-c", "inference_cls.yaml", "--json"]);
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(40, lines.Length);
        using var first = System.Text.Json.JsonDocument.Parse(lines[0]);
        Assert.Equal("0_0036.png", first.RootElement.GetProperty("name").GetString());
        Assert.Equal(0, first.RootElement.GetProperty("class_ids")[0].GetInt32());
        Assert.Equal("zero", first.RootElement.GetProperty("label_names")[0].GetString());
    }

    [Fact]
    public void BadConfigIsAUserError()
    {
        var (code, _, stderr) = Run(SharedData.Root + "/demo/digits", ["predict", "-c", "inference_cls.yaml", "-o", "Nope.x=1"]);
        Assert.Equal(Program.UserError, code);
        Assert.Contains("Nope", stderr);
    }

    internal static (int Code, string Stdout, string Stderr) Run(string workingDirectory, string[] args)
    {
        var saved = Environment.CurrentDirectory;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        try
        {
            Environment.CurrentDirectory = workingDirectory;
            int code = Program.Run(args, stdout, stderr);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Environment.CurrentDirectory = saved;
        }
    }
}

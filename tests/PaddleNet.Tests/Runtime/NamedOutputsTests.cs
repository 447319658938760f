using System.Text.Json;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Runtime;

/// <summary>
/// Outputs by name (Paddle Inference's GetOutputHandle(name)): the names and files come from the reference manifest
/// Paddle wrote for ppyolo_tiny_trash (two outputs: NMS boxes and per-image counts).
/// </summary>
public sealed class NamedOutputsTests
{
    private static string ModelDir => SharedData.Path("models", "det", "ppyolo_tiny_trash");

    private static (Dictionary<string, Tensor> Inputs, Dictionary<string, string> OutputFiles) DogCase()
    {
        string refDir = System.IO.Path.Combine(ModelDir, "reference");
        using var doc = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(refDir, "manifest.json")));
        var c = doc.RootElement.GetProperty("cases").EnumerateArray().First(e => e.GetProperty("name").GetString() == "dog");
        var inputs = c.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => NpyFile.Read(System.IO.Path.Combine(refDir, p.Value.GetString()!)));
        var outputs = c.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!, o => System.IO.Path.Combine(refDir, o.GetProperty("file").GetString()!));
        return (inputs, outputs);
    }

    [Fact]
    public void RunNamed_GivesEveryOutputUnderPaddlesName()
    {
        var (inputs, files) = DogCase();
        using var session = new InferenceSession(ModelDir);
        var positional = session.Run(inputs);
        var named = session.RunNamed(inputs);
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), named.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tensor) in named)
        {
            Assert.Equal(positional[session.OutputIndex(name)].Bytes.ToArray(), tensor.Bytes.ToArray());
        }
        // The count output is exact in Paddle's tolerance note, so it pins the name to the right tensor.
        var counts = NpyFile.Read(files["multiclass_nms3_0.tmp_2"]);
        Assert.Equal(counts.Bytes.ToArray(), named["multiclass_nms3_0.tmp_2"].Bytes.ToArray());
        Assert.Equal(NpyFile.Read(files["multiclass_nms3_0.tmp_0"]).Shape.ToArray(), named["multiclass_nms3_0.tmp_0"].Shape.ToArray());
    }

    [Fact]
    public void RunNamed_GivesOnlyTheOutputsAsked()
    {
        var (inputs, files) = DogCase();
        using var session = new InferenceSession(ModelDir);
        var one = session.RunNamed(inputs, ["multiclass_nms3_0.tmp_2"]);
        Assert.Equal(["multiclass_nms3_0.tmp_2"], one.Keys);
        Assert.Equal(NpyFile.Read(files["multiclass_nms3_0.tmp_2"]).Bytes.ToArray(), one["multiclass_nms3_0.tmp_2"].Bytes.ToArray());
    }

    [Fact]
    public void UnknownOutputName_IsRefusedBeforeRunning_NamingTheOutputs()
    {
        var (inputs, _) = DogCase();
        using var session = new InferenceSession(ModelDir);
        var e = Assert.Throws<ShapeMismatchException>(() => session.RunNamed(inputs, ["scores"]));
        Assert.Equal("scores", e.Subject);
        Assert.Contains("multiclass_nms3_0.tmp_0", e.Message);
        Assert.Contains("multiclass_nms3_0.tmp_2", e.Message);
        Assert.Throws<ShapeMismatchException>(() => session.OutputIndex("scores"));
    }
}

using System.Text.Json;
using PaddleNet.Imaging;

namespace PaddleNet.Ocr.Tests;

/// <summary>Tolerances, named once: those the shared references state (SOURCE.md of each model).</summary>
internal static class Tolerances
{
    /// <summary>ch_PP-OCRv4_det: abs 1e-4, rel 1e-4 (ONNX Runtime's own optimised path drifts by 2.3e-5 on this map).</summary>
    public const double DetAbs = 1e-4, DetRel = 1e-4;

    /// <summary>ch_PP-OCRv4_rec and the v2.0 classifier: abs 1e-5, rel 1e-4.</summary>
    public const double RecAbs = 1e-5, RecRel = 1e-4;
}

/// <summary>
/// The OCR flow's preprocessing and model outputs against the shared references (ONNX Runtime on the same
/// weights for v4 det/rec, Paddle Inference for the classifier): inputs bit for bit, outputs within <see cref="Tolerances"/>.
/// </summary>
public sealed class ModelParityTests
{
    [Fact]
    public void Det_Scene11_PreprocessingBitExact_MapWithinTolerance()
    {
        string refDir = "models/det/ch_PP-OCRv4_det/reference/";
        var expectedIn = Npy.Read(SharedData.PathOf(refDir + "ocr_scene_11.in.x.npy"));
        var expectedOut = Npy.Read(SharedData.PathOf(refDir + "ocr_scene_11.out.0.npy"));
        using var det = TextDetector.Load(Models.DetV4);

        var (input, w, h) = TextDetector.Preprocess(Image.Decode(Models.Scene11), det.Options);
        var map = det.RunMap(input);

        Assert.Equal((512, 512), (w, h));
        Assert.Equal(expectedIn.Shape, input.Shape.ToArray());
        Assert.Equal(expectedIn.ToFloat32(), input.AsSpan<float>().ToArray());
        AssertClose(expectedOut.ToFloat32(), map.AsSpan<float>(), Tolerances.DetAbs, Tolerances.DetRel, "det map");
    }

    public static TheoryData<string> RecCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Manifest("models/rec/ch_PP-OCRv4_rec/reference/manifest.json").GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RecCases))]
    public void Rec_ReferenceCase_InputBitExact_OutputWithinTolerance_SameText(string name)
    {
        var c = Case("models/rec/ch_PP-OCRv4_rec/reference/manifest.json", name);
        string refDir = "models/rec/ch_PP-OCRv4_rec/reference/";
        var input = Npy.Read(SharedData.PathOf(refDir + c.GetProperty("inputs").GetProperty("x").GetString()));
        var output = c.GetProperty("outputs")[0];
        var expected = Npy.Read(SharedData.PathOf(refDir + output.GetProperty("file").GetString()));
        using var rec = TextRecognizer.Load(Models.RecV4, Models.Keys);

        var meta = c.GetProperty("input_meta").GetProperty("x");
        if (meta.GetProperty("origin").GetString() == "images")
        {
            string image = meta.GetProperty("images")[0].GetString()!;
            var prepared = new float[input.ElementCount];
            TextRecognizer.ResizeNormalize(Image.Decode(SharedData.PathOfManifestEntry(image)), input.Shape[2], input.Shape[3], prepared);
            Assert.Equal(input.ToFloat32(), prepared);
        }

        var tensor = Tensor.FromSpan<float>(input.ToFloat32(), input.Shape);
        var texts = rec.RunPrepared(tensor);
        var probs = RunRaw(rec, tensor);

        AssertClose(expected.ToFloat32(), probs, Tolerances.RecAbs, Tolerances.RecRel, name);
        var greedy = output.GetProperty("ctc_greedy");
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(greedy[i].GetProperty("text").GetString(), texts[i].Text);
            Assert.Equal(greedy[i].GetProperty("score").GetDouble(), texts[i].Score, 4);
        }
    }

    [Theory]
    [InlineData("word_ch_4", false, "0")]
    [InlineData("word_ch_4_rot180", true, "180")]
    [InlineData("word_en_10", false, "0")]
    [InlineData("word_en_10_rot180", true, "180")]
    public void Cls_ReferenceCase_InputBitExact_SameLabel(string name, bool turned, string label)
    {
        var c = Case("models/cls/ch_ppocr_mobile_v2.0_cls/reference/manifest.json", name);
        string refDir = "models/cls/ch_ppocr_mobile_v2.0_cls/reference/";
        var input = Npy.Read(SharedData.PathOf(refDir + c.GetProperty("inputs").GetProperty("x").GetString()));
        var expected = Npy.Read(SharedData.PathOf(refDir + c.GetProperty("outputs")[0].GetProperty("file").GetString()));
        string image = c.GetProperty("input_meta").GetProperty("x").GetProperty("images")[0].GetString()!;
        var decoded = Image.Decode(SharedData.PathOfManifestEntry(image));
        if (turned) decoded = decoded.Rotate(Rotation.Rotate180);
        using var cls = TextClassifier.Load(Models.Cls);

        var prepared = new float[input.ElementCount];
        TextRecognizer.ResizeNormalize(decoded, 48, 192, prepared);
        var probs = cls.RunPrepared(Tensor.FromSpan<float>(input.ToFloat32(), input.Shape));
        var (_, angles) = cls.Classify([decoded.Rotate(Rotation.Rotate180).Rotate(Rotation.Rotate180)]);

        Assert.Equal(input.ToFloat32(), prepared);
        AssertClose(expected.ToFloat32(), probs, Tolerances.RecAbs, Tolerances.RecRel, name);
        Assert.Equal(label, angles[0].Label);
    }

    private static float[] RunRaw(TextRecognizer rec, Tensor input)
    {
        using var session = new InferenceSession(Models.RecV4);
        return session.Run(new Dictionary<string, Tensor> { [session.Inputs[0].Name] = input })[0].AsSpan<float>().ToArray();
    }

    private static JsonElement Manifest(string relative) => JsonDocument.Parse(File.ReadAllText(SharedData.PathOf(relative))).RootElement;

    private static JsonElement Case(string manifest, string name) =>
        Manifest(manifest).GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static void AssertClose(float[] expected, ReadOnlySpan<float> actual, double abs, double rel, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double excess = Math.Abs(expected[i] - actual[i]) - (abs + rel * Math.Abs(expected[i]));
            if (excess > worst) { worst = excess; at = i; }
        }

        Assert.True(at < 0, $"{what}: element {at} is {(at < 0 ? 0 : actual[at])}, expected {(at < 0 ? 0 : expected[at])} (abs {abs} + rel {rel})");
    }
}

/// <summary>The PaddleX textline orientation classifier (PIR program, inference.yml preprocessing) against its Paddle references.</summary>
public sealed class TextlineClassifierParityTests
{
    [Theory]
    [InlineData("textline_0_0", "0_degree")]
    [InlineData("textline_0_1", "0_degree")]
    [InlineData("textline_1_0", "180_degree")]
    [InlineData("textline_1_1", "180_degree")]
    public void PirTextline_InputBitExact_SameLabel(string name, string label)
    {
        string refDir = "models/cls/PP-LCNet_x0_25_textline_ori/reference/";
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.PathOf(refDir + "manifest.json")));
        var c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var input = Npy.Read(SharedData.PathOf(refDir + c.GetProperty("inputs").GetProperty("x").GetString()));
        var decoded = Image.Decode(SharedData.PathOfManifestEntry(c.GetProperty("input_meta").GetProperty("x").GetProperty("images")[0].GetString()!));
        using var cls = TextClassifier.Load(Models.ClsTextline);

        var prepared = new float[input.ElementCount];
        TextClassifier.ResizeImageNet(decoded, 80, 160, prepared);
        var (turned, angles) = cls.Classify([decoded]);

        Assert.Equal(input.ToFloat32(), prepared);
        Assert.Equal(["0_degree", "180_degree"], cls.Labels);
        Assert.Equal(label, angles[0].Label);
        Assert.Equal(label == "180_degree", !turned[0].Pixels.SequenceEqual(decoded.Pixels));
    }
}

using System.Text.Json;
using PaddleNet.Imaging;
using PaddleNet.Pipeline.Config;
using PaddleNet.Pipeline.Preprocess;

namespace PaddleNet.Pipeline.Tests;

/// <summary>
/// PaddleClas preprocessing vs arrays made by real cv2 + PaddleClas (shared/models/images/reference, and the
/// ShuffleNetV2 reference inputs).
/// </summary>
/// <remarks>
/// Tolerance: <see cref="MaxAbs"/> = 0, i.e. bit-identical float32. Every step is exact by construction: decode and
/// INTER_LINEAR resize run OpenCV through the native shim (bit-exact with cv2 on these photos, pinned by the
/// Imaging tests), crop is a copy, and NormalizeImage does the same three float32 operations as numpy (multiply,
/// subtract, divide; no FMA, no reciprocal). Any difference therefore means a real bug, not rounding noise.
/// </remarks>
public class PreprocessTests
{
    private const float MaxAbs = 0f;

    private const string ImageNetOps = """
        PreProcess:
          transform_ops:
            - ResizeImage:
                resize_short: 256
            - CropImage:
                size: 224
            - NormalizeImage:
                scale: 0.00392157
                mean: [0.485, 0.456, 0.406]
                std: [0.229, 0.224, 0.225]
                order: ""
            - ToCHWImage:
        """;

    public static TheoryData<string> TensorReferences()
    {
        var data = new TheoryData<string>();
        using var manifest = JsonDocument.Parse(File.ReadAllText(SharedData.PathOf("models/images/reference/manifest.json")));
        foreach (var photo in manifest.RootElement.GetProperty("photos").EnumerateArray())
        {
            if (photo.GetProperty("files").TryGetProperty("tensor", out _)) data.Add(photo.GetProperty("stem").GetString()!);
        }
        return data;
    }

    [Fact]
    public void AllEightTensorReferencesAreListed() => Assert.Equal(8, TensorReferences().Count);

    [Theory]
    [MemberData(nameof(TensorReferences))]
    public void ImageNetPipelineMatchesPaddleClasTensor(string stem)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(SharedData.PathOf("models/images/reference/manifest.json")));
        var photo = manifest.RootElement.GetProperty("photos").EnumerateArray().Single(p => p.GetProperty("stem").GetString() == stem);
        var image = Image.Decode(SharedData.PathOfManifestEntry(photo.GetProperty("path").GetString()!));
        var pipeline = Pipeline(ImageNetOps);
        var actual = pipeline.Apply(image);
        var expected = Npy.Read(SharedData.PathOf("models/images/reference/" + photo.GetProperty("files").GetProperty("tensor").GetProperty("file").GetString()));
        AssertClose(expected, actual.Shape, actual.Floats!);
    }

    [Theory]
    [InlineData("egypt_cat")]
    [InlineData("val_00000010")]
    [InlineData("val_00020010")]
    [InlineData("val_0001312x_b2")]
    public void ShuffleNetV2ReferenceInputsAreReproduced(string caseName)
    {
        string dir = "models/cls/ShuffleNetV2_imagenet/";
        using var manifest = JsonDocument.Parse(File.ReadAllText(SharedData.PathOf(dir + "reference/manifest.json")));
        var c = manifest.RootElement.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == caseName);
        var meta = c.GetProperty("input_meta").GetProperty("image");
        var images = meta.GetProperty("images").EnumerateArray().Select(p => Image.Decode(SharedData.PathOfManifestEntry(p.GetString()!))).ToArray();
        var cfg = ClsConfig.Load(SharedData.PathOf(dir + "predict_cls/inference_cls.yaml"));
        var pipeline = new PreprocessPipeline(cfg.TransformOps);
        var batch = PreprocessPipeline.Stack(images.Select(pipeline.Apply).ToArray());
        var expected = Npy.Read(SharedData.PathOf(dir + "reference/" + meta.GetProperty("file").GetString()));
        AssertClose(expected, batch.Shape.ToArray(), batch.AsSpan<float>().ToArray());
    }

    [Theory]
    [InlineData(500, 375, 341, 256)]   // the spec's example
    [InlineData(375, 500, 256, 341)]
    [InlineData(64, 64, 256, 256)]
    public void ResizeShortUsesPythonRound(int w, int h, int newW, int newH)
    {
        var pipeline = Pipeline("""
            PreProcess:
              transform_ops:
                - ResizeImage:
                    resize_short: 256
            """);
        var result = pipeline.Apply(Image.FromPixels(new byte[w * h * 3], w, h, PixelFormat.Bgr));
        Assert.Equal([newH, newW, 3], result.Shape);
    }

    [Fact]
    public void PythonRoundIsHalfToEven()
    {
        Assert.Equal(2, ResizeImage.PyRound(2.5));
        Assert.Equal(4, ResizeImage.PyRound(3.5));
        Assert.Equal(3, ResizeImage.PyRound(2.5000001));
    }

    [Fact]
    public void SizeListIsWidthThenHeightAndChwWithFourChannels()
    {
        var pipeline = Pipeline("""
            PreProcess:
              transform_ops:
                - ResizeImage:
                    size: [160, 80]
                - NormalizeImage:
                    scale: 1.0/255.0
                    order: ""
                    channel_num: 4
                    output_fp16: True
                - ToCHWImage:
            """);
        var result = pipeline.Apply(Image.FromPixels(Enumerable.Repeat((byte)255, 10 * 20 * 3).ToArray(), 10, 20, PixelFormat.Bgr));
        Assert.Equal([4, 80, 160], result.Shape);
        Assert.NotNull(result.Halves);
        // 255 * float32(1/255) - 0.485, / 0.229 in float32; the padded channel is zero.
        float expected = (255f * (float)(1.0 / 255.0) - 0.485f) / 0.229f;
        Assert.Equal((Half)expected, result.Halves![0]);
        Assert.Equal((Half)0, result.Halves[3 * 80 * 160]);
    }

    [Fact]
    public void NormalizeDividesByStdInFloat32()
    {
        var pipeline = Pipeline("""
            PreProcess:
              transform_ops:
                - NormalizeImage:
                    order: ""
            """);
        var pixels = Enumerable.Range(0, 256).SelectMany(v => new[] { (byte)v, (byte)v, (byte)v }).ToArray();
        var result = pipeline.Apply(Image.FromPixels(pixels, 256, 1, PixelFormat.Rgb));
        float scale = (float)(1.0 / 255.0);
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
        for (int v = 0; v < 256; v++)
        {
            for (int c = 0; c < 3; c++)
            {
                float x = v;
                float want = (x * scale - mean[c]) / std[c];
                Assert.Equal(BitConverter.SingleToInt32Bits(want), BitConverter.SingleToInt32Bits(result.Floats![v * 3 + c]));
            }
        }
    }

    [Theory]
    [InlineData("RandCropImage")]
    [InlineData("ToTensor")]
    [InlineData("DecodeImage")]
    public void UnknownOpsAreRejectedByName(string op)
    {
        var e = Assert.Throws<PaddleNetException>(() => Pipeline($"PreProcess:\n  transform_ops:\n    - {op}:\n"));
        Assert.Contains($"'{op}'", e.Message);
    }

    [Fact]
    public void UnexpectedParametersAreRejected()
    {
        var e = Assert.Throws<PaddleNetException>(() => Pipeline("PreProcess:\n  transform_ops:\n    - CropImage:\n        size: 3\n        bogus: 1\n"));
        Assert.Contains("bogus", e.Message);
    }

    private static PreprocessPipeline Pipeline(string yaml) =>
        new(ClsConfig.FromMap(ConfigLoader.Parse(yaml)).TransformOps);

    private static void AssertClose(NpyArray expected, int[] shape, float[] actual)
    {
        Assert.Equal(expected.Shape, shape);
        var want = expected.ToFloat32();
        Assert.Equal(want.Length, actual.Length);
        int bad = 0;
        float worst = 0;
        for (int i = 0; i < want.Length; i++)
        {
            float d = Math.Abs(want[i] - actual[i]);
            if (d > MaxAbs) bad++;
            worst = Math.Max(worst, d);
        }
        Assert.True(bad == 0, $"{bad} of {want.Length} elements differ by more than {MaxAbs} (worst {worst})");
    }
}

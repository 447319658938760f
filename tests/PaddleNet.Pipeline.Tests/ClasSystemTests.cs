using PaddleNet.Imaging;
using PaddleNet.Pipeline.Lite;

namespace PaddleNet.Pipeline.Tests;

/// <summary><c>paddlenet clas-system</c>: Paddle Lite's clas_system demo (shared/docs/paddleclas-deploy.md §2.4).</summary>
[Collection(CurrentDirectoryCollection.Name)]
public class ClasSystemTests
{
    private static string ShuffleNetNb => SharedData.PathOf("models/lite/opt2.13_ShuffleNetV2_imagenet_x86_int8/model.nb");
    private static string Labels => SharedData.PathOf("models/labels/imagenet1k_label_list.txt");
    internal static string Photo => SharedData.PathOf("models/images/imagenet/ILSVRC2012_val_00000010.jpeg");

    internal static string WriteConfig(string dir, string? drop = null, params (string Key, string Value)[] extra)
    {
        var pairs = new List<(string, string)>
        {
            ("clas_model_file", ShuffleNetNb), ("label_path", Labels), ("resize_short_size", "256"), ("crop_size", "224"),
            ("visualize", "0"), ("num_threads", "1"), ("batch_size", "1"), ("precision", "FP32"),
            ("runtime_device", "arm_cpu"), ("enable_benchmark", "0"), ("tipc_benchmark", "0"),
        };
        pairs.RemoveAll(p => p.Item1 == drop);
        pairs.AddRange(extra);
        var path = Path.Combine(dir, "config.txt");
        File.WriteAllLines(path, pairs.Select(p => $"{p.Item1} {p.Item2}"));
        return path;
    }

    private static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "paddlenet-clas-system-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>Expected strings from C's printf("%g") (Python's '%g' % float32(v), which calls it).</summary>
    [Theory]
    [InlineData(0.336968f, "0.336968")]
    [InlineData(0.0821183f, "0.0821183")]
    [InlineData(1e-05f, "1e-05")]
    [InlineData(1.5e-7f, "1.5e-07")]
    [InlineData(123456.7f, "123457")]
    [InlineData(1234567f, "1.23457e+06")]
    [InlineData(0.1f, "0.1")]
    [InlineData(1f, "1")]
    [InlineData(0.00012345678f, "0.000123457")]
    [InlineData(100000f, "100000")]
    [InlineData(999999.5f, "1e+06")]
    [InlineData(0f, "0")]
    public void G6_IsPrintfG(float value, string expected) => Assert.Equal(expected, ClasSystemFormat.G6(value));

    [Fact]
    public void Top5_SameIdsAsAFullSort_TiesKeepTheEarlierIndex_NonPositiveNeverEnter()
    {
        // Distinct scores: the demo's add/subtract swap can perturb the held values in the last bit, so exact ties
        // among displaced values are checked separately on small cases below.
        var rng = new Random(7);
        for (int trial = 0; trial < 200; trial++)
        {
            var s = new float[1 + rng.Next(40)];
            for (int i = 0; i < s.Length; i++) s[i] = (float)(rng.NextDouble() - 0.2);
            var top = ClasSystem.Top5(s, ["a"]);
            var order = Enumerable.Range(0, s.Length).Where(i => s[i] > 0).OrderByDescending(i => s[i]).ThenBy(i => i).Take(5).ToArray();
            for (int k = 0; k < 5; k++)
            {
                if (k < order.Length)
                {
                    Assert.Equal(order[k], top[k].ClassId);
                    // Each swap rounds a float sum once (≤ 2^-24 relative), a value moves at most 5 times.
                    Assert.True(Math.Abs(s[order[k]] - top[k].Score) <= 5 * 6e-8, $"{s[order[k]]} vs {top[k].Score}");
                }
                else
                {
                    Assert.Equal((0, 0f), (top[k].ClassId, top[k].Score));
                }
            }
        }
        Assert.Equal("Unknown", ClasSystem.Top5([0.5f, 0.9f], ["only"])[0].ClassName);
        Assert.Equal([0, 1, 0, 0, 0], ClasSystem.Top5([0.5f, 0.5f], ["a", "b"]).Select(r => r.ClassId));
    }

    [Fact]
    public void Labels_KeepTheLeadingSpace_AndTheDemosTrailingEmptyLabel()
    {
        var dir = TempDir();
        var path = Path.Combine(dir, "labels.txt");
        File.WriteAllText(path, "0 tench, Tinca tinca\n1 goldfish\nnospace\n");
        Assert.Equal([" tench, Tinca tinca", " goldfish", "nospace", ""], ClasSystem.LoadLabels(path, "config.txt"));
    }

    /// <summary>The crop the demo feeds equals cv2's resize_short256 + crop224 of this photo (its float32 ratio and C
    /// round agree with PaddleClas's here: 500x375 → 341x256), and the float tensor is (x/255 − mean)·(1/std).</summary>
    [Fact]
    public void Preprocess_MatchesCv2CropAndTheDemosNormalisation()
    {
        var crop = PaddleNet.TestSupport.Npy.Read(SharedData.PathOf("models/images/reference/ILSVRC2012_val_00000010.crop224.npy"));
        Assert.Equal([224, 224, 3], crop.Shape);
        var t = ClasSystem.Preprocess(Image.Decode(Photo), 256, 224);
        var x = t.AsSpan<float>();
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
        for (int c = 0; c < 3; c++)
        {
            for (int p = 0; p < 224 * 224; p++)
            {
                // crop224 is RGB (PaddleClas converts before resizing, as the demo does).
                float expected = (crop.Data[p * 3 + c] * (float)(1.0 / 255.0) - mean[c]) * (1 / std[c]);
                Assert.Equal(expected, x[c * 224 * 224 + p]);
            }
        }
    }

    [Fact]
    public void Run_PrintsTheDemosLines_Top1AgreesWithPredictClsGolden()
    {
        var dir = TempDir();
        var cfg = WriteConfig(dir);
        var (code, stdout, stderr) = EndToEndTests.Run(dir, ["clas-system", cfg, Photo]);
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n');
        Assert.Equal("=======PaddleClas lite demo config======", lines[0]);
        Assert.Equal("batch_size : 1", lines[1]);                  // std::map order
        Assert.Equal("visualize : 0", lines[11]);
        Assert.Equal("=======End of PaddleClas lite demo config======", lines[12]);
        Assert.Equal($"===clas result for image: {Photo}===", lines[13]);
        // predict_cls golden (ShuffleNetV2 fp32 through PaddleClas): 153 Maltese dog 0.74, 204 Lhasa 0.09, 332, 265, 283.
        // The int8 .nb differs from fp32 by Lite's measured quantisation error (≤ 1.6e-2), so the order holds.
        Assert.StartsWith("\tTop-1, class_id: 153, class_name:  Maltese dog, Maltese terrier, Maltese, score: 0.7", lines[14], StringComparison.Ordinal);
        Assert.StartsWith("\tTop-2, class_id: 204, class_name:  Lhasa, Lhasa apso, score: 0.", lines[15], StringComparison.Ordinal);
        Assert.StartsWith("\tTop-3, class_id: 332,", lines[16], StringComparison.Ordinal);
        Assert.Matches(@"^Current time cost: [0-9.e+-]+ s\.$", lines[19]);
        Assert.False(File.Exists(Path.Combine(dir, "clas_result.png")));
    }

    [Fact]
    public void Visualize_DrawsOnThePhoto()
    {
        var dir = TempDir();
        var cfg = WriteConfig(dir, "visualize", ("visualize", "1"));
        var (code, stdout, stderr) = EndToEndTests.Run(dir, ["clas-system", cfg, Photo]);
        Assert.True(code == 0, stderr);
        Assert.Contains("save output image into ./clas_result.png\n", stdout, StringComparison.Ordinal);
        var drawn = Image.Decode(Path.Combine(dir, "clas_result.png"));
        var photo = Image.Decode(Photo);
        Assert.Equal((photo.Width, photo.Height), (drawn.Width, drawn.Height));
        // The bottom half is the photo untouched; the top-left band holds the text (yellow pixels present).
        int row = photo.Height - 1;
        Assert.True(photo.Pixels.Slice(row * photo.RowBytes, photo.RowBytes).SequenceEqual(drawn.Pixels.Slice(row * drawn.RowBytes, drawn.RowBytes)));
        bool yellow = false;
        for (int p = 0; p < drawn.Width * 40 && !yellow; p++)
            yellow = drawn.Pixels[p * 3] < 100 && drawn.Pixels[p * 3 + 1] > 200 && drawn.Pixels[p * 3 + 2] > 200;
        Assert.True(yellow, "no yellow text pixels in the top band");
    }

    [Theory]
    [InlineData("crop_size")]
    [InlineData("tipc_benchmark")]
    [InlineData("clas_model_file")]
    public void MissingKey_Exit1_NamesTheKey(string key)
    {
        var dir = TempDir();
        var (code, _, stderr) = EndToEndTests.Run(dir, ["clas-system", WriteConfig(dir, key), Photo]);
        Assert.Equal(1, code);
        Assert.Contains($"key '{key}': missing", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BadValues_LineWithoutValue_Exit1_NameTheKey()
    {
        var dir = TempDir();
        var (code, _, stderr) = EndToEndTests.Run(dir, ["clas-system", WriteConfig(dir, "crop_size", ("crop_size", "big")), Photo]);
        Assert.Equal(1, code);
        Assert.Contains("key 'crop_size': 'big' is not an integer", stderr, StringComparison.Ordinal);
        var cfg = WriteConfig(dir);
        File.AppendAllText(cfg, "visualize\n");
        (code, _, stderr) = EndToEndTests.Run(dir, ["clas-system", cfg, Photo]);
        Assert.Equal(1, code);
        Assert.Contains("key 'visualize': line 12 has no value", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UnreadableImage_MissingConfig_DetectorModel_Exit1_NamingTheFile()
    {
        var dir = TempDir();
        var cfg = WriteConfig(dir);
        var notImage = Path.Combine(dir, "not-an-image.jpg");
        File.WriteAllText(notImage, "hello");
        var (code, _, stderr) = EndToEndTests.Run(dir, ["clas-system", cfg, notImage]);
        Assert.Equal(1, code);
        Assert.Contains("not-an-image.jpg", stderr, StringComparison.Ordinal);

        (code, _, stderr) = EndToEndTests.Run(dir, ["clas-system", Path.Combine(dir, "nope.txt"), Photo]);
        Assert.Equal(1, code);
        Assert.Contains("nope.txt: config file not found", stderr, StringComparison.Ordinal);

        var det = SharedData.PathOf("models/det/ppyolo_tiny_trash/model.pdmodel");
        (code, _, stderr) = EndToEndTests.Run(dir, ["clas-system", WriteConfig(dir, "clas_model_file", ("clas_model_file", det)), Photo]);
        Assert.Equal(1, code);
        Assert.Contains("key 'clas_model_file'", stderr, StringComparison.Ordinal);
        Assert.Contains("not an image classifier", stderr, StringComparison.Ordinal);
    }
}

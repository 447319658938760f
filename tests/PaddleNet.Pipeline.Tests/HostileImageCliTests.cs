namespace PaddleNet.Pipeline.Tests;

/// <summary>
/// <c>--max-image-pixels</c> and the default 100-megapixel limit on every command that reads images (predict, eval,
/// detect, ocr, clas-system): a PNG bomb (20000×20000 declared, built here) is refused before decoding, with the
/// file, the declared size and the limit; a path to a device is refused as such.
/// </summary>
public sealed class HostileImageCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paddlenet-hostile-cli-").FullName;

    private string Bomb
    {
        get
        {
            string path = Path.Combine(_dir, "bomb.png");
            if (!File.Exists(path)) File.WriteAllBytes(path, HostileImages.Bomb);
            return path;
        }
    }

    private static string Digits => SharedData.Root + "/demo/digits";

    private static string Detector => SharedData.PathOf("models/det/picodet_s_320_random/infer_cfg.yml");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Predict_Bomb_SkippedWithTheReason()
    {
        var (code, stdout, stderr) = EndToEndTests.Run(Digits, ["predict", "-c", "inference_cls.yaml", "-o", $"Global.infer_imgs={Bomb}"]);

        Assert.Equal(0, code);
        Assert.Equal("", stdout);
        Assert.Contains($"The path: {Bomb}", stderr, StringComparison.Ordinal);
        Assert.Contains("declares 20000x20000 = 400000000 pixels, more than the limit of 100000000", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_MaxImagePixels_IsTheLimit()
    {
        string[] args = ["predict", "-c", "inference_cls.yaml", "-o", "Global.infer_imgs=images/0/0036.png"];

        var (_, within, _) = EndToEndTests.Run(Digits, [.. args, "--max-image-pixels", "1024"]);
        var (_, over, stderr) = EndToEndTests.Run(Digits, [.. args, "--max-image-pixels", "1023"]);

        Assert.StartsWith("0036.png:", within, StringComparison.Ordinal);
        Assert.Equal("", over);
        Assert.Contains("32x32 = 1024 pixels, more than the limit of 1023", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_Bomb_SkippedWithTheReason()
    {
        string list = Path.Combine(_dir, "list.txt");
        File.WriteAllLines(list, [$"{Path.Combine(Digits, "images/0/0036.png")} 0", $"{Bomb} 0"]);

        var (code, stdout, stderr) = EndToEndTests.Run(Digits, ["eval", "-c", "inference_cls.yaml", "--list", list, "--root", "/", "--max-image-pixels", "1000"]);

        Assert.Equal(0, code);
        Assert.Contains("more than the limit of 1000", stderr, StringComparison.Ordinal);
        Assert.NotEqual("", stdout);
    }

    [Fact]
    public void Detect_Bomb_RefusedNamingFileSizeAndLimit()
    {
        var (code, _, stderr) = EndToEndTests.Run(_dir, ["detect", "-c", Detector, "--image", Bomb, "-o", _dir]);

        Assert.Equal(1, code);
        Assert.Contains(Bomb, stderr, StringComparison.Ordinal);
        Assert.Contains("20000x20000", stderr, StringComparison.Ordinal);
        Assert.Contains("100000000", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_SymlinkToDevZero_RefusedAsADevice()
    {
        string z = Path.Combine(_dir, "z.jpg");
        File.CreateSymbolicLink(z, "/dev/zero");

        var (code, _, stderr) = EndToEndTests.Run(_dir, ["detect", "-c", Detector, "--image", z, "-o", _dir]);

        Assert.Equal(1, code);
        Assert.Contains("which is a character device; only regular files are read", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_MaxImagePixels_AppliesAndIsChecked()
    {
        string dog = SharedData.PathOf("models/images/scenes/dog.jpg");

        var (code, _, stderr) = EndToEndTests.Run(_dir, ["detect", "-c", Detector, "--image", dog, "-o", _dir, "--max-image-pixels", "1000"]);
        var (zero, _, zeroErr) = EndToEndTests.Run(_dir, ["detect", "-c", Detector, "--image", dog, "-o", _dir, "--max-image-pixels", "0"]);

        Assert.Equal(1, code);
        Assert.Contains("more than the limit of 1000", stderr, StringComparison.Ordinal);
        Assert.Equal(1, zero);
        Assert.Contains("--max-image-pixels must be at least 1", zeroErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Ocr_Bomb_Refused()
    {
        var (code, _, stderr) = EndToEndTests.Run(_dir, ["ocr", "--image_dir", Bomb, "--det", "false",
            "--rec_model_dir", Path.Combine(SharedData.Root, "models/rec/ch_PP-OCRv4_rec"), "--draw_img_save_dir", _dir]);
        var (limited, _, limitedErr) = EndToEndTests.Run(_dir, ["ocr", "--image_dir", ClasSystemTests.Photo, "--det", "false",
            "--rec_model_dir", Path.Combine(SharedData.Root, "models/rec/ch_PP-OCRv4_rec"), "--draw_img_save_dir", _dir, "--max-image-pixels", "1000"]);

        Assert.Equal(1, code);
        Assert.Contains("20000x20000", stderr, StringComparison.Ordinal);
        Assert.Equal(1, limited);
        Assert.Contains("more than the limit of 1000", limitedErr, StringComparison.Ordinal);
    }

    [Fact]
    public void ClasSystem_Bomb_Refused()
    {
        string cfg = ClasSystemTests.WriteConfig(_dir);

        var (code, _, stderr) = EndToEndTests.Run(_dir, ["clas-system", cfg, Bomb]);
        var (limited, _, limitedErr) = EndToEndTests.Run(_dir, ["clas-system", cfg, ClasSystemTests.Photo, "--max-image-pixels", "1000"]);

        Assert.Equal(1, code);
        Assert.Contains("20000x20000", stderr, StringComparison.Ordinal);
        Assert.Equal(1, limited);
        Assert.Contains("more than the limit of 1000", limitedErr, StringComparison.Ordinal);
    }
}

using PaddleNet.Cli;
using PaddleNet.Imaging;

namespace PaddleNet.Detection.Tests;

/// <summary>ObjectDetector on odd inputs, and the <c>detect</c> command end to end on the garbage model.</summary>
public sealed class DetectorTests
{
    private static string Photo(string name) => SharedData.Path("models", "images", "scenes", name);

    [Fact]
    public void Photo_PathBytesAndImage_Agree()
    {
        using var detector = ObjectDetector.Load(DetectionReferences.Config("ppyolo_tiny_trash"));
        var fromPath = detector.Detect(Photo("dog.jpg"));
        var fromBytes = detector.Detect(File.ReadAllBytes(Photo("dog.jpg")));
        var fromImage = detector.Detect(Image.Decode(File.ReadAllBytes(Photo("dog.jpg"))).ToRgb());
        Assert.Equal(fromPath.Objects, fromBytes.Objects);
        Assert.Equal(fromPath.Objects, fromImage.Objects);
        var top = Assert.Single(fromPath.Objects); // draw_threshold 0.5 keeps one of the six
        Assert.Equal((5, "cp"), (top.ClassId, top.Label));
        Assert.Equal((768, 576), (fromPath.ImageWidth, fromPath.ImageHeight));
        Assert.Equal("class_id:5, confidence:0.6972, left_top:[327.09,212.65],right_bottom:[564.35,403.73]", top.ToPaddleDetectionString());
    }

    [Theory]
    [InlineData(PixelFormat.Gray, 1, 1)]
    [InlineData(PixelFormat.Rgba, 333, 17)]
    [InlineData(PixelFormat.Bgra, 2000, 5)]
    [InlineData(PixelFormat.Rgb, 7, 901)]
    public void AnySizeAndFormat_RunsAndBoxesStayFinite(PixelFormat format, int width, int height)
    {
        using var detector = ObjectDetector.Load(DetectionReferences.Config("ppyolo_tiny_trash"), new ObjectDetectorOptions { ScoreThreshold = 0 });
        var pixels = new byte[width * height * format.ChannelCount()];
        new Random(7).NextBytes(pixels);
        var result = detector.Detect(Image.FromPixels(pixels, width, height, format));
        Assert.Equal((width, height), (result.ImageWidth, result.ImageHeight));
        Assert.All(result.Objects, o => Assert.True(float.IsFinite(o.Box.X1) && float.IsFinite(o.Box.Y2) && o.Score > 0));
    }

    [Fact]
    public void NothingAboveThreshold_IsAnEmptyResult()
    {
        using var detector = ObjectDetector.Load(DetectionReferences.Config("ppyolo_tiny_trash"), new ObjectDetectorOptions { ScoreThreshold = 0.999 });
        var result = detector.Detect(Image.FromPixels(new byte[64 * 64 * 3], 64, 64, PixelFormat.Bgr));
        Assert.Empty(result.Objects);
        Assert.Empty(detector.DetectBatch([]));
    }

    [Fact]
    public void DetectCommand_PrintsPaddleLines_AndDrawsTheBox()
    {
        string dir = Path.Combine(Path.GetTempPath(), "paddlenet-detect-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            // A .png name makes the drawn copy lossless; decoding goes by the bytes (a JPEG).
            string input = Path.Combine(dir, "dog.png");
            File.Copy(Photo("dog.jpg"), input);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int rc = Program.Run(["detect", "-c", DetectionReferences.Config("ppyolo_tiny_trash"), "--image", input, "--output-dir", Path.Combine(dir, "out")], stdout, stderr);
            Assert.True(rc == 0, stderr.ToString());
            string saved = Path.Combine(dir, "out", "dog.png");
            Assert.Equal(
                $"class_id:5, confidence:0.6972, left_top:[327.09,212.65],right_bottom:[564.35,403.73]{Environment.NewLine}save result to: {saved}{Environment.NewLine}",
                stdout.ToString());

            var original = Image.Decode(File.ReadAllBytes(Photo("dog.jpg")));
            var drawn = Image.Decode(File.ReadAllBytes(saved));
            Assert.Equal((original.Width, original.Height), (drawn.Width, drawn.Height));
            // Class 5's colour is get_color_map_list's (128, 0, 128); the 1-px outline (768×576 → 576 // 320 = 1) runs
            // along x = floor(327.09) and y = floor(403.73).
            Assert.Equal(new byte[] { 128, 0, 128 }, Bgr(drawn, 327, 300));
            Assert.Equal(new byte[] { 128, 0, 128 }, Bgr(drawn, 450, 403));
            Assert.Equal(Bgr(original, 329, 300), Bgr(drawn, 329, 300)); // inside the box: untouched
            Assert.Equal(Bgr(original, 700, 500), Bgr(drawn, 700, 500)); // far away: untouched
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void DetectCommand_Json_AndUserErrors()
    {
        string dir = Path.Combine(Path.GetTempPath(), "paddlenet-detect-" + Guid.NewGuid().ToString("N"));
        try
        {
            var stdout = new StringWriter();
            int rc = Program.Run(["detect", "-c", DetectionReferences.Config("ppyolo_tiny_trash"), "--image", Photo("dog.jpg"), "-o", dir, "--json", "--threshold", "0.02"], stdout, new StringWriter());
            Assert.Equal(0, rc);
            using var doc = System.Text.Json.JsonDocument.Parse(stdout.ToString());
            var boxes = doc.RootElement[0].GetProperty("boxes");
            Assert.Equal(3, boxes.GetArrayLength()); // scores 0.697, 0.087, 0.028 are above 0.02
            // Model order: by class, then score. Class 0 ("ylg") scores 0.087; class 5 ("cp") 0.697 and 0.028.
            Assert.Equal(["ylg", "cp", "cp"], boxes.EnumerateArray().Select(b => b.GetProperty("label").GetString()));

            var err = new StringWriter();
            Assert.Equal(1, Program.Run(["detect", "-c", "/nonexistent/infer_cfg.yml", "--image", Photo("dog.jpg"), "-o", dir], new StringWriter(), err));
            Assert.Contains("file not found", err.ToString());
            err = new StringWriter();
            Assert.Equal(1, Program.Run(["detect", "-c", DetectionReferences.Config("ppyolo_tiny_trash"), "--image", SharedData.Path("models", "images", "odd", "header_only.jpg"), "-o", dir], new StringWriter(), err));
            Assert.Contains("header_only.jpg", err.ToString());
            Assert.DoesNotContain("   at ", err.ToString());
            Assert.Equal(1, Program.Run(["detect", "-c", DetectionReferences.Config("ppyolo_tiny_trash"), "-o", dir], new StringWriter(), new StringWriter()));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static byte[] Bgr(Image bgr, int x, int y) => bgr.Pixels.Slice((y * bgr.Width + x) * 3, 3).ToArray();
}

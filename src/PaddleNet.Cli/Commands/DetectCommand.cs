using System.CommandLine;
using System.Text.Json;
using PaddleNet.Detection;
using PaddleNet.Imaging;

namespace PaddleNet.Cli.Commands;

/// <summary>
/// <c>paddlenet detect -c infer_cfg.yml (--image FILE | --image-dir DIR) [--threshold T] [--output-dir DIR] [--json]</c>:
/// PaddleDetection's <c>deploy/python/infer.py</c>. Prints its box lines, draws the boxes into DIR (default
/// <c>output</c>, as infer.py) under the image's own name.
/// </summary>
internal static class DetectCommand
{
    // deploy/python/utils get_test_images' extensions.
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".bmp"];

    public static Command Create(TextWriter stdout)
    {
        var config = new Option<string>("--config", "-c") { Description = "The model's infer_cfg.yml (the model files sit beside it)", Required = true };
        var image = new Option<string?>("--image") { Description = "An image file" };
        var imageDir = new Option<string?>("--image-dir") { Description = "A folder of images (.jpg, .jpeg, .png, .bmp)" };
        var threshold = new Option<double?>("--threshold") { Description = "Show boxes scoring above this (default: draw_threshold of infer_cfg.yml)" };
        var outDir = new Option<string>("--output-dir", "-o") { Description = "Folder for the pictures with boxes", DefaultValueFactory = _ => "output" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of PaddleDetection's lines" };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads", DefaultValueFactory = _ => 1 };
        var maxPixels = ConfigOptions.MaxImagePixels();
        var command = new Command("detect", "Detect objects with a PaddleDetection export, as deploy/python/infer.py")
        {
            config, image, imageDir, threshold, outDir, json, threads, maxPixels,
        };
        command.SetAction(result =>
        {
            var files = ImageFiles(result.GetValue(image), result.GetValue(imageDir));
            var decode = ConfigOptions.Decode(result.GetValue(maxPixels));
            using var detector = ObjectDetector.Load(
                result.GetValue(config)!,
                new ObjectDetectorOptions { ScoreThreshold = result.GetValue(threshold), IntraOpThreads = Math.Max(1, result.GetValue(threads)) });
            string dir = result.GetValue(outDir)!;
            Directory.CreateDirectory(dir);
            bool asJson = result.GetValue(json);
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartArray();
                foreach (string file in files)
                {
                    Image decoded = Image.Decode(file, decode);
                    DetectionResult found = detector.Detect(decoded);
                    string saved = Save(DetectionVisualizer.Draw(decoded, found), file, dir);
                    if (asJson)
                    {
                        WriteJson(w, file, saved, found);
                        continue;
                    }

                    if (found.Objects.Count == 0) stdout.WriteLine("[WARNNING] No object detected.");
                    foreach (var obj in found.Objects) stdout.WriteLine(obj.ToPaddleDetectionString());
                    stdout.WriteLine("save result to: " + saved);
                }

                w.WriteEndArray();
            }

            if (asJson) stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return Program.Ok;
        });
        return command;
    }

    private static List<string> ImageFiles(string? image, string? imageDir)
    {
        if ((image is null) == (imageDir is null))
        {
            throw new PaddleNetException("give exactly one of --image FILE or --image-dir DIR");
        }

        if (image is not null)
        {
            return File.Exists(image) ? [image] : throw new PaddleNetException($"--image: file not found: {image}");
        }

        if (!Directory.Exists(imageDir)) throw new PaddleNetException($"--image-dir: folder not found: {imageDir}");
        var files = Directory.EnumerateFiles(imageDir!)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToList();
        return files.Count > 0 ? files : throw new PaddleNetException($"--image-dir: no .jpg, .jpeg, .png or .bmp files in {imageDir}");
    }

    /// <summary>Writes under the input's name; JPEG at quality 95 as infer.py's PIL save, PNG otherwise.</summary>
    private static string Save(Image drawn, string input, string dir)
    {
        string name = Path.GetFileName(input);
        ImageFileFormat format = Image.FormatFromExtension(name) ?? ImageFileFormat.Png;
        if (Image.FormatFromExtension(name) is null) name = Path.ChangeExtension(name, ".png");
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, drawn.Encode(format, format == ImageFileFormat.Jpeg ? 95 : -1));
        return path;
    }

    private static void WriteJson(Utf8JsonWriter w, string file, string saved, DetectionResult found)
    {
        w.WriteStartObject();
        w.WriteString("image", file);
        w.WriteNumber("width", found.ImageWidth);
        w.WriteNumber("height", found.ImageHeight);
        w.WriteString("output", saved);
        w.WriteStartArray("boxes");
        foreach (var obj in found.Objects)
        {
            w.WriteStartObject();
            w.WriteNumber("class_id", obj.ClassId);
            w.WriteString("label", obj.Label);
            w.WriteNumber("score", obj.Score);
            w.WriteStartArray("bbox");
            w.WriteNumberValue(obj.Box.X1);
            w.WriteNumberValue(obj.Box.Y1);
            w.WriteNumberValue(obj.Box.X2);
            w.WriteNumberValue(obj.Box.Y2);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}

using System.CommandLine;
using PaddleNet.Imaging;
using PaddleNet.Pipeline.Lite;

namespace PaddleNet.Cli.Commands;

/// <summary>
/// <c>paddlenet clas-system CONFIG IMAGE</c>: PaddleClas's Paddle Lite demo <c>clas_system config.txt image.jpg</c>
/// (deploy/lite), same config keys, same printed lines (shared/docs/paddleclas-deploy.md §2.4). With
/// <c>visualize 1</c> the top-5 lines are drawn on the photo itself (the demo draws them on an empty image) and
/// saved as <c>./clas_result.png</c>.
/// </summary>
internal static class ClasSystemCommand
{
    public const string ResultPng = "./clas_result.png";
    private const int WarmupIterations = 10;
    private const int BenchmarkIterations = 1000;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var config = new Argument<string>("config") { Description = "The demo's config.txt (key value per line)" };
        var image = new Argument<string>("image") { Description = "The image to classify" };
        var maxPixels = ConfigOptions.MaxImagePixels();
        var command = new Command("clas-system", "Paddle Lite's clas_system demo (PaddleClas deploy/lite): config.txt + one image, top-5")
        {
            config, image, maxPixels,
        };
        command.SetAction(result => Run(result.GetValue(config)!, result.GetValue(image)!, stdout, stderr, ConfigOptions.Decode(result.GetValue(maxPixels))));
        return command;
    }

    public static int Run(string configPath, string imagePath, TextWriter stdout, TextWriter stderr, ImageDecodeOptions? decode = null)
    {
        var cfg = ClasSystemConfig.Load(configPath);
        stdout.WriteLine("=======PaddleClas lite demo config======");
        foreach (var (key, value) in cfg.Entries) stdout.WriteLine($"{key} : {value}");
        stdout.WriteLine("=======End of PaddleClas lite demo config======");
        using var clas = new ClasSystem(cfg);
        if (cfg.TipcBenchmark) stderr.WriteLine("note: tipc_benchmark 1: the AutoLog report is not produced by PaddleNet");
        int total = cfg.EnableBenchmark ? BenchmarkIterations : 1;
        double elapsed = 0;
        for (int j = 0; j < total; j++)
        {
            var bgr = Image.Decode(imagePath, decode ?? ImageDecodeOptions.Default);
            var results = clas.Run(bgr, out double seconds);
            if (cfg.Visualize)
            {
                File.WriteAllBytes(ResultPng, Draw(bgr, results).Encode(ImageFileFormat.Png));
                stdout.WriteLine("save output image into " + ResultPng);
            }
            stdout.WriteLine($"===clas result for image: {imagePath}===");
            for (int i = 0; i < results.Length; i++)
            {
                var r = results[i];
                stdout.WriteLine($"\tTop-{i + 1}, class_id: {r.ClassId}, class_name: {r.ClassName}, score: {ClasSystemFormat.G6(r.Score)}");
            }
            if (j >= WarmupIterations)
            {
                elapsed += seconds;
                stdout.WriteLine("Current image path: " + imagePath);
                stdout.WriteLine($"Current time cost: {ClasSystemFormat.G6(seconds)} s, average time cost in all: {ClasSystemFormat.G6(elapsed / (j + 1 - WarmupIterations))} s.");
            }
            else
            {
                stdout.WriteLine($"Current time cost: {ClasSystemFormat.G6(seconds)} s.");
            }
        }
        return Program.Ok;
    }

    /// <summary>The demo's five "TopN.name:score" lines, in its yellow (BGR 51,255,255), on a dark band over the photo.</summary>
    internal static Image Draw(Image bgr, IReadOnlyList<ClasSystemResult> results)
    {
        var canvas = new Canvas(bgr);
        var lines = new string[results.Count];
        int widest = 1;
        for (int i = 0; i < results.Count; i++)
        {
            lines[i] = $"Top{i + 1}.{results[i].ClassName}:{ClasSystemFormat.F6(results[i].Score)}";
            widest = Math.Max(widest, Canvas.MeasureText(lines[i], 1.0).Width);
        }
        // Large enough to read on the photo, small enough that the longest line fits its width.
        double scale = Math.Min(Math.Clamp(bgr.Height / 600.0, 0.35, 2.0), (bgr.Width - 10) / (double)widest);
        int thickness = scale >= 1.2 ? 2 : 1;
        var (_, textHeight, baseline) = Canvas.MeasureText("Tg", scale, thickness);
        int lineHeight = textHeight + baseline + Math.Max(2, (int)(4 * scale));
        int width = 0;
        foreach (var line in lines) width = Math.Max(width, Canvas.MeasureText(line, scale, thickness).Width);
        canvas.DrawRectangle(0, 0, width + 10, lineHeight * lines.Length + baseline, new Color(0, 0, 0), -1);
        for (int i = 0; i < lines.Length; i++)
            canvas.DrawText(lines[i], 5, lineHeight * (i + 1) - baseline, scale, new Color(255, 255, 51), thickness);
        return canvas.ToImage();
    }
}

using System.CommandLine;
using System.Text.Json;
using PaddleNet.Pipeline;
using PaddleNet.Pipeline.Config;
using PaddleNet.Pipeline.Inputs;
using PaddleNet.Pipeline.Output;

namespace PaddleNet.Cli.Commands;

/// <summary>
/// <c>paddlenet predict -c CONFIG [-o KEY=VALUE]... [--json]</c>: PaddleClas <c>deploy/python/predict_cls.py</c>.
/// stdout carries exactly its result lines (byte for byte); the config listing and warnings go to stderr.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var config = ConfigOptions.Config();
        var overrides = ConfigOptions.Overrides();
        var json = new Option<bool>("--json") { Description = "One JSON object per image (JSON Lines) instead of PaddleClas's text lines" };
        var maxPixels = ConfigOptions.MaxImagePixels();
        var precision = PrecisionOption.Create();
        var command = new Command("predict", "Classify Global.infer_imgs with a PaddleClas config, printing PaddleClas's lines") { config, overrides, json, maxPixels, precision };
        command.SetAction(result =>
        {
            PrecisionOption.Get(result, precision); // fp32 is what the classifier runs; bf16 is refused here until it has kernels
            var cls = ClsConfig.Load(result.GetValue(config)!, result.GetValue(overrides) ?? [], stderr);
            ConfigDump.Write(cls.Raw, stderr);
            using var classifier = ImageClassifier.Create(cls, new ImageClassifierOptions { Messages = stdout, Warnings = stderr, Decode = ConfigOptions.Decode(result.GetValue(maxPixels)) });
            var images = ImageList.Get(cls.InferImages);
            var progress = new ProgressBar(stderr, images.Count);
            bool asJson = result.GetValue(json);
            foreach (var (path, classification) in classifier.ClassifyFiles(images, cls.BatchSize))
            {
                var name = Path.GetFileName(path);
                stdout.Write((asJson ? JsonLine(path, name, classification) : classification.ToPaddleClasLine(name)) + "\n");
                progress.Step();
            }
            stdout.Flush();
            return Program.Ok;
        });
        return command;
    }

    private static string JsonLine(string path, string name, Classification c)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("file", path);
            w.WriteString("name", name);
            w.WriteStartArray("class_ids");
            foreach (var id in c.ClassIds) w.WriteNumberValue(id);
            w.WriteEndArray();
            w.WriteStartArray("scores");
            foreach (var s in c.Scores) w.WriteNumberValue(s);
            w.WriteEndArray();
            if (c.LabelNames is not null)
            {
                w.WriteStartArray("label_names");
                foreach (var l in c.LabelNames) w.WriteStringValue(l);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}

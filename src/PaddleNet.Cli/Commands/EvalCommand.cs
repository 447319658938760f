using System.CommandLine;
using PaddleNet.Pipeline;
using PaddleNet.Pipeline.Config;
using PaddleNet.Pipeline.Inputs;
using PaddleNet.Pipeline.Output;

namespace PaddleNet.Cli.Commands;

/// <summary>
/// <c>paddlenet eval -c CONFIG --list VAL_LIST --root DIR</c>: top-1 / top-5 accuracy of the config's preprocessing
/// and model (output 0, before postprocess) over a PaddleClas list file. Unreadable images count as misses.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var config = ConfigOptions.Config();
        var overrides = ConfigOptions.Overrides();
        var list = new Option<string>("--list") { Description = "List file: 'relative/path.png label' per line", Required = true };
        var root = new Option<string>("--root") { Description = "Folder the list's paths are relative to (default: the list's folder)" };
        var maxPixels = ConfigOptions.MaxImagePixels();
        var command = new Command("eval", "Top-1 / top-5 accuracy over a labelled list") { config, overrides, list, root, maxPixels };
        command.SetAction(result =>
        {
            var cls = ClsConfig.Load(result.GetValue(config)!, result.GetValue(overrides) ?? [], stderr);
            var listFile = result.GetValue(list)!;
            var items = LabeledList.Read(listFile, result.GetValue(root) ?? Path.GetDirectoryName(Path.GetFullPath(listFile))!);
            if (items.Count == 0) throw new PaddleNetException($"{listFile}: no entries");
            using var classifier = ImageClassifier.Create(cls, new ImageClassifierOptions { Warnings = stderr, Decode = ConfigOptions.Decode(result.GetValue(maxPixels)) });
            var progress = new ProgressBar(stderr, items.Count);
            var accuracy = TopKAccuracy.Evaluate(classifier, items, cls.BatchSize, progress.Step);
            stdout.Write(accuracy.Report());
            return Program.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using PaddleNet.Pipeline.Dataset;

namespace PaddleNet.Cli.Commands;

/// <summary><c>paddlenet dataset split FOLDER [--val-every N] [--out DIR]</c>: PaddleClas train/val/label lists.</summary>
internal static class DatasetCommand
{
    public static Command Create(TextWriter stdout)
    {
        var folder = new Argument<string>("folder") { Description = "Image folder with one subfolder per class" };
        var every = new Option<int>("--val-every") { Description = "Every N-th image of each class (in file-name order) goes to val", DefaultValueFactory = _ => 5 };
        var output = new Option<string?>("--out") { Description = "Where the lists go; paths in them are relative to it (default: the folder's parent)" };
        var split = new Command("split", "Write train_list.txt, val_list.txt and label_list.txt") { folder, every, output };
        split.SetAction(result =>
        {
            var dir = result.GetValue(folder)!;
            var outDir = result.GetValue(output) ?? Path.GetDirectoryName(Path.GetFullPath(dir))!;
            int n = result.GetValue(every);
            if (n < 2) throw new PaddleNetException("--val-every must be at least 2");
            var r = DatasetSplit.Run(dir, outDir, n);
            stdout.Write($"{r.Classes} classes: {r.Train} train, {r.Val} val\n{r.TrainList}\n{r.ValList}\n{r.LabelList}\n");
            return Program.Ok;
        });
        return new Command("dataset", "Dataset helpers") { split };
    }
}

using System.Globalization;
using System.Text;
using PaddleNet.Pipeline.Inputs;

namespace PaddleNet.Pipeline.Dataset;

/// <summary>
/// Splits an image folder with one subfolder per class into PaddleClas lists, deterministically:
/// <list type="bullet">
/// <item>classes: the subfolders; if every name is an integer that integer is the class id (sorted by it), else ids
/// 0, 1, … in ordinal name order;</item>
/// <item>per class, images (PaddleClas's extensions) in ordinal file-name order; the <c>valEvery</c>-th, 2×, …
/// image goes to val, the rest to train;</item>
/// <item>each list is ordered by file name, then by path (for the digits demo, whose names are global ids, that
/// is id order), one <c>relative/path.png id</c> line each, <c>\n</c> endings, paths relative to the output folder
/// with <c>/</c>;</item>
/// <item><c>label_list.txt</c>: <c>id name</c> per class, the folder name as the name.</item>
/// </list>
/// </summary>
public static class DatasetSplit
{
    /// <summary>What <see cref="Run"/> wrote.</summary>
    /// <param name="Classes">Class subfolders found.</param>
    /// <param name="Train">Images in the train list.</param>
    /// <param name="Val">Images in the val list.</param>
    /// <param name="TrainList">Path of <c>train_list.txt</c>.</param>
    /// <param name="ValList">Path of <c>val_list.txt</c>.</param>
    /// <param name="LabelList">Path of <c>label_list.txt</c>.</param>
    public sealed record Result(int Classes, int Train, int Val, string TrainList, string ValList, string LabelList);

    /// <summary>Splits <paramref name="imageFolder"/> and writes the three lists into <paramref name="outputFolder"/>; every <paramref name="valEvery"/>-th image of a class goes to val.</summary>
    public static Result Run(string imageFolder, string outputFolder, int valEvery = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(valEvery, 2);
        if (!Directory.Exists(imageFolder)) throw new PaddleNetException($"dataset folder not found: {imageFolder}");
        var classDirs = new DirectoryInfo(imageFolder).GetDirectories().ToList();
        if (classDirs.Count == 0) throw new PaddleNetException($"{imageFolder}: no class subfolders");
        bool numeric = classDirs.All(d => int.TryParse(d.Name, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        var classes = numeric
            ? classDirs.OrderBy(d => int.Parse(d.Name, CultureInfo.InvariantCulture)).Select(d => (Id: int.Parse(d.Name, CultureInfo.InvariantCulture), Dir: d)).ToList()
            : classDirs.OrderBy(d => d.Name, StringComparer.Ordinal).Select((d, i) => (Id: i, Dir: d)).ToList();

        var train = new List<(string Name, string Path, int Id)>();
        var val = new List<(string Name, string Path, int Id)>();
        foreach (var (id, dir) in classes)
        {
            var files = dir.GetFiles().Where(f => ImageList.HasImageExtension(f.Name)).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
            for (int i = 0; i < files.Count; i++)
            {
                var rel = Path.GetRelativePath(outputFolder, files[i].FullName).Replace(Path.DirectorySeparatorChar, '/');
                ((i + 1) % valEvery == 0 ? val : train).Add((files[i].Name, rel, id));
            }
        }
        Directory.CreateDirectory(outputFolder);
        var trainPath = Path.Combine(outputFolder, "train_list.txt");
        var valPath = Path.Combine(outputFolder, "val_list.txt");
        var labelPath = Path.Combine(outputFolder, "label_list.txt");
        File.WriteAllText(trainPath, Lines(train));
        File.WriteAllText(valPath, Lines(val));
        File.WriteAllText(labelPath, string.Concat(classes.Select(c => $"{c.Id} {c.Dir.Name}\n")));
        return new Result(classes.Count, train.Count, val.Count, trainPath, valPath, labelPath);
    }

    private static string Lines(List<(string Name, string Path, int Id)> items)
    {
        var sb = new StringBuilder();
        foreach (var item in items.OrderBy(x => x.Name, StringComparer.Ordinal).ThenBy(x => x.Path, StringComparer.Ordinal))
        {
            sb.Append(item.Path).Append(' ').Append(item.Id.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }
}

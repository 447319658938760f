namespace PaddleNet.Pipeline.Tests;

/// <summary><c>paddlenet dataset split</c> reproduces the digits demo's train/val lists byte for byte.</summary>
[Collection(CurrentDirectoryCollection.Name)]
public class DatasetSplitTests
{
    [Fact]
    public void DigitsListsAreReproduced()
    {
        var root = Directory.CreateTempSubdirectory("paddlenet-split-").FullName;
        try
        {
            var source = SharedData.Root + "/demo/digits/images";
            foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(root, "images", Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            var (code, stdout, stderr) = EndToEndTests.Run(root, ["dataset", "split", "images"]);
            Assert.True(code == 0, stderr);
            Assert.StartsWith("10 classes: 1442 train, 355 val\n", stdout);
            Assert.Equal(File.ReadAllBytes(SharedData.PathOf("demo/digits/train_list.txt")), File.ReadAllBytes(Path.Combine(root, "train_list.txt")));
            Assert.Equal(File.ReadAllBytes(SharedData.PathOf("demo/digits/val_list.txt")), File.ReadAllBytes(Path.Combine(root, "val_list.txt")));
            // Folder names are the only names we have: "0 0" where the demo wrote "0 zero".
            Assert.Equal(string.Concat(Enumerable.Range(0, 10).Select(i => $"{i} {i}\n")), File.ReadAllText(Path.Combine(root, "label_list.txt")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

using PaddleNet.Pipeline.Inputs;

namespace PaddleNet.Pipeline.Tests;

public sealed class ImageListTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paddlenet-list-").FullName;

    [Fact]
    public void WalksRecursivelyKeepsCaseSensitiveExtensionsAndSortsByCodePoint()
    {
        foreach (var f in new[] { "b.jpg", "a.PNG", "C.JPG", "d.webp", "e.jpeg", "sub/z.bmp", "sub/A.JPEG", ".hidden.png", "noext" })
        {
            var path = Path.Combine(_dir, f);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, []);
        }
        var list = ImageList.Get(_dir).Select(p => Path.GetRelativePath(_dir, p).Replace('\\', '/')).ToArray();
        Assert.Equal([".hidden.png", "C.JPG", "b.jpg", "e.jpeg", "sub/A.JPEG", "sub/z.bmp"], list);
    }

    [Fact]
    public void RelativeInputGivesRelativePaths()
    {
        File.WriteAllBytes(Path.Combine(_dir, "x.png"), []);
        var parent = Path.GetDirectoryName(_dir)!;
        var rel = Path.GetRelativePath(Environment.CurrentDirectory, _dir);
        Assert.Equal(Path.Join(rel, "x.png"), ImageList.Get(rel).Single());
        Assert.NotNull(parent);
    }

    [Fact]
    public void NothingFoundIsAnError()
    {
        File.WriteAllBytes(Path.Combine(_dir, "x.gif"), []);
        Assert.Contains("not found any img file", Assert.Throws<PaddleNetException>(() => ImageList.Get(_dir)).Message);
        Assert.Throws<PaddleNetException>(() => ImageList.Get(Path.Combine(_dir, "x.gif")));
        Assert.Throws<PaddleNetException>(() => ImageList.Get(Path.Combine(_dir, "missing")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

using PaddleNet.IO;

namespace PaddleNet.Tests.IO;

/// <summary>Win32 naming rules (learn.microsoft.com "Naming Files, Paths, and Namespaces"), checked as strings on any OS.</summary>
public sealed class WindowsPathTests
{
    [Theory]
    [InlineData(@"C:\data\digits\0_0036.png")]
    [InlineData(@"c:relative\file.png")]
    [InlineData(@"..\shared\models\digits\inference_cls.yaml")]
    [InlineData("models/digits/inference_cls.yaml")]
    [InlineData(@"\\server\share\img.jpg")]
    [InlineData(@"\\?\C:\very\long\CON\path")]
    [InlineData(@"D:\数据\图片 1.png")]
    [InlineData(@"C:\data\console.png")]
    [InlineData(@"C:\data\CONX.png")]
    [InlineData(@"C:\data\COM10.png")]
    [InlineData(@"C:\data\.hidden")]
    [InlineData(@".\x.png")]
    public void Problem_AcceptsOpenablePaths(string path)
    {
        Assert.Null(WindowsPath.Problem(path));
    }

    [Theory]
    [InlineData("CON", "reserved device name CON")]
    [InlineData(@"C:\out\con.png", "reserved device name CON")]
    [InlineData(@"images\Nul .jpg", "reserved device name NUL")]
    [InlineData("lpt9", "reserved device name LPT9")]
    [InlineData("COM\u00b9.txt", "reserved device name COM\u00b9")]
    [InlineData(@"AUX\x.png", "reserved device name AUX")]
    [InlineData("a?.png", "'?' at position 1")]
    [InlineData(@"C:\out\a*b.png", "'*' at position 8")]
    [InlineData("x<y", "'<'")]
    [InlineData("pipe|name", "'|'")]
    [InlineData("q\"uote", "'\"'")]
    [InlineData(@"C:\a:b", "':' at position 4")]
    [InlineData("tab\there", "control character U+0009")]
    [InlineData(@"C:\data\name.", "ends with a dot or a space")]
    [InlineData(@"C:\data\name \x.png", "ends with a dot or a space")]
    [InlineData("", "empty")]
    public void Problem_NamesWhatIsWrong(string path, string expected)
    {
        string? problem = WindowsPath.Problem(path);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_NameOver255Characters_IsTooLong()
    {
        string path = @"C:\data\" + new string('a', 256) + ".png";

        Assert.Contains("at most 255", WindowsPath.Problem(path), StringComparison.Ordinal);
        Assert.Null(WindowsPath.Problem(@"C:\data\" + new string('a', 251) + ".png"));
    }

    [Fact]
    public void Problem_PathOverMaxPath_IsFine_OverExtendedLimit_IsTooLong()
    {
        string segment = new string('d', 200);
        string beyondMaxPath = @"C:\" + string.Join('\\', Enumerable.Repeat(segment, 3)) + @"\x.png";
        string beyondExtended = @"C:\" + string.Join('\\', Enumerable.Repeat(segment, 170));

        Assert.Null(WindowsPath.Problem(beyondMaxPath));
        Assert.Contains("at most 32767", WindowsPath.Problem(beyondExtended), StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowIfInvalid_ThrowsTypedExceptionNamingThePath()
    {
        var e = Assert.Throws<InvalidWindowsPathException>(() => WindowsPath.ThrowIfInvalid(@"out\CON.jpg"));

        Assert.Equal(@"out\CON.jpg", e.PathName);
        Assert.StartsWith(@"out\CON.jpg: Windows cannot open this path: ", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<PaddleNetException>(e);
    }
}

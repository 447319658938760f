using PaddleNet.Imaging.Interop;

namespace PaddleNet.Imaging.Tests;

/// <summary>
/// The Windows decode path (<see cref="Image.DecodeFileBytes"/>: .NET reads the file, OpenCV decodes the bytes),
/// run here on Linux: same pixels as <c>cv2.imread</c>, any Unicode file name, the same typed errors.
/// The Wine checks (scripts/test-win) run it for real through paddlenet.exe.
/// </summary>
public sealed class WindowsDecodeTests
{
    public static TheoryData<string> DecodeStems => References.StemsWith("decode");

    public static TheoryData<string> GrayStems => References.StemsWith("gray_imread");

    [Theory]
    [MemberData(nameof(DecodeStems))]
    public void DecodeFileBytes_ReferencePhoto_MatchesCv2Imread(string stem)
    {
        ReferencePhoto photo = References.Photo(stem);

        Image image = Image.DecodeFileBytes(SharedData.PathOfManifestEntry(photo.Path), ImageDecodeOptions.Default, PaddleNetNative.DecodeColor, PixelFormat.Bgr);

        PixelAssert.Equal(References.LoadArray(photo, "decode"), image, $"{stem} via bytes");
    }

    [Theory]
    [MemberData(nameof(GrayStems))]
    public void DecodeFileBytes_Gray_MatchesCv2ImreadGrayscale(string stem)
    {
        ReferencePhoto photo = References.Photo(stem);

        Image image = Image.DecodeFileBytes(SharedData.PathOfManifestEntry(photo.Path), ImageDecodeOptions.Default, PaddleNetNative.DecodeGrayscale, PixelFormat.Gray);

        PixelAssert.Equal(References.LoadArray(photo, "gray_imread"), image, $"{stem} gray via bytes");
    }

    [Theory]
    [InlineData("数字 零.png")]
    [InlineData("ĉifero é.png")]
    [InlineData("emoji 🙂.png")]
    public void DecodeFileBytes_NonAsciiName_DecodesLikeAsciiName(string name)
    {
        string source = SharedData.PathOf("models/images/scenes/dog.jpg");
        string dir = Directory.CreateTempSubdirectory("paddlenet-win-").FullName;
        try
        {
            string copy = Path.Combine(dir, name);
            File.Copy(source, copy);

            Image image = Image.DecodeFileBytes(copy, ImageDecodeOptions.Default, PaddleNetNative.DecodeColor, PixelFormat.Bgr);

            Assert.True(Image.Decode(source).Pixels.SequenceEqual(image.Pixels));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void DecodeFileBytes_MissingFile_ThrowsCannotOpenNamingIt()
    {
        string path = Path.Combine(SharedData.Root, "models", "images", "does_not_exist.jpg");

        var e = Assert.Throws<ImageDecodeException>(() => Image.DecodeFileBytes(path, ImageDecodeOptions.Default, PaddleNetNative.DecodeColor, PixelFormat.Bgr));

        Assert.Equal(ImageDecodeFailure.CannotOpen, e.Reason);
        Assert.Equal(path, e.FileName);
        Assert.StartsWith(path + ": cannot decode image (cannot open the file)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeFileBytes_EmptyFile_ThrowsEmpty()
    {
        string path = Path.GetTempFileName();
        try
        {
            var e = Assert.Throws<ImageDecodeException>(() => Image.DecodeFileBytes(path, ImageDecodeOptions.Default, PaddleNetNative.DecodeColor, PixelFormat.Bgr));

            Assert.Equal(ImageDecodeFailure.Empty, e.Reason);
            Assert.Equal(path, e.FileName);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DecodeFileBytes_TextFile_ThrowsNamingTheFileNotMemory()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not an image\n");

            var e = Assert.Throws<ImageDecodeException>(() => Image.DecodeFileBytes(path, ImageDecodeOptions.Default, PaddleNetNative.DecodeColor, PixelFormat.Bgr));

            Assert.Equal(ImageDecodeFailure.Corrupt, e.Reason);
            Assert.StartsWith(path + ": cannot decode image", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("<memory>", e.Message, StringComparison.Ordinal);
            Assert.Contains("unknown format", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

namespace PaddleNet.Imaging.Tests;

/// <summary><see cref="Image.Decode(string)"/> and friends against <c>cv2.imread</c> / <c>cv2.imdecode</c> 4.10 output.</summary>
public sealed class ImageDecodeTests
{
    public static TheoryData<string> DecodeStems => References.StemsWith("decode");

    public static TheoryData<string> GrayStems => References.StemsWith("gray_imread");

    public static TheoryData<string> AllStems => References.StemsWith();

    [Theory]
    [MemberData(nameof(DecodeStems))]
    public void Decode_ReferencePhotoFile_MatchesCv2Imread(string stem)
    {
        ReferencePhoto photo = References.Photo(stem);
        Image image = Image.Decode(SharedData.PathOfManifestEntry(photo.Path));

        Assert.Equal(PixelFormat.Bgr, image.Format);
        PixelAssert.Equal(References.LoadArray(photo, "decode"), image, $"{stem} decode");
    }

    [Theory]
    [MemberData(nameof(DecodeStems))]
    public void Decode_ReferencePhotoBytes_MatchesCv2Imread(string stem)
    {
        ReferencePhoto photo = References.Photo(stem);
        byte[] bytes = File.ReadAllBytes(SharedData.PathOfManifestEntry(photo.Path));

        Image image = Image.Decode(bytes);

        PixelAssert.Equal(References.LoadArray(photo, "decode"), image, $"{stem} imdecode");
    }

    [Theory]
    [MemberData(nameof(AllStems))]
    public void Decode_EveryManifestPhoto_HasManifestSize(string stem)
    {
        ReferencePhoto photo = References.Photo(stem);

        Image image = Image.Decode(SharedData.PathOfManifestEntry(photo.Path));

        Assert.Equal((photo.Height, photo.Width, 3), (image.Height, image.Width, image.Channels));
        Assert.Equal(photo.Height * photo.Width * 3, image.Pixels.Length);
    }

    [Theory]
    [MemberData(nameof(GrayStems))]
    public void DecodeGray_ReferencePhoto_MatchesCv2ImreadGrayscale(string stem)
    {
        ReferencePhoto photo = References.Photo(stem);
        string path = SharedData.PathOfManifestEntry(photo.Path);
        NpyArray expected = References.LoadArray(photo, "gray_imread");

        Image fromFile = Image.DecodeGray(path);
        Image fromBytes = Image.DecodeGray(File.ReadAllBytes(path));

        Assert.Equal(PixelFormat.Gray, fromFile.Format);
        PixelAssert.Equal(expected, fromFile, $"{stem} imread gray");
        PixelAssert.Equal(expected, fromBytes, $"{stem} imdecode gray");
    }

    [Fact]
    public void Decode_SameFileOnManyThreads_GivesIdenticalPixels()
    {
        string path = SharedData.PathOf("models/images/scenes/dog.jpg");
        byte[] expected = Image.Decode(path).Pixels.ToArray();

        var results = new byte[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = Image.Decode(path).Pixels.ToArray());

        Assert.All(results, r => Assert.True(expected.AsSpan().SequenceEqual(r)));
    }

    [Fact]
    public void Decode_MissingFile_ThrowsCannotOpenWithFileName()
    {
        string path = Path.Combine(SharedData.Root, "models", "images", "does_not_exist.jpg");

        var e = Assert.Throws<ImageDecodeException>(() => Image.Decode(path));

        Assert.Equal(ImageDecodeFailure.CannotOpen, e.Reason);
        Assert.Equal(path, e.FileName);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("No such file", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Decode_Directory_ThrowsNotRegularFile()
    {
        string path = Path.Combine(SharedData.Root, "models", "images");

        var e = Assert.Throws<ImageDecodeException>(() => Image.Decode(path));

        Assert.Equal(ImageDecodeFailure.NotRegularFile, e.Reason);
        Assert.Contains("directory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_EmptySpan_ThrowsEmpty()
    {
        var e = Assert.Throws<ImageDecodeException>(() => Image.Decode(ReadOnlySpan<byte>.Empty));

        Assert.Equal(ImageDecodeFailure.Empty, e.Reason);
        Assert.Null(e.FileName);
        Assert.StartsWith("<memory>", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(200)]
    public void Decode_JpegHeaderOnlyBytes_ThrowsCorrupt(int length)
    {
        byte[] bytes = SharedData.ReadAllBytes("models/images/imagenet/egypt_cat.jpg");

        var e = Assert.Throws<ImageDecodeException>(() => Image.Decode(bytes.AsSpan(0, length)));

        // Cut before its frame header, the JPEG has no size to check against the limits: refused before OpenCV.
        Assert.Equal(ImageDecodeFailure.Corrupt, e.Reason);
        Assert.Contains(length == 1 ? "not an image" : "no image size could be read", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Like cv2, a JPEG cut after its first scan data still decodes: full size, the missing part filled in.</summary>
    [Fact]
    public void Decode_JpegCutAfterHeader_ReturnsFullSizeImage()
    {
        ReferencePhoto photo = References.Photo("egypt_cat");
        byte[] bytes = File.ReadAllBytes(SharedData.PathOfManifestEntry(photo.Path));

        Image image = Image.Decode(bytes.AsSpan(0, bytes.Length / 2));

        Assert.Equal((photo.Height, photo.Width, 3), (image.Height, image.Width, image.Channels));
    }

    [Fact]
    public void Decode_GarbageBytes_ThrowsCorrupt()
    {
        byte[] bytes = new byte[4096];
        new Random(7767517).NextBytes(bytes);

        var e = Assert.Throws<ImageDecodeException>(() => Image.Decode(bytes));

        Assert.Equal(ImageDecodeFailure.Corrupt, e.Reason);
    }

    [Fact]
    public void Decode_NullPath_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => Image.Decode((string)null!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\0b.jpg")]
    public void Decode_EmptyOrNulPath_ThrowsArgument(string path)
    {
        Assert.Throws<ArgumentException>(() => Image.Decode(path));
    }

    [Fact]
    public void Decode_NonAsciiPath_DecodesUtf8Path()
    {
        string dir = Directory.CreateTempSubdirectory("paddlenet-imaging-").FullName;
        try
        {
            string path = Path.Combine(dir, "猫 é.jpg");
            File.Copy(SharedData.PathOf("models/images/scenes/face2.jpg"), path);

            Image image = Image.Decode(path);

            PixelAssert.Equal(References.LoadArray(References.Photo("face2"), "decode"), image, "non-ASCII path");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>Status values of paddlenet_native.h, for assertions.</summary>
internal static class PaddleNetNativeStatus
{
    public const int FileOpenFailed = 3;
    public const int EmptyInput = 4;
    public const int UnknownFormat = 5;
    public const int DecodeFailed = 6;
}

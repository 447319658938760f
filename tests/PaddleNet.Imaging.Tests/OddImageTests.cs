namespace PaddleNet.Imaging.Tests;

/// <summary>
/// The odd files of images/odd (16-bit, gray, alpha, palette, CMYK, progressive, EXIF orientations, truncated, empty,
/// misnamed, BMP/TIFF/WebP) against what <c>cv2.imread(path, IMREAD_COLOR)</c> 4.10 returned for each
/// (images/odd/reference/manifest.json: an array, or None).
/// </summary>
public sealed class OddImageTests
{
    private const string TruncatedJpeg = "truncated_half.jpg";

    public static TheoryData<string> DecodedFiles
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (OddImage odd in References.OddImages.Where(o => o.Decode is not null))
            {
                data.Add(odd.File);
            }

            return data;
        }
    }

    public static TheoryData<string> DecodedFilesExceptTruncated
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (OddImage odd in References.OddImages.Where(o => o.Decode is not null && o.File != TruncatedJpeg))
            {
                data.Add(odd.File);
            }

            return data;
        }
    }

    public static TheoryData<string> RejectedFiles
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (OddImage odd in References.OddImages.Where(o => o.Decode is null))
            {
                data.Add(odd.File);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(DecodedFiles))]
    public void Decode_OddFile_MatchesCv2Imread(string file)
    {
        OddImage odd = References.OddImages.Single(o => o.File == file);
        NpyArray expected = Npy.Read(SharedData.PathOf($"{References.OddFolder}/reference/{odd.Decode}"));
        Assert.Equal(odd.Shape, expected.Shape);

        Image image = Image.Decode(SharedData.PathOf($"{References.OddFolder}/{file}"));

        PixelAssert.Equal(expected, image, $"{file} ({odd.What})");
    }

    /// <summary>
    /// From memory (<c>cv::imdecode</c>) every decodable odd file equals the file result, except a truncated JPEG:
    /// see <see cref="Decode_TruncatedJpegBytes_RepeatsLastDecodedRowLikeImdecode"/>.
    /// </summary>
    [Theory]
    [MemberData(nameof(DecodedFilesExceptTruncated))]
    public void Decode_OddBytes_MatchesCv2Imread(string file)
    {

        OddImage odd = References.OddImages.Single(o => o.File == file);
        NpyArray expected = Npy.Read(SharedData.PathOf($"{References.OddFolder}/reference/{odd.Decode}"));

        Image image = Image.Decode(SharedData.ReadAllBytes($"{References.OddFolder}/{file}"));

        PixelAssert.Equal(expected, image, $"{file} from memory ({odd.What})");
    }

    /// <summary>Where cv2 returned None, decoding throws <see cref="ImageDecodeException"/> naming the file and the reason.</summary>
    [Theory]
    [MemberData(nameof(RejectedFiles))]
    public void Decode_OddFileCv2Rejects_ThrowsWithFileNameAndReason(string file)
    {
        string path = SharedData.PathOf($"{References.OddFolder}/{file}");

        var e = Assert.Throws<ImageDecodeException>(() => Image.Decode(path));

        Assert.Equal(path, e.FileName);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Equal(ExpectedFileReason(file), e.Reason);
    }

    [Theory]
    [MemberData(nameof(RejectedFiles))]
    public void Decode_OddBytesCv2Rejects_ThrowsWithReason(string file)
    {
        byte[] bytes = SharedData.ReadAllBytes($"{References.OddFolder}/{file}");

        var e = Assert.Throws<ImageDecodeException>(() => Image.Decode(bytes));

        Assert.Null(e.FileName);
        // From memory, cv::imdecode cannot say "unknown format" apart from "corrupt".
        Assert.Equal(bytes.Length == 0 ? ImageDecodeFailure.Empty : ImageDecodeFailure.Corrupt, e.Reason);
    }

    /// <summary>
    /// A JPEG cut short decodes differently from a file and from memory, in OpenCV itself: <c>cv::imread</c> uses
    /// libjpeg's stdio source, which pads the missing data with a fake end-of-image marker (what the reference
    /// stores), while <c>cv::imdecode</c>'s memory source stops, and OpenCV copies the last decoded row down to the
    /// bottom. PaddleNet keeps each call's OpenCV behaviour: the rows decoded before the data ran out equal the
    /// reference, and every row below repeats the last of them.
    /// </summary>
    [Fact]
    public void Decode_TruncatedJpegBytes_RepeatsLastDecodedRowLikeImdecode()
    {
        OddImage odd = References.OddImages.Single(o => o.File == TruncatedJpeg);
        NpyArray expected = Npy.Read(SharedData.PathOf($"{References.OddFolder}/reference/{odd.Decode}"));

        Image image = Image.Decode(SharedData.ReadAllBytes($"{References.OddFolder}/{TruncatedJpeg}"));

        Assert.Equal((expected.Shape[0], expected.Shape[1], 3), (image.Height, image.Width, image.Channels));
        int row = image.RowBytes;
        int decodedRows = 0;
        while (decodedRows < image.Height &&
               image.Pixels.Slice(decodedRows * row, row).SequenceEqual(expected.Data.AsSpan(decodedRows * row, row)))
        {
            decodedRows++;
        }

        Assert.InRange(decodedRows, 1, image.Height - 1);
        ReadOnlySpan<byte> last = image.Pixels.Slice((decodedRows - 1) * row, row);
        for (int y = decodedRows; y < image.Height; y++)
        {
            Assert.True(image.Pixels.Slice(y * row, row).SequenceEqual(last), $"row {y} does not repeat row {decodedRows - 1}");
        }
    }

    [Fact]
    public void Decode_OddManifest_ListsFilesOnDisk()
    {
        Assert.NotEmpty(References.OddImages);
        Assert.All(References.OddImages, o => SharedData.PathOf($"{References.OddFolder}/{o.File}"));
    }

    private static ImageDecodeFailure ExpectedFileReason(string file) => file switch
    {
        "empty.jpg" => ImageDecodeFailure.Empty,
        "text_named.jpg" => ImageDecodeFailure.UnknownFormat,
        "header_only.jpg" => ImageDecodeFailure.Corrupt,
        _ => throw new InvalidOperationException($"No expected reason recorded for '{file}': add it here."),
    };
}

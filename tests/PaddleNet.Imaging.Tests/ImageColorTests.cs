namespace PaddleNet.Imaging.Tests;

/// <summary><see cref="Image.ToRgb"/>, <see cref="Image.ToGray"/>, <see cref="Image.ToBgr"/> against <c>cv2.cvtColor</c> 4.10.</summary>
public sealed class ImageColorTests
{
    public static TheoryData<string> RgbStems => References.StemsWith("decode", "rgb");

    public static TheoryData<string> GrayStems => References.StemsWith("decode", "gray_cvt");

    [Theory]
    [MemberData(nameof(RgbStems))]
    public void ToRgb_ReferencePhoto_MatchesCvtColorBgr2Rgb(string stem)
    {
        ReferencePhoto photo = References.Photo(stem);

        Image rgb = Decoded(photo).ToRgb();

        Assert.Equal(PixelFormat.Rgb, rgb.Format);
        PixelAssert.Equal(References.LoadArray(photo, "rgb"), rgb, $"{stem} rgb");
    }

    [Theory]
    [MemberData(nameof(GrayStems))]
    public void ToGray_ReferencePhoto_MatchesCvtColorBgr2Gray(string stem)
    {
        ReferencePhoto photo = References.Photo(stem);

        Image gray = Decoded(photo).ToGray();

        Assert.Equal(PixelFormat.Gray, gray.Format);
        PixelAssert.Equal(References.LoadArray(photo, "gray_cvt"), gray, $"{stem} gray_cvt");
    }

    [Fact]
    public void ToGray_FromRgbOrBgra_EqualsFromBgr()
    {
        Image bgr = Decoded(References.Photo("face2"));
        byte[] bgra = new byte[bgr.Width * bgr.Height * 4];
        for (int p = 0; p < bgr.Width * bgr.Height; p++)
        {
            bgr.Pixels.Slice(p * 3, 3).CopyTo(bgra.AsSpan(p * 4));
            bgra[p * 4 + 3] = 255;
        }

        byte[] expected = bgr.ToGray().Pixels.ToArray();

        Assert.True(bgr.ToRgb().ToGray().Pixels.SequenceEqual(expected));
        Assert.True(Image.FromPixels(bgra, bgr.Width, bgr.Height, PixelFormat.Bgra).ToGray().Pixels.SequenceEqual(expected));
        Assert.True(Image.FromPixels(bgra, bgr.Width, bgr.Height, PixelFormat.Bgra).ToRgb().Pixels.SequenceEqual(bgr.ToRgb().Pixels));
    }

    [Fact]
    public void ToBgr_OfToRgb_RoundTrips()
    {
        Image bgr = Decoded(References.Photo("face2"));

        Image back = bgr.ToRgb().ToBgr();

        Assert.Equal(PixelFormat.Bgr, back.Format);
        Assert.True(back.Pixels.SequenceEqual(bgr.Pixels));
    }

    [Fact]
    public void ToRgb_OfGray_ReplicatesLuma()
    {
        Image gray = Image.FromPixels(new byte[] { 0, 100, 255 }, 3, 1, PixelFormat.Gray);

        Image rgb = gray.ToRgb();

        Assert.Equal(new byte[] { 0, 0, 0, 100, 100, 100, 255, 255, 255 }, rgb.Pixels.ToArray());
    }

    [Fact]
    public void ToRgb_AlreadyRgb_ReturnsSameInstance()
    {
        Image rgb = Image.FromPixels(new byte[6], 2, 1, PixelFormat.Rgb);

        Image gray = rgb.ToGray();
        Image bgr = rgb.ToBgr();

        Assert.Same(rgb, rgb.ToRgb());
        Assert.Same(gray, gray.ToGray());
        Assert.Same(bgr, bgr.ToBgr());
    }

    [Fact]
    public void FromPixels_WrongLength_ThrowsArgumentNamingPixels()
    {
        var e = Assert.Throws<ArgumentException>(() => Image.FromPixels(new byte[5], 2, 1, PixelFormat.Bgr));

        Assert.Equal("pixels", e.ParamName);
    }

    [Fact]
    public void FromPixels_CopiesInput()
    {
        byte[] pixels = [1, 2, 3];
        Image image = Image.FromPixels(pixels, 1, 1, PixelFormat.Bgr);

        pixels[0] = 9;

        Assert.Equal(1, image.Pixels[0]);
        Assert.Equal("1x1 Bgr", image.ToString());
    }

    private static Image Decoded(ReferencePhoto photo)
    {
        NpyArray decode = References.LoadArray(photo, "decode");
        return Image.FromPixels(decode.Data, decode.Shape[1], decode.Shape[0], PixelFormat.Bgr);
    }
}

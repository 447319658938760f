namespace PaddleNet.Imaging.Tests;

/// <summary>Bit-exact comparison of images with a readable account of the first difference.</summary>
internal static class PixelAssert
{
    /// <summary>Asserts that <paramref name="actual"/> has the shape of <paramref name="expected"/> (H, W[, C]) and the same bytes.</summary>
    public static void Equal(NpyArray expected, Image actual, string label)
    {
        Assert.Equal("|u1", expected.Descr);
        int channels = expected.Shape.Length == 3 ? expected.Shape[2] : 1;
        Assert.True(
            expected.Shape[0] == actual.Height && expected.Shape[1] == actual.Width && channels == actual.Channels,
            $"{label}: expected {expected.Shape[0]}x{expected.Shape[1]}x{channels} (HxWxC), got {actual.Height}x{actual.Width}x{actual.Channels}");
        Equal(expected.Data, actual.Pixels, actual.Width, channels, label);
    }

    /// <summary>Asserts equal bytes of two HWC buffers; on failure reports the count, the first (y, x, c) and the largest delta.</summary>
    public static void Equal(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, int width, int channels, string label)
    {
        Assert.True(expected.Length == actual.Length, $"{label}: expected {expected.Length} bytes, got {actual.Length}");
        if (expected.SequenceEqual(actual))
        {
            return;
        }

        (int count, int first, int maxDelta) = Diff(expected, actual);
        int row = width * channels;
        Assert.Fail(
            $"{label}: {count} of {expected.Length} bytes differ; first at (y={first / row}, x={first % row / channels}, c={first % channels}): " +
            $"expected {expected[first]}, got {actual[first]}; max |delta| {maxDelta}");
    }

    public static (int Count, int First, int MaxDelta) Diff(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        int count = 0, first = -1, maxDelta = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int d = Math.Abs(expected[i] - actual[i]);
            if (d != 0)
            {
                count++;
                if (first < 0)
                {
                    first = i;
                }

                maxDelta = Math.Max(maxDelta, d);
            }
        }

        return (count, first, maxDelta);
    }

    /// <summary>Rows [y, y+h) and columns [x, x+w) of an HWC image, as PaddleClas CropImage slices them.</summary>
    public static byte[] Crop(Image image, int x, int y, int w, int h)
    {
        int c = image.Channels;
        var result = new byte[w * h * c];
        for (int r = 0; r < h; r++)
        {
            image.Pixels.Slice(((y + r) * image.Width + x) * c, w * c).CopyTo(result.AsSpan(r * w * c));
        }

        return result;
    }
}

namespace PaddleNet.Imaging;

/// <summary>Channel layout of an <see cref="Image"/>'s interleaved 8-bit pixels.</summary>
public enum PixelFormat
{
    /// <summary>One channel: luma.</summary>
    Gray = 1,

    /// <summary>Three channels in OpenCV's order: blue, green, red. What <see cref="Image.Decode(string)"/> returns.</summary>
    Bgr = 2,

    /// <summary>Three channels: red, green, blue. What PaddleClas preprocessing works on.</summary>
    Rgb = 3,

    /// <summary>Four channels: blue, green, red, alpha.</summary>
    Bgra = 4,

    /// <summary>Four channels: red, green, blue, alpha.</summary>
    Rgba = 5,
}

/// <summary>Helpers on <see cref="PixelFormat"/>.</summary>
public static class PixelFormatExtensions
{
    /// <summary>Number of interleaved channels of <paramref name="format"/>: 1, 3 or 4.</summary>
    public static int ChannelCount(this PixelFormat format) => format switch
    {
        PixelFormat.Gray => 1,
        PixelFormat.Bgr or PixelFormat.Rgb => 3,
        PixelFormat.Bgra or PixelFormat.Rgba => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
    };
}

namespace PaddleNet.Imaging;

/// <summary>
/// Limits checked before an image is decoded, so that hostile input (a decompression bomb, a huge or endless file)
/// is refused cheaply with an <see cref="ImageDecodeException"/> instead of exhausting memory.
/// </summary>
/// <remarks>
/// The pixel count is read from the header (PNG, JPEG, WebP, BMP, TIFF, PNM, Sun raster, Radiance HDR) and checked
/// before any decoder runs; for other formats OpenCV decodes under its own guard (<c>OPENCV_IO_MAX_IMAGE_PIXELS</c>,
/// 2^30 by default) and the result is checked after decoding.
/// </remarks>
public sealed class ImageDecodeOptions
{
    /// <summary>100 megapixels: of the order of Pillow's decompression-bomb guard (89.5 MP), far above any camera frame fed to a model.</summary>
    public const long DefaultMaxPixels = 100_000_000;

    /// <summary>512 MiB: room for an uncompressed 100-megapixel BMP (300 MB), under OpenCV's 2 GiB buffer limit.</summary>
    public const long DefaultMaxBytes = 512L * 1024 * 1024;

    private readonly long _maxPixels = DefaultMaxPixels;
    private readonly long _maxBytes = DefaultMaxBytes;

    /// <summary>The defaults: <see cref="DefaultMaxPixels"/> and <see cref="DefaultMaxBytes"/>.</summary>
    public static ImageDecodeOptions Default { get; } = new();

    /// <summary>The largest width × height accepted (must be ≥ 1).</summary>
    public long MaxPixels
    {
        get => _maxPixels;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, nameof(MaxPixels));
            _maxPixels = value;
        }
    }

    /// <summary>The largest encoded size in bytes accepted, for a file or a buffer (must be ≥ 1).</summary>
    public long MaxBytes
    {
        get => _maxBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, nameof(MaxBytes));
            _maxBytes = value;
        }
    }
}

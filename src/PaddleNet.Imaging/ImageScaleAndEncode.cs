using PaddleNet.Imaging.Interop;

namespace PaddleNet.Imaging;

/// <summary>File formats <see cref="Image.Encode"/> writes.</summary>
public enum ImageFileFormat
{
    /// <summary>PNG (lossless).</summary>
    Png = 1,

    /// <summary>JPEG.</summary>
    Jpeg = 2,
}

public sealed partial class Image
{
    /// <summary>
    /// The size <see cref="ResizeScale"/> produces: <c>(round(Width·fx), round(Height·fy))</c> with ties to even,
    /// as OpenCV's <c>saturate_cast&lt;int&gt;(double)</c>.
    /// </summary>
    public static (int Width, int Height) ScaledSize(int width, int height, double fx, double fy) =>
        ((int)Math.Round(width * fx, MidpointRounding.ToEven), (int)Math.Round(height * fy, MidpointRounding.ToEven));

    /// <summary>
    /// Resizes by scale factors as <c>cv2.resize(src, None, fx=fx, fy=fy, interpolation=…)</c> (PaddleDetection's
    /// form). OpenCV samples with fx/fy themselves, which differs from <see cref="Resize(Image, int, int, Interpolation)"/>
    /// to the rounded size whenever <c>round(w·fx)/w ≠ fx</c>.
    /// </summary>
    public static unsafe Image ResizeScale(Image source, double fx, double fy, Interpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!(double.IsFinite(fx) && fx > 0 && double.IsFinite(fy) && fy > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(fx), $"Scale factors must be finite and positive (got {fx}, {fy}).");
        }

        if (interpolation is < Interpolation.Nearest or > Interpolation.Lanczos4)
        {
            throw new ArgumentOutOfRangeException(nameof(interpolation), interpolation, "Unknown interpolation.");
        }

        (int width, int height) = ScaledSize(source.Width, source.Height, fx, fy);
        int channels = source.Channels;
        int length = CheckedSize(width, height, channels, nameof(fx), nameof(fy));
        byte[] pixels = GC.AllocateUninitializedArray<byte>(length);
        NativeImaging.EnsureLoaded();
        fixed (byte* src = source._pixels)
        fixed (byte* dst = pixels)
        {
            int status = PaddleNetNative.ResizeScale(
                src, source._pixels.Length, source.Height, source.Width, channels, fx, fy, (int)interpolation, dst, length, height, width);
            NativeImaging.ThrowIfFailed(status, "PaddleNetNative_ResizeScale");
        }

        return new Image(pixels, width, height, source.Format);
    }

    /// <summary>
    /// Encodes as <c>cv2.imencode</c>. OpenCV expects BGR(A) order, so RGB(A) images are converted first.
    /// <paramref name="quality"/>: JPEG 0–100, PNG compression 0–9, or −1 for OpenCV's default.
    /// </summary>
    public unsafe byte[] Encode(ImageFileFormat format, int quality = -1)
    {
        Image bgr = Format switch
        {
            PixelFormat.Rgb => ToBgr(),
            PixelFormat.Rgba => Convert(PaddleNetNative.ColorBgra2Rgb, PixelFormat.Bgr),
            _ => this,
        };
        string extension = format switch
        {
            ImageFileFormat.Png => ".png",
            ImageFileFormat.Jpeg => ".jpg",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown file format."),
        };
        NativeImaging.EnsureLoaded();
        int status;
        SafeBufferHandle handle;
        fixed (byte* src = bgr._pixels)
        {
            status = PaddleNetNative.Encode(src, bgr._pixels.Length, bgr.Height, bgr.Width, bgr.Channels, extension, quality, out handle);
        }

        using (handle)
        {
            NativeImaging.ThrowIfFailed(status, "PaddleNetNative_Encode");
            NativeImaging.ThrowIfFailed(PaddleNetNative.BufferGetSize(handle, out long length), "PaddleNetNative_BufferGetSize");
            byte[] bytes = GC.AllocateUninitializedArray<byte>(checked((int)length));
            fixed (byte* dst = bytes)
            {
                NativeImaging.ThrowIfFailed(PaddleNetNative.BufferCopyTo(handle, dst, length), "PaddleNetNative_BufferCopyTo");
            }

            return bytes;
        }
    }

    /// <summary>The file format an extension names (<c>.png</c>, <c>.jpg</c>, <c>.jpeg</c>), or null.</summary>
    public static ImageFileFormat? FormatFromExtension(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => ImageFileFormat.Png,
            ".jpg" or ".jpeg" => ImageFileFormat.Jpeg,
            _ => null,
        };

    /// <summary>Wraps pixels the caller gives up (no copy); used by <see cref="Canvas"/>.</summary>
    internal static Image Adopt(byte[] pixels, int width, int height, PixelFormat format) => new(pixels, width, height, format);
}

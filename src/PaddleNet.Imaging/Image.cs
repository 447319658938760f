using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using PaddleNet.IO;
using PaddleNet.Imaging.Interop;

namespace PaddleNet.Imaging;

/// <summary>
/// An immutable 8-bit image: <see cref="Height"/> rows of <see cref="Width"/> pixels of <see cref="Channels"/>
/// interleaved bytes (HWC, row-major, no row padding), in the channel order given by <see cref="Format"/>.
/// </summary>
/// <remarks>
/// Decoding, resizing and colour conversion run OpenCV through the native shim <c>paddlenet_native</c>, so that the
/// pixels equal those of <c>cv2.imread</c> / <c>cv2.resize</c> / <c>cv2.cvtColor</c> as PaddleClas uses them.
/// Every operation returns a new image and never changes its input.
/// </remarks>
public sealed partial class Image
{
    private readonly byte[] _pixels;

    private Image(byte[] pixels, int width, int height, PixelFormat format)
    {
        _pixels = pixels;
        Width = width;
        Height = height;
        Format = format;
    }

    /// <summary>Number of columns.</summary>
    public int Width { get; }

    /// <summary>Number of rows.</summary>
    public int Height { get; }

    /// <summary>Channel order of <see cref="Pixels"/>.</summary>
    public PixelFormat Format { get; }

    /// <summary>Bytes per pixel: 1, 3 or 4.</summary>
    public int Channels => Format.ChannelCount();

    /// <summary>Bytes per row: <c>Width * Channels</c>.</summary>
    public int RowBytes => Width * Channels;

    /// <summary>The pixels, <c>Height * Width * Channels</c> bytes, row-major <c>[y][x][c]</c>.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>Copies <paramref name="pixels"/> (exactly <c>height * width * channels</c> bytes, HWC) into a new image.</summary>
    public static Image FromPixels(ReadOnlySpan<byte> pixels, int width, int height, PixelFormat format)
    {
        int channels = format.ChannelCount();
        int length = CheckedSize(width, height, channels, nameof(width), nameof(height));
        if (pixels.Length != length)
        {
            throw new ArgumentException(
                $"A {width}x{height} {format} image needs exactly {length} bytes, but {pixels.Length} were given.", nameof(pixels));
        }

        return new Image(pixels.ToArray(), width, height, format);
    }

    /// <summary>
    /// Decodes the image file at <paramref name="path"/> exactly as <c>cv2.imread(path, cv2.IMREAD_COLOR)</c> does:
    /// 3-channel <see cref="PixelFormat.Bgr"/>, EXIF orientation applied, alpha dropped (not blended), gray expanded,
    /// 16-bit reduced to 8-bit, the format taken from the bytes rather than the name. The limits of
    /// <see cref="ImageDecodeOptions.Default"/> apply.
    /// </summary>
    /// <exception cref="ImageDecodeException">The file is missing, not a regular file, empty, over a limit, not an image, or truncated/corrupt.</exception>
    /// <exception cref="NativeImagingLibraryException">The native shim cannot be loaded.</exception>
    public static Image Decode(string path) => DecodeFile(path, ImageDecodeOptions.Default, PaddleNetNative.DecodeColor, PixelFormat.Bgr);

    /// <summary>
    /// <see cref="Decode(string)"/> under <paramref name="options"/>: only a regular file (symbolic links followed) is
    /// read, its size is checked before reading and its declared pixel count before decoding.
    /// </summary>
    /// <exception cref="ImageDecodeException">As <see cref="Decode(string)"/>; <see cref="ImageDecodeException.Reason"/> says which limit.</exception>
    public static Image Decode(string path, ImageDecodeOptions options) => DecodeFile(path, options, PaddleNetNative.DecodeColor, PixelFormat.Bgr);

    /// <summary>Decodes an encoded image (JPEG, PNG, …) held in memory, as <c>cv2.imdecode(buf, cv2.IMREAD_COLOR)</c>,
    /// under the limits of <see cref="ImageDecodeOptions.Default"/>.</summary>
    /// <exception cref="ImageDecodeException">The buffer is empty, over a limit, or holds no image OpenCV can decode.</exception>
    public static Image Decode(ReadOnlySpan<byte> encoded) => DecodeMemory(encoded, ImageDecodeOptions.Default, PaddleNetNative.DecodeColor, PixelFormat.Bgr);

    /// <summary><see cref="Decode(ReadOnlySpan{byte})"/> under <paramref name="options"/>.</summary>
    /// <exception cref="ImageDecodeException">The buffer is empty, over a limit, or holds no image OpenCV can decode.</exception>
    public static Image Decode(ReadOnlySpan<byte> encoded, ImageDecodeOptions options) => DecodeMemory(encoded, options, PaddleNetNative.DecodeColor, PixelFormat.Bgr);

    /// <summary>
    /// Decodes as <c>cv2.imread(path, cv2.IMREAD_GRAYSCALE)</c>: one channel, using the codec's own conversion
    /// (libjpeg's luma for JPEG, libpng's for PNG), which is not bit-identical to <see cref="ToGray"/> of <see cref="Decode(string)"/>.
    /// </summary>
    public static Image DecodeGray(string path) => DecodeFile(path, ImageDecodeOptions.Default, PaddleNetNative.DecodeGrayscale, PixelFormat.Gray);

    /// <summary><see cref="DecodeGray(string)"/> under <paramref name="options"/>.</summary>
    public static Image DecodeGray(string path, ImageDecodeOptions options) => DecodeFile(path, options, PaddleNetNative.DecodeGrayscale, PixelFormat.Gray);

    /// <summary>Decodes from memory as <c>cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)</c>.</summary>
    public static Image DecodeGray(ReadOnlySpan<byte> encoded) => DecodeMemory(encoded, ImageDecodeOptions.Default, PaddleNetNative.DecodeGrayscale, PixelFormat.Gray);

    /// <summary><see cref="DecodeGray(ReadOnlySpan{byte})"/> under <paramref name="options"/>.</summary>
    public static Image DecodeGray(ReadOnlySpan<byte> encoded, ImageDecodeOptions options) => DecodeMemory(encoded, options, PaddleNetNative.DecodeGrayscale, PixelFormat.Gray);

    /// <summary>
    /// Resizes to <paramref name="width"/> × <paramref name="height"/> as
    /// <c>cv2.resize(src, (width, height), interpolation=…)</c>; the format is kept.
    /// </summary>
    public static Image Resize(Image source, int width, int height, Interpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(source);
        int channels = source.Channels;
        int length = CheckedSize(width, height, channels, nameof(width), nameof(height));
        byte[] pixels = GC.AllocateUninitializedArray<byte>(length);
        Resize(source.Pixels, source.Width, source.Height, channels, pixels, width, height, interpolation);
        return new Image(pixels, width, height, source.Format);
    }

    /// <summary>
    /// Resizes packed HWC pixels (<paramref name="channels"/> = 1, 3 or 4) into <paramref name="destination"/>
    /// without allocating, as <c>cv2.resize</c>. <paramref name="source"/> must hold exactly
    /// <c>sourceHeight * sourceWidth * channels</c> bytes and <paramref name="destination"/> at least
    /// <c>height * width * channels</c>; the two must not overlap.
    /// </summary>
    public static unsafe void Resize(
        ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, int channels,
        Span<byte> destination, int width, int height, Interpolation interpolation)
    {
        if (channels is not (1 or 3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1, 3 or 4.");
        }

        if (interpolation is < Interpolation.Nearest or > Interpolation.Lanczos4)
        {
            throw new ArgumentOutOfRangeException(nameof(interpolation), interpolation, "Unknown interpolation.");
        }

        int sourceLength = CheckedSize(sourceWidth, sourceHeight, channels, nameof(sourceWidth), nameof(sourceHeight));
        int length = CheckedSize(width, height, channels, nameof(width), nameof(height));
        if (source.Length != sourceLength)
        {
            throw new ArgumentException(
                $"A {sourceWidth}x{sourceHeight}x{channels} source needs exactly {sourceLength} bytes, but {source.Length} were given.", nameof(source));
        }

        if (destination.Length < length)
        {
            throw new ArgumentException(
                $"A {width}x{height}x{channels} destination needs {length} bytes, but only {destination.Length} were given.", nameof(destination));
        }

        if (source.Overlaps(destination[..length]))
        {
            throw new ArgumentException("Source and destination overlap.", nameof(destination));
        }

        NativeImaging.EnsureLoaded();
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            int status = PaddleNetNative.Resize(
                src, sourceLength, sourceHeight, sourceWidth, channels, dst, length, height, width, (int)interpolation);
            NativeImaging.ThrowIfFailed(status, "PaddleNetNative_Resize");
        }
    }

    /// <summary>This image in <see cref="PixelFormat.Rgb"/> order (<c>cv2.cvtColor(img, COLOR_BGR2RGB)</c> for BGR;
    /// alpha is dropped; gray is replicated). Returns this instance when it already is RGB.</summary>
    public Image ToRgb() => Format switch
    {
        PixelFormat.Rgb => this,
        PixelFormat.Bgr => Convert(PaddleNetNative.ColorBgr2Rgb, PixelFormat.Rgb),
        PixelFormat.Gray => Convert(PaddleNetNative.ColorGray2Bgr, PixelFormat.Rgb),
        PixelFormat.Bgra => Convert(PaddleNetNative.ColorBgra2Rgb, PixelFormat.Rgb),
        PixelFormat.Rgba => Convert(PaddleNetNative.ColorBgra2Bgr, PixelFormat.Rgb),
        _ => throw new InvalidOperationException($"Unknown pixel format {Format}."),
    };

    /// <summary>This image in <see cref="PixelFormat.Bgr"/> order. Returns this instance when it already is BGR.</summary>
    public Image ToBgr() => Format switch
    {
        PixelFormat.Bgr => this,
        PixelFormat.Rgb => Convert(PaddleNetNative.ColorBgr2Rgb, PixelFormat.Bgr),
        PixelFormat.Gray => Convert(PaddleNetNative.ColorGray2Bgr, PixelFormat.Bgr),
        PixelFormat.Bgra => Convert(PaddleNetNative.ColorBgra2Bgr, PixelFormat.Bgr),
        PixelFormat.Rgba => Convert(PaddleNetNative.ColorBgra2Rgb, PixelFormat.Bgr),
        _ => throw new InvalidOperationException($"Unknown pixel format {Format}."),
    };

    /// <summary>This image as one luma channel, as <c>cv2.cvtColor(img, COLOR_BGR2GRAY)</c> (or the RGB/alpha
    /// variant matching <see cref="Format"/>). Returns this instance when it already is gray.</summary>
    public Image ToGray() => Format switch
    {
        PixelFormat.Gray => this,
        PixelFormat.Bgr => Convert(PaddleNetNative.ColorBgr2Gray, PixelFormat.Gray),
        PixelFormat.Rgb => Convert(PaddleNetNative.ColorRgb2Gray, PixelFormat.Gray),
        PixelFormat.Bgra => Convert(PaddleNetNative.ColorBgra2Gray, PixelFormat.Gray),
        PixelFormat.Rgba => Convert(PaddleNetNative.ColorRgba2Gray, PixelFormat.Gray),
        _ => throw new InvalidOperationException($"Unknown pixel format {Format}."),
    };

    /// <inheritdoc/>
    public override string ToString() => $"{Width}x{Height} {Format}";

    private unsafe Image Convert(int code, PixelFormat target)
    {
        int length = CheckedSize(Width, Height, target.ChannelCount(), nameof(Width), nameof(Height));
        byte[] pixels = GC.AllocateUninitializedArray<byte>(length);
        NativeImaging.EnsureLoaded();
        fixed (byte* src = _pixels)
        fixed (byte* dst = pixels)
        {
            int status = PaddleNetNative.CvtColor(src, _pixels.Length, Height, Width, code, dst, length);
            NativeImaging.ThrowIfFailed(status, "PaddleNetNative_CvtColor");
        }

        return new Image(pixels, Width, Height, target);
    }

    private static Image DecodeFile(string path, ImageDecodeOptions options, int mode, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("The path is empty or contains a NUL character.", nameof(path));
        }

        if (OperatingSystem.IsWindows())
        {
            WindowsPath.ThrowIfInvalid(path);
            return DecodeFileBytes(path, options, mode, format);
        }

        long length = CheckFile(path, options);
        using (SafeFileHandle file = OpenFile(path))
        {
            var source = new ImageHeader.Source(file, length);
            CheckHeader(ref source, path, options);
        }

        NativeImaging.EnsureLoaded();
        int status = PaddleNetNative.DecodeFile(path, mode, out SafeImageHandle handle);
        using (handle)
        {
            NativeImaging.ThrowIfFailed(status, "PaddleNetNative_DecodeFile", path);
            return CopyOut(handle, path, format, options);
        }
    }

    /// <summary>
    /// How files decode on Windows: OpenCV's <c>imread</c> takes a narrow path in the ANSI code page, so it cannot open
    /// names outside it (Chinese file names on a Western system, emoji anywhere). .NET opens the file through the
    /// UTF-16 API and the shim decodes the bytes with <c>imdecode</c>, which gives the same pixels (EXIF orientation
    /// included). Internal so that the Linux tests prove the equivalence.
    /// </summary>
    internal static unsafe Image DecodeFileBytes(string path, ImageDecodeOptions options, int mode, PixelFormat format)
    {
        long length = CheckFile(path, options);
        byte[] bytes;
        using (SafeFileHandle file = OpenFile(path))
        {
            // The size is taken again from the open file: it is the one read.
            length = RandomAccess.GetLength(file);
            CheckLength(length, path, options);
            var source = new ImageHeader.Source(file, length);
            CheckHeader(ref source, path, options);
            bytes = GC.AllocateUninitializedArray<byte>((int)length);
            int at = 0, got;
            while (at < bytes.Length && (got = RandomAccess.Read(file, bytes.AsSpan(at), at)) > 0)
            {
                at += got;
            }

            if (at < bytes.Length)
            {
                bytes = bytes[..at];
            }
        }

        if (bytes.Length == 0)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.Empty, "the file is empty (0 bytes)");
        }

        NativeImaging.EnsureLoaded();
        int status;
        SafeImageHandle handle;
        fixed (byte* data = bytes)
        {
            status = PaddleNetNative.DecodeMemory(data, bytes.Length, mode, out handle);
        }

        using (handle)
        {
            NativeImaging.ThrowIfFailed(status, "PaddleNetNative_DecodeMemory", path);
            return CopyOut(handle, path, format, options);
        }
    }

    private static unsafe Image DecodeMemory(ReadOnlySpan<byte> encoded, ImageDecodeOptions options, int mode, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (encoded.Length > options.MaxBytes)
        {
            throw new ImageDecodeException(
                null, ImageDecodeFailure.TooManyBytes, $"the buffer holds {encoded.Length} bytes, more than the limit of {options.MaxBytes} (ImageDecodeOptions.MaxBytes)");
        }

        var source = new ImageHeader.Source(encoded);
        CheckHeader(ref source, null, options);
        NativeImaging.EnsureLoaded();
        int status;
        SafeImageHandle handle;
        fixed (byte* data = encoded)
        {
            status = PaddleNetNative.DecodeMemory(data, encoded.Length, mode, out handle);
        }

        using (handle)
        {
            NativeImaging.ThrowIfFailed(status, "PaddleNetNative_DecodeMemory");
            return CopyOut(handle, null, format, options);
        }
    }

    // Only regular files are read (symbolic links followed): a FIFO would block forever, a device never ends, a
    // directory is not "missing". Returns the size, checked against the limit before any byte is read.
    private static long CheckFile(string path, ImageDecodeOptions options)
    {
        long length;
        if (OperatingSystem.IsWindows())
        {
            if (Directory.Exists(path))
            {
                throw new ImageDecodeException(path, ImageDecodeFailure.NotRegularFile, "it is a directory; only regular files are read");
            }

            return 0; // the size is checked on the open file
        }

        int error = UnixFileStatus.Stat(path, out UnixFileStatus.Kind kind, out length);
        if (error != 0)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.CannotOpen, Marshal.GetPInvokeErrorMessage(error));
        }

        if (kind != UnixFileStatus.Kind.Regular)
        {
            string? target = null;
            try
            {
                target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName;
            }
            catch (IOException)
            {
            }

            string link = target is null ? "it" : $"it is a symbolic link to '{target}', which";
            throw new ImageDecodeException(path, ImageDecodeFailure.NotRegularFile, $"{link} is {UnixFileStatus.Describe(kind)}; only regular files are read");
        }

        CheckLength(length, path, options);
        return length;
    }

    private static void CheckLength(long length, string path, ImageDecodeOptions options)
    {
        if (length > options.MaxBytes)
        {
            throw new ImageDecodeException(
                path, ImageDecodeFailure.TooManyBytes, $"the file is {length} bytes, more than the limit of {options.MaxBytes} (ImageDecodeOptions.MaxBytes)");
        }
    }

    private static SafeFileHandle OpenFile(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.CannotOpen, e.Message);
        }
    }

    // Refuses a declared size over the limit before any decoder sees the data.
    private static void CheckHeader(ref ImageHeader.Source source, string? path, ImageDecodeOptions options)
    {
        switch (ImageHeader.Read(ref source, out string kind, out ulong width, out ulong height))
        {
            case ImageHeader.Result.Size when width * height > (ulong)options.MaxPixels:
                throw new ImageDecodeException(
                    path, ImageDecodeFailure.TooManyPixels,
                    $"the {kind} header declares {width}x{height} = {width * height} pixels, more than the limit of {options.MaxPixels} (ImageDecodeOptions.MaxPixels)");
            case ImageHeader.Result.NoSize:
                throw new ImageDecodeException(path, ImageDecodeFailure.Corrupt, $"a {kind} signature, but no image size could be read from the header");
        }
    }

    private static unsafe Image CopyOut(SafeImageHandle handle, string? fileName, PixelFormat format, ImageDecodeOptions options)
    {
        NativeImaging.ThrowIfFailed(
            PaddleNetNative.ImageGetSize(handle, out int height, out int width, out int channels), "PaddleNetNative_ImageGetSize", fileName);
        if (channels != format.ChannelCount())
        {
            throw new PaddleNetImagingException(
                $"{fileName ?? "<memory>"}: the native decoder returned {channels} channels for a {format} decode.");
        }

        long length = (long)height * width * channels;
        if (height <= 0 || width <= 0 || length > Array.MaxLength)
        {
            throw new ImageDecodeException(
                fileName, ImageDecodeFailure.Corrupt, $"decoded size {width}x{height}x{channels} does not fit in one array of at most {Array.MaxLength} bytes");
        }

        // Formats whose header is not read here were decoded under OpenCV's own guard; the limit still holds.
        if ((long)width * height > options.MaxPixels)
        {
            throw new ImageDecodeException(
                fileName, ImageDecodeFailure.TooManyPixels, $"the decoded image has {width}x{height} = {(long)width * height} pixels, more than the limit of {options.MaxPixels} (ImageDecodeOptions.MaxPixels)");
        }

        byte[] pixels = GC.AllocateUninitializedArray<byte>((int)length);
        fixed (byte* dst = pixels)
        {
            NativeImaging.ThrowIfFailed(PaddleNetNative.ImageCopyTo(handle, dst, length), "PaddleNetNative_ImageCopyTo", fileName);
        }

        return new Image(pixels, width, height, format);
    }

    private static int CheckedSize(int width, int height, int channels, string widthName, string heightName)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width, widthName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height, heightName);
        long length = (long)width * height * channels;
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                widthName, $"A {width}x{height}x{channels} image needs {length} bytes, more than one array can hold ({Array.MaxLength}).");
        }

        return (int)length;
    }
}

public sealed partial class Image
{
    /// <summary>
    /// <c>cv2.warpPerspective(src, M, (width, height), flags=interpolation, borderMode=border)</c>; <paramref name="matrix"/>
    /// is the 3×3 row-major source-to-destination matrix. The format is kept.
    /// </summary>
    public unsafe Image WarpPerspective(ReadOnlySpan<double> matrix, int width, int height, Interpolation interpolation, BorderMode border)
    {
        if (matrix.Length != 9) throw new ArgumentException($"Expected a 3x3 matrix (9 values), got {matrix.Length}.", nameof(matrix));
        int length = CheckedSize(width, height, Channels, nameof(width), nameof(height));
        byte[] pixels = GC.AllocateUninitializedArray<byte>(length);
        NativeImaging.EnsureLoaded();
        fixed (byte* src = _pixels)
        fixed (byte* dst = pixels)
        fixed (double* m = matrix)
        {
            NativeImaging.ThrowIfFailed(
                PaddleNetNative.WarpPerspective(src, _pixels.Length, Height, Width, Channels, m, dst, length, height, width, (int)interpolation, (int)border),
                "PaddleNetNative_WarpPerspective");
        }

        return new Image(pixels, width, height, Format);
    }

    /// <summary><c>cv2.rotate(src, rotation)</c>; a quarter turn swaps width and height.</summary>
    public unsafe Image Rotate(Rotation rotation)
    {
        bool quarter = rotation != Rotation.Rotate180;
        byte[] pixels = GC.AllocateUninitializedArray<byte>(_pixels.Length);
        NativeImaging.EnsureLoaded();
        fixed (byte* src = _pixels)
        fixed (byte* dst = pixels)
        {
            NativeImaging.ThrowIfFailed(
                PaddleNetNative.Rotate(src, _pixels.Length, Height, Width, Channels, (int)rotation, dst, pixels.Length),
                "PaddleNetNative_Rotate");
        }

        return quarter ? new Image(pixels, Height, Width, Format) : new Image(pixels, Width, Height, Format);
    }
}

namespace PaddleNet.Imaging;

/// <summary>
/// Root of the errors PaddleNet.Imaging raises on purpose: images that cannot be decoded, a native library
/// that cannot be loaded, or a native call that failed.
/// </summary>
public class PaddleNetImagingException : PaddleNetException
{
    /// <summary>Creates an exception with a message and, when it came from the native shim, its status and text.</summary>
    public PaddleNetImagingException(string message, int nativeStatus = 0, string? nativeMessage = null, Exception? innerException = null)
        : base(message, innerException)
    {
        NativeStatus = nativeStatus;
        NativeMessage = nativeMessage;
    }

    /// <summary>The status code the native shim returned (see <c>paddlenet_native.h</c>), or 0 when none.</summary>
    public int NativeStatus { get; }

    /// <summary>The shim's own error text for <see cref="NativeStatus"/>, or <see langword="null"/>.</summary>
    public string? NativeMessage { get; }
}

/// <summary>Why an image could not be decoded.</summary>
public enum ImageDecodeFailure
{
    /// <summary>The file is missing or unreadable.</summary>
    CannotOpen = 1,

    /// <summary>The file or buffer holds zero bytes.</summary>
    Empty = 2,

    /// <summary>No decoder recognises the data: not an image, or a format the native build lacks.
    /// The format is taken from the bytes, never from the file name.</summary>
    UnknownFormat = 3,

    /// <summary>A decoder took the data but produced no image: truncated or corrupt data. From memory this
    /// also covers data no decoder recognises, because OpenCV's <c>imdecode</c> does not tell the two apart.</summary>
    Corrupt = 4,

    /// <summary>The header declares more pixels than <see cref="ImageDecodeOptions.MaxPixels"/> (a decompression bomb,
    /// or simply too large); refused before decoding.</summary>
    TooManyPixels = 5,

    /// <summary>The file or buffer is larger than <see cref="ImageDecodeOptions.MaxBytes"/>; refused before reading.</summary>
    TooManyBytes = 6,

    /// <summary>The path (symbolic links followed) is a directory, FIFO, socket or device, not a regular file.</summary>
    NotRegularFile = 7,
}

/// <summary>An image file or buffer could not be decoded. Where OpenCV's <c>imread</c> returns "no image",
/// PaddleNet.Imaging throws this, with the file and the reason.</summary>
public sealed class ImageDecodeException : PaddleNetImagingException
{
    /// <summary>Creates the exception for <paramref name="fileName"/> (<see langword="null"/> for a memory buffer).</summary>
    public ImageDecodeException(string? fileName, ImageDecodeFailure reason, string detail, int nativeStatus = 0, string? nativeMessage = null)
        : base($"{fileName ?? "<memory>"}: cannot decode image ({Describe(reason)}): {detail}", nativeStatus, nativeMessage)
    {
        FileName = fileName;
        Reason = reason;
    }

    /// <summary>The path that was given to decode, or <see langword="null"/> when decoding from memory.</summary>
    public string? FileName { get; }

    /// <summary>Why the decode failed.</summary>
    public ImageDecodeFailure Reason { get; }

    private static string Describe(ImageDecodeFailure reason) => reason switch
    {
        ImageDecodeFailure.CannotOpen => "cannot open the file",
        ImageDecodeFailure.Empty => "no data",
        ImageDecodeFailure.UnknownFormat => "unknown format",
        ImageDecodeFailure.Corrupt => "truncated or corrupt data",
        ImageDecodeFailure.TooManyPixels => "too many pixels",
        ImageDecodeFailure.TooManyBytes => "too many bytes",
        ImageDecodeFailure.NotRegularFile => "not a regular file",
        _ => reason.ToString(),
    };
}

/// <summary>The native shim <c>paddlenet_native</c> could not be loaded, or has the wrong ABI version.</summary>
public sealed class NativeImagingLibraryException : PaddleNetImagingException
{
    /// <summary>Creates the exception with the candidate locations that were tried, in order.</summary>
    public NativeImagingLibraryException(string message, IReadOnlyList<string> probedPaths, Exception? innerException = null)
        : base(message, innerException: innerException)
    {
        ProbedPaths = probedPaths;
    }

    /// <summary>Every location tried, in order (the first entry describes .NET's default probing).</summary>
    public IReadOnlyList<string> ProbedPaths { get; }
}

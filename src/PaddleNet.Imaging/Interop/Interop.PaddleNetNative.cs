using System.Runtime.InteropServices;

namespace PaddleNet.Imaging.Interop;

/// <summary>
/// Every P/Invoke into <c>libpaddlenet_native</c> (native/include/paddlenet_native.h). All functions return an
/// int32 status that callers pass to <see cref="NativeImaging.ThrowIfFailed"/>; call
/// <see cref="NativeImaging.EnsureLoaded"/> first, which resolves the library and checks its ABI version.
/// </summary>
internal static unsafe partial class PaddleNetNative
{
    /// <summary>Library name without prefix or extension: .NET maps it to libpaddlenet_native.so / paddlenet_native.dll.</summary>
    internal const string LibraryName = "paddlenet_native";

    /// <summary>The ABI version this assembly was written against (PADDLENET_NATIVE_ABI_VERSION).</summary>
    internal const int AbiVersion = 3;

    // Status codes (PADDLENET_NATIVE_*).
    internal const int Ok = 0;
    internal const int InvalidArgument = 1;
    internal const int BufferTooSmall = 2;
    internal const int FileOpenFailed = 3;
    internal const int EmptyInput = 4;
    internal const int UnknownFormat = 5;
    internal const int DecodeFailed = 6;
    internal const int OutOfMemory = 7;
    internal const int Backend = 8;
    internal const int Internal = 9;

    // Decode modes (cv::ImreadModes).
    internal const int DecodeGrayscale = 0;
    internal const int DecodeColor = 1;

    // Colour conversion codes (cv::ColorConversionCodes).
    internal const int ColorBgra2Bgr = 1;
    internal const int ColorBgra2Rgb = 3;
    internal const int ColorBgr2Rgb = 4;
    internal const int ColorBgr2Gray = 6;
    internal const int ColorRgb2Gray = 7;
    internal const int ColorGray2Bgr = 8;
    internal const int ColorBgra2Gray = 10;
    internal const int ColorRgba2Gray = 11;

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_GetAbiVersion")]
    internal static partial int GetAbiVersion();

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_GetLastErrorMessage")]
    internal static partial int GetLastErrorMessage(byte* buffer, int capacity, out int length);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_GetBackendVersion")]
    internal static partial int GetBackendVersion(byte* buffer, int capacity, out int length);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_DecodeFile", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int DecodeFile(string path, int mode, out SafeImageHandle image);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_DecodeMemory")]
    internal static partial int DecodeMemory(byte* data, long length, int mode, out SafeImageHandle image);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_ImageGetSize")]
    internal static partial int ImageGetSize(SafeImageHandle image, out int height, out int width, out int channels);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_ImageCopyTo")]
    internal static partial int ImageCopyTo(SafeImageHandle image, byte* destination, long capacity);

    /// <summary>Only <see cref="SafeImageHandle.ReleaseHandle"/> calls this.</summary>
    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_ImageDestroy")]
    internal static partial int ImageDestroy(IntPtr image);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_Resize")]
    internal static partial int Resize(
        byte* source, long sourceLength, int sourceHeight, int sourceWidth, int channels,
        byte* destination, long destinationCapacity, int destinationHeight, int destinationWidth, int interpolation);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_CvtColor")]
    internal static partial int CvtColor(
        byte* source, long sourceLength, int height, int width, int code, byte* destination, long destinationCapacity);

    // Drawing (cv::LineTypes, cv::HersheyFonts).
    internal const int Line8 = 8;
    internal const int LineAA = 16;
    internal const int FontHersheySimplex = 0;

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_ResizeScale")]
    internal static partial int ResizeScale(
        byte* source, long sourceLength, int sourceHeight, int sourceWidth, int channels, double fx, double fy,
        int interpolation, byte* destination, long destinationCapacity, int destinationHeight, int destinationWidth);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_DrawRectangle")]
    internal static partial int DrawRectangle(
        byte* image, long length, int height, int width, int channels, int x1, int y1, int x2, int y2,
        byte* color, int colorLength, int thickness, int lineType);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_DrawText", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int DrawText(
        byte* image, long length, int height, int width, int channels, string text, int x, int y,
        int fontFace, double fontScale, byte* color, int colorLength, int thickness, int lineType);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_FontsSupported")]
    internal static partial int FontsSupported(out int supported);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_DrawTextFont", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int DrawTextFont(
        byte* image, long length, int height, int width, int channels, string fontPath, string text, int x, int y,
        int pixelHeight, byte* color, int colorLength, out int advance);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_GetTextSize", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int GetTextSize(string text, int fontFace, double fontScale, int thickness, out int width, out int height, out int baseline);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_Encode", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Encode(
        byte* source, long sourceLength, int height, int width, int channels, string extension, int quality, out SafeBufferHandle buffer);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_BufferGetSize")]
    internal static partial int BufferGetSize(SafeBufferHandle buffer, out long length);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_BufferCopyTo")]
    internal static partial int BufferCopyTo(SafeBufferHandle buffer, byte* destination, long capacity);

    /// <summary>Only <see cref="SafeBufferHandle.ReleaseHandle"/> calls this.</summary>
    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_BufferDestroy")]
    internal static partial int BufferDestroy(IntPtr buffer);

    // Border modes (cv::BorderTypes) and rotations (cv::RotateFlags).
    internal const int BorderConstant = 0;
    internal const int BorderReplicate = 1;

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_WarpPerspective")]
    internal static partial int WarpPerspective(
        byte* source, long sourceLength, int sourceHeight, int sourceWidth, int channels, double* matrix,
        byte* destination, long destinationCapacity, int destinationHeight, int destinationWidth, int interpolation, int borderMode);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_Rotate")]
    internal static partial int Rotate(
        byte* source, long sourceLength, int sourceHeight, int sourceWidth, int channels, int code, byte* destination, long destinationCapacity);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_FindContours")]
    internal static partial int FindContours(byte* mask, long length, int height, int width, out SafeContoursHandle contours);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_ContoursGetSize")]
    internal static partial int ContoursGetSize(SafeContoursHandle contours, out int count, out long totalPoints);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_ContoursCopyTo")]
    internal static partial int ContoursCopyTo(SafeContoursHandle contours, int* lengths, int lengthsCapacity, int* points, long pointsCapacity);

    /// <summary>Only <see cref="SafeContoursHandle.ReleaseHandle"/> calls this.</summary>
    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_ContoursDestroy")]
    internal static partial int ContoursDestroy(IntPtr contours);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_MinAreaRect")]
    internal static partial int MinAreaRect(int* points, int count, float* rect);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_BoxPoints")]
    internal static partial int BoxPoints(float* rect, float* corners);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_PolygonMean")]
    internal static partial int PolygonMean(
        float* map, long length, int height, int width, int x0, int y0, int x1, int y1, int* points, int count, out double mean);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_GetPerspectiveTransform")]
    internal static partial int GetPerspectiveTransform(float* source, float* destination, double* matrix);

    [LibraryImport(LibraryName, EntryPoint = "PaddleNetNative_DrawPolygon")]
    internal static partial int DrawPolygon(
        byte* image, long length, int height, int width, int channels, int* points, int count, int closed,
        byte* color, int colorLength, int thickness, int lineType);
}

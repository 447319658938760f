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
    internal const int AbiVersion = 1;

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
}

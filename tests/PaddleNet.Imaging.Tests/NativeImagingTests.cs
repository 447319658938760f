using PaddleNet.Imaging.Interop;

namespace PaddleNet.Imaging.Tests;

/// <summary>Loading of the native shim and the status-to-exception mapping.</summary>
public sealed class NativeImagingTests
{
    [Fact]
    public void EnsureLoaded_RepoBuild_LoadsAndChecksAbiVersion()
    {
        NativeImaging.EnsureLoaded();

        Assert.NotNull(NativeImaging.LoadedFrom);
        Assert.Equal(PaddleNetNative.AbiVersion, PaddleNetNative.GetAbiVersion());
    }

    [Fact]
    public void BackendVersion_Loaded_IsOpenCv4()
    {
        Assert.StartsWith("4.", NativeImaging.BackendVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void CandidatePaths_FromTestOutput_IncludeRepoBuildFolder()
    {
        string expected = Path.Combine(SharedData.RepoRoot, "build", "native", "runtimes", NativeImaging.RuntimeIdentifier, "native", NativeImaging.LibraryFileName);

        Assert.Contains(expected, NativeImaging.CandidatePaths());
    }

    [Fact]
    public void ThrowIfFailed_Ok_DoesNotThrow()
    {
        NativeImaging.ThrowIfFailed(PaddleNetNative.Ok, "test");
    }

    [Fact]
    public void ThrowIfFailed_NativeError_CarriesStatusAndNativeMessage()
    {
        NativeImaging.EnsureLoaded();
        int status;
        unsafe
        {
            status = PaddleNetNative.CvtColor(null, 0, 1, 1, 999, null, 0);
        }

        var e = Assert.Throws<PaddleNetImagingException>(() => NativeImaging.ThrowIfFailed(status, "PaddleNetNative_CvtColor"));

        Assert.Equal(PaddleNetNative.InvalidArgument, e.NativeStatus);
        Assert.NotNull(e.NativeMessage);
        Assert.Contains("must not be null", e.NativeMessage, StringComparison.Ordinal);
        Assert.Contains("PADDLENET_NATIVE_E_INVALID_ARGUMENT", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LastErrorMessage_AfterSuccess_IsEmpty()
    {
        NativeImaging.EnsureLoaded();
        Assert.Throws<ImageDecodeException>(() => Image.Decode(ReadOnlySpan<byte>.Empty));

        _ = Image.FromPixels(new byte[3], 1, 1, PixelFormat.Bgr).ToRgb();

        Assert.Equal(string.Empty, NativeImaging.LastErrorMessage());
    }
}

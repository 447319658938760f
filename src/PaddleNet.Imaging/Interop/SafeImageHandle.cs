using Microsoft.Win32.SafeHandles;

namespace PaddleNet.Imaging.Interop;

/// <summary>Owns a <c>PaddleNetNative_Image*</c> (a decoded image held by the shim) and destroys it on release.</summary>
internal sealed class SafeImageHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Used by the P/Invoke marshaller for <c>out SafeImageHandle</c>.</summary>
    public SafeImageHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => PaddleNetNative.ImageDestroy(handle) == PaddleNetNative.Ok;
}

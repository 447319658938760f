using Microsoft.Win32.SafeHandles;

namespace PaddleNet.Imaging.Interop;

/// <summary>Owns a <c>PaddleNetNative_Contours*</c> (the result of <c>findContours</c>) and destroys it on release.</summary>
internal sealed class SafeContoursHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Used by the P/Invoke marshaller for <c>out SafeContoursHandle</c>.</summary>
    public SafeContoursHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => PaddleNetNative.ContoursDestroy(handle) == PaddleNetNative.Ok;
}

using Microsoft.Win32.SafeHandles;

namespace PaddleNet.Imaging.Interop;

/// <summary>Owns a <c>PaddleNetNative_Buffer*</c> (encoded bytes held by the shim) and destroys it on release.</summary>
internal sealed class SafeBufferHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Used by the P/Invoke marshaller for <c>out SafeBufferHandle</c>.</summary>
    public SafeBufferHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => PaddleNetNative.BufferDestroy(handle) == PaddleNetNative.Ok;
}

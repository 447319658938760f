using System.Runtime.InteropServices;

namespace PaddleNet.Serving.Hosting;

/// <summary>
/// glibc's malloc, for the memory that comes back after load: <c>malloc_trim</c> returns the free pages of every arena
/// (OpenCV's decode buffers, the native shim's) to the kernel, and <c>mallinfo2</c> reports what malloc holds. Both are
/// glibc only (2.33+ for mallinfo2). The library is opened as <c>libc.so.6</c> and each symbol looked up once, so the
/// answer is exact under NativeAOT too (which does not map the name "libc" as CoreCLR does), nothing throws per call,
/// and elsewhere (musl, Windows, macOS) both are simply absent.
/// </summary>
internal static unsafe class NativeHeap
{
    private static readonly delegate* unmanaged<nuint, int> s_trim;
    private static readonly delegate* unmanaged<Mallinfo2> s_info;

    static NativeHeap()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc)) return;
        if (NativeLibrary.TryGetExport(libc, "malloc_trim", out var trim)) s_trim = (delegate* unmanaged<nuint, int>)trim;
        if (NativeLibrary.TryGetExport(libc, "mallinfo2", out var info)) s_info = (delegate* unmanaged<Mallinfo2>)info;
    }

    /// <summary>Returns free malloc pages to the kernel; false when there is no glibc malloc to trim.</summary>
    public static bool Trim()
    {
        if (s_trim == null) return false;
        s_trim(0);
        return true;
    }

    /// <summary>Bytes malloc has handed out and bytes it holds free (both arenas and mmapped blocks), or null.</summary>
    public static (long InUse, long Free)? Info()
    {
        if (s_info == null) return null;
        var m = s_info();
        return ((long)(m.Uordblks + m.Hblkhd), (long)m.Fordblks);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Mallinfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }
}

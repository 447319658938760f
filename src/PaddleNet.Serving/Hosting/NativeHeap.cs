using System.Runtime.InteropServices;

namespace PaddleNet.Serving.Hosting;

/// <summary>
/// glibc's malloc, for the memory that comes back after load: <c>malloc_trim</c> returns the free pages of every arena
/// (OpenCV's decode buffers, the native shim's) to the kernel, and <c>mallinfo2</c> reports what malloc holds. Both are
/// glibc only (2.33+ for mallinfo2): elsewhere (musl, Windows, macOS) the calls are skipped.
/// </summary>
internal static partial class NativeHeap
{
    private static int s_state = OperatingSystem.IsLinux() ? 0 : -1; // 0 unknown, 1 available, -1 not glibc

    /// <summary>Returns free malloc pages to the kernel; false when there is no glibc malloc to trim.</summary>
    public static bool Trim()
    {
        if (Volatile.Read(ref s_state) < 0) return false;
        try
        {
            MallocTrim(0);
            Volatile.Write(ref s_state, 1);
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref s_state, -1);
            return false;
        }
    }

    /// <summary>Bytes malloc has handed out and bytes it holds free (both arenas and mmapped blocks), or null.</summary>
    public static (long InUse, long Free)? Info()
    {
        if (Volatile.Read(ref s_state) < 0) return null;
        try
        {
            var m = MallInfo2();
            return ((long)(m.Uordblks + m.Hblkhd), (long)m.Fordblks);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Mallinfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial Mallinfo2 MallInfo2();
}

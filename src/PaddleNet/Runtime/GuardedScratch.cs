using System.Runtime.InteropServices;

namespace PaddleNet.Runtime;

/// <summary>
/// A checking mode for scratch memory (<c>PADDLENET_SCRATCH_GUARD=1</c>, Linux): each pinned scratch request is its own
/// anonymous mapping, NaN-filled, its first float right after a no-access page and its last right before another, and a
/// replaced mapping is unmapped. A kernel that writes past either end of what it asked for, or keeps a pointer across a
/// re-request of the same slot, faults on the spot with the guilty instruction on the stack, where the pooled arrays would
/// silently corrupt a neighbour. Slow (system calls per differently sized request); for test runs, never for production.
/// </summary>
internal static unsafe class GuardedScratch
{
    public static readonly bool Enabled = OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("PADDLENET_SCRATCH_GUARD") == "1";

    private const int ProtNone = 0, ProtRead = 1, ProtWrite = 2, MapPrivate = 0x02, MapAnonymous = 0x20;

    internal struct Block
    {
        public float* Data;
        public long Floats;
        public nint Mapping;
        public nint MappedBytes;
    }

    /// <summary>
    /// <paramref name="floats"/> floats between two no-access pages (an overrun or an underrun faults), filled with NaN so a
    /// kernel reading scratch it never wrote shows in its output instead of reading a fresh mapping's zeros.
    /// </summary>
    public static Block Allocate(long floats)
    {
        long page = Environment.SystemPageSize;
        long bytes = floats * sizeof(float);
        long mapped = (bytes + page - 1) / page * page + 2 * page;
        nint m = mmap(0, (nint)mapped, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (m == -1) throw new OutOfMemoryException($"scratch guard: mmap of {mapped} bytes failed (errno {Marshal.GetLastPInvokeError()})");
        if (mprotect(m, (nint)page, ProtNone) != 0 || mprotect(m + (nint)(mapped - page), (nint)page, ProtNone) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            munmap(m, (nint)mapped);
            throw new InvalidOperationException($"scratch guard: mprotect failed (errno {errno})");
        }
        var data = (float*)(m + (nint)(mapped - page - bytes));
        new Span<float>(data, checked((int)floats)).Fill(float.NaN);
        return new Block { Data = data, Floats = floats, Mapping = m, MappedBytes = (nint)mapped };
    }

    public static void Free(ref Block b)
    {
        if (b.Mapping != 0) munmap(b.Mapping, b.MappedBytes);
        b = default;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern nint mmap(nint addr, nint length, int prot, int flags, int fd, nint offset);

    [DllImport("libc", SetLastError = true)]
    private static extern int mprotect(nint addr, nint length, int prot);

    [DllImport("libc", SetLastError = true)]
    private static extern int munmap(nint addr, nint length);
}

using System.Globalization;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Runtime;

/// <summary>The scratch guard mode (PADDLENET_SCRATCH_GUARD=1, used by the ISA reruns of scripts/test) really fences each request.</summary>
public sealed unsafe class GuardedScratchTests
{
    /// <summary>
    /// A block's floats are readable, writable and NaN to start with, and the pages right before its first float's page
    /// and right after its last float are mapped with no access (per /proc/self/maps).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(1024)]
    [InlineData(1025)]
    [InlineData(100_000)]
    public void Block_SitsBetweenNoAccessPages(long floats)
    {
        if (!OperatingSystem.IsLinux()) return; // the guard mode maps memory with Linux's mmap
        var b = GuardedScratch.Allocate(floats);
        try
        {
            Assert.True(float.IsNaN(b.Data[0]) && float.IsNaN(b.Data[floats - 1]));
            b.Data[0] = 1f;
            b.Data[floats - 1] = 2f;
            Assert.Equal(2f, b.Data[floats - 1]);
            ulong start = (ulong)b.Data, end = (ulong)(b.Data + floats), page = (ulong)Environment.SystemPageSize;
            Assert.Equal(0UL, end % page);
            Assert.Equal("---p", Protection(end));
            Assert.Equal("rw-p", Protection(end - 4));
            Assert.Equal("rw-p", Protection(start));
            Assert.Equal("---p", Protection(start / page * page - 1));
        }
        finally
        {
            GuardedScratch.Free(ref b);
        }
    }

    /// <summary>The protection flags of the mapping holding <paramref name="address"/>, or null when none does.</summary>
    private static string? Protection(ulong address)
    {
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var parts = line.Split(' ', 3);
            var range = parts[0].Split('-');
            ulong lo = ulong.Parse(range[0], NumberStyles.HexNumber), hi = ulong.Parse(range[1], NumberStyles.HexNumber);
            if (address >= lo && address < hi) return parts[1];
        }
        return null;
    }
}

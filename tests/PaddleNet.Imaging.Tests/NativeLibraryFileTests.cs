using System.Buffers.Binary;
using PaddleNet.Imaging.Interop;

namespace PaddleNet.Imaging.Tests;

/// <summary>The header sniffing behind "wrong architecture" messages (PE/COFF machine field, ELF e_machine).</summary>
public sealed class NativeLibraryFileTests
{
    private static byte[] Pe(ushort machine)
    {
        var b = new byte[0x200];
        b[0] = (byte)'M';
        b[1] = (byte)'Z';
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(0x3C), 0x80);
        "PE\0\0"u8.CopyTo(b.AsSpan(0x80));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(0x84), machine);
        return b;
    }

    private static byte[] Elf(ushort machine)
    {
        var b = new byte[64];
        "\u007fELF"u8.CopyTo(b);
        b[4] = 2;
        b[5] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(18), machine);
        return b;
    }

    [Theory]
    [InlineData((ushort)0x8664, "win-x64")]
    [InlineData((ushort)0x014C, "win-x86")]
    [InlineData((ushort)0xAA64, "win-arm64")]
    [InlineData((ushort)0x0200, "a Windows DLL for machine type 0x0200")]
    public void Identify_PeMachine(ushort machine, string expected)
    {
        Assert.Equal(expected, NativeLibraryFile.Identify(Pe(machine)));
    }

    [Theory]
    [InlineData((ushort)0x3E, "linux-x64")]
    [InlineData((ushort)0xB7, "linux-arm64")]
    public void Identify_ElfMachine(ushort machine, string expected)
    {
        Assert.Equal(expected, NativeLibraryFile.Identify(Elf(machine)));
    }

    [Fact]
    public void Identify_OtherBytes_SaysWhatItIsNot()
    {
        Assert.Equal("an empty file", NativeLibraryFile.Identify(ReadOnlySpan<byte>.Empty));
        Assert.Equal("not a native library", NativeLibraryFile.Identify("<html>not found</html>"u8));
        byte[] dosOnly = Pe(0x8664);
        dosOnly[0x80] = (byte)'X';
        Assert.Equal("an MS-DOS executable, not a Windows DLL", NativeLibraryFile.Identify(dosOnly));
        byte[] badOffset = Pe(0x8664);
        BinaryPrimitives.WriteInt32LittleEndian(badOffset.AsSpan(0x3C), int.MaxValue);
        Assert.Equal("an MS-DOS executable, not a Windows DLL", NativeLibraryFile.Identify(badOffset));
    }

    [Fact]
    public void Identify_TheShimThisProcessLoaded_IsThisProcessRid()
    {
        NativeImaging.EnsureLoaded();
        string? loaded = NativeImaging.CandidatePaths().FirstOrDefault(File.Exists);

        Assert.NotNull(loaded);
        Assert.Equal(NativeImaging.RuntimeIdentifier, NativeLibraryFile.Identify(loaded));
        Assert.Null(NativeLibraryFile.Mismatch(loaded, NativeImaging.RuntimeIdentifier));
    }

    [Fact]
    public void Mismatch_WrongArchitectureFile_NamesBoth()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Pe(0x014C));
            Assert.Equal("it is a win-x86 library, but this process is win-x64", NativeLibraryFile.Mismatch(path, "win-x64"));

            File.WriteAllBytes(path, Elf(0x3E));
            Assert.Equal("it is a linux-x64 library, but this process is win-x64", NativeLibraryFile.Mismatch(path, "win-x64"));

            File.WriteAllBytes(path, "text"u8.ToArray());
            Assert.Equal("it is not a native library, but this process needs a win-x64 library", NativeLibraryFile.Mismatch(path, "win-x64"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

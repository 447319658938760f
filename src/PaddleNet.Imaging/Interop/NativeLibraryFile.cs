using System.Buffers.Binary;

namespace PaddleNet.Imaging.Interop;

/// <summary>
/// Says what kind of native library a file is from its header (PE machine, ELF machine, Mach-O), so that a load
/// failure can say "this is a 32-bit DLL, this process is win-x64" instead of .NET's bare BadImageFormatException.
/// </summary>
internal static class NativeLibraryFile
{
    /// <summary>The file's format and architecture as .NET names RIDs (e.g. "win-x86"), or a description of what it
    /// is instead; <see langword="null"/> when it cannot be read.</summary>
    internal static string? Identify(string path)
    {
        byte[] head;
        try
        {
            using var stream = File.OpenRead(path);
            head = new byte[4096];
            head = head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return Identify(head);
    }

    /// <summary><see cref="Identify(string)"/> on the first bytes of a file (4 KiB is plenty).</summary>
    internal static string Identify(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 0x40 && head[0] == 'M' && head[1] == 'Z')
        {
            int pe = BinaryPrimitives.ReadInt32LittleEndian(head[0x3C..]);
            if (pe < 0 || pe > head.Length - 6 || !head.Slice(pe, 4).SequenceEqual("PE\0\0"u8))
            {
                return "an MS-DOS executable, not a Windows DLL";
            }

            ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(head[(pe + 4)..]);
            return machine switch
            {
                0x8664 => "win-x64",
                0x014C => "win-x86",
                0xAA64 => "win-arm64",
                0x01C4 => "win-arm",
                _ => $"a Windows DLL for machine type 0x{machine:X4}",
            };
        }

        if (head.Length >= 20 && head[..4].SequenceEqual("\u007fELF"u8))
        {
            bool little = head[5] == 1;
            ushort machine = little ? BinaryPrimitives.ReadUInt16LittleEndian(head[18..]) : BinaryPrimitives.ReadUInt16BigEndian(head[18..]);
            return machine switch
            {
                0x3E => "linux-x64",
                0xB7 => "linux-arm64",
                0x03 => "linux-x86",
                0x28 => "linux-arm",
                _ => $"an ELF (Linux) library for machine type 0x{machine:X}",
            };
        }

        if (head.Length >= 4)
        {
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(head);
            if (magic is 0xFEEDFACF or 0xFEEDFACE or 0xBEBAFECA)
            {
                return "a macOS (Mach-O) library";
            }
        }

        return head.Length == 0 ? "an empty file" : "not a native library";
    }

    /// <summary>Why <paramref name="path"/> cannot be this process's shim, when its header already says so;
    /// <see langword="null"/> when it looks right (then the failure is a missing dependency or a broken file).</summary>
    internal static string? Mismatch(string path, string processRid)
    {
        string? kind = Identify(path);
        if (kind is null || kind == processRid)
        {
            return null;
        }

        return kind.Contains('-', StringComparison.Ordinal) && !kind.Contains(' ', StringComparison.Ordinal)
            ? $"it is a {kind} library, but this process is {processRid}"
            : $"it is {kind}, but this process needs a {processRid} library";
    }
}

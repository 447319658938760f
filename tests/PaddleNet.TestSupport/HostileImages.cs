using System.Buffers.Binary;
using System.IO.Compression;

namespace PaddleNet.TestSupport;

/// <summary>Hostile images built in the tests (never stored): decompression bombs and headers that lie.</summary>
public static class HostileImages
{
    private static readonly Lazy<byte[]> s_bomb = new(() => PngBomb(20000, 20000));

    /// <summary>A real PNG bomb: 20000×20000 8-bit gray (400 MB of pixels) whose IDAT is a valid zlib stream of zero
    /// rows, a few hundred KB. Built once per test run.</summary>
    public static byte[] Bomb => s_bomb.Value;

    public static byte[] PngBomb(int width, int height)
    {
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[width + 1]; // filter byte 0, then zero pixels
            for (int y = 0; y < height; y++) z.Write(row);
        }

        return Png(width, height, colorType: 0, idat.ToArray());
    }

    /// <summary>A PNG with the given IHDR size and colour type (8-bit) and <paramref name="idat"/> as its only data chunk.</summary>
    public static byte[] Png(int width, int height, byte colorType, byte[] idat)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = colorType;
        Chunk(png, "IHDR"u8, ihdr);
        Chunk(png, "IDAT"u8, idat);
        Chunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, data.Length);
        s.Write(b);
        var crcInput = new byte[4 + data.Length];
        type.CopyTo(crcInput);
        data.CopyTo(crcInput.AsSpan(4));
        s.Write(crcInput);
        BinaryPrimitives.WriteUInt32BigEndian(b, Crc32(crcInput));
        s.Write(b);
    }

    // PNG's CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), bit by bit: a few chunks only.
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte d in data)
        {
            crc ^= d;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }

        return ~crc;
    }

    /// <summary>A baseline JPEG start whose frame header declares <paramref name="width"/>×<paramref name="height"/>, then nothing.</summary>
    public static byte[] JpegDeclaring(ushort width, ushort height) =>
        [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0];

    /// <summary>A TIFF whose first IFD declares <paramref name="width"/>×<paramref name="height"/> (LONG values) and nothing else.</summary>
    public static byte[] TiffDeclaring(uint width, uint height)
    {
        var tiff = new byte[8 + 2 + 2 * 12 + 4];
        "II*\0"u8.CopyTo(tiff);
        BinaryPrimitives.WriteInt32LittleEndian(tiff.AsSpan(4), 8);
        BinaryPrimitives.WriteInt16LittleEndian(tiff.AsSpan(8), 2);
        for (int i = 0; i < 2; i++)
        {
            var e = tiff.AsSpan(10 + 12 * i);
            BinaryPrimitives.WriteUInt16LittleEndian(e, (ushort)(256 + i));
            BinaryPrimitives.WriteUInt16LittleEndian(e[2..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(e[4..], 1);
            BinaryPrimitives.WriteUInt32LittleEndian(e[8..], i == 0 ? width : height);
        }

        return tiff;
    }
}

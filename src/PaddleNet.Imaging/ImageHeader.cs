using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace PaddleNet.Imaging;

/// <summary>
/// Reads the pixel size an encoded image declares, from its header only, so that a decompression bomb (a small file
/// declaring 20000×20000 pixels) is refused before any decoder allocates. Covers what OpenCV decodes: PNG (IHDR),
/// JPEG (the first SOFn), WebP (VP8, VP8L, VP8X), BMP, TIFF and BigTIFF (first IFD), PNM/PAM/PFM, Sun raster and
/// Radiance HDR. The data is hostile: every offset is bounds-checked and a short read means "no size".
/// </summary>
internal static class ImageHeader
{
    /// <summary>What the header says.</summary>
    internal enum Result
    {
        /// <summary>No known signature: the decoder decides (OpenCV keeps its own 2^30-pixel guard).</summary>
        UnknownFormat,

        /// <summary>A known signature whose header holds no readable size (truncated or corrupt).</summary>
        NoSize,

        /// <summary><c>width</c> and <c>height</c> were read.</summary>
        Size,
    }

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    // Larger values are clamped: anything past this is over every limit, and the product stays in a ulong.
    private const ulong Clamp = 1UL << 31;

    internal static Result Read(ref Source source, out string format, out ulong width, out ulong height)
    {
        width = height = 0;
        Span<byte> head = stackalloc byte[32];
        int n = source.Read(0, head);
        head = head[..n];
        format = "?";
        if (n >= 8 && head[..8].SequenceEqual(PngSignature))
        {
            format = "PNG";
            // IHDR must be the first chunk: length (4), "IHDR", width (4, BE), height (4, BE).
            if (n < 24 || !head[12..16].SequenceEqual("IHDR"u8)) return Result.NoSize;
            return Done(BinaryPrimitives.ReadUInt32BigEndian(head[16..]), BinaryPrimitives.ReadUInt32BigEndian(head[20..]), out width, out height);
        }

        if (n >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            format = "JPEG";
            return Jpeg(ref source, out width, out height);
        }

        if (n >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            format = "WebP";
            return WebP(head, out width, out height);
        }

        if (n >= 2 && head[0] == (byte)'B' && head[1] == (byte)'M')
        {
            format = "BMP";
            if (n < 26) return Result.NoSize;
            uint dib = BinaryPrimitives.ReadUInt32LittleEndian(head[14..]);
            if (dib == 12)
            {
                return Done(BinaryPrimitives.ReadUInt16LittleEndian(head[18..]), BinaryPrimitives.ReadUInt16LittleEndian(head[20..]), out width, out height);
            }

            // Height is negative for top-down rows.
            return Done(Abs(BinaryPrimitives.ReadInt32LittleEndian(head[18..])), Abs(BinaryPrimitives.ReadInt32LittleEndian(head[22..])), out width, out height);
        }

        if (n >= 4 && ((head[0] == 'I' && head[1] == 'I') || (head[0] == 'M' && head[1] == 'M')))
        {
            bool little = head[0] == 'I';
            ushort version = little ? BinaryPrimitives.ReadUInt16LittleEndian(head[2..]) : BinaryPrimitives.ReadUInt16BigEndian(head[2..]);
            if (version is 42 or 43)
            {
                format = version == 42 ? "TIFF" : "BigTIFF";
                return Tiff(ref source, head, little, version == 43, out width, out height);
            }
        }

        if (n >= 4 && BinaryPrimitives.ReadUInt32BigEndian(head) == 0x59A66A95)
        {
            format = "Sun raster";
            if (n < 12) return Result.NoSize;
            return Done(BinaryPrimitives.ReadUInt32BigEndian(head[4..]), BinaryPrimitives.ReadUInt32BigEndian(head[8..]), out width, out height);
        }

        if (n >= 2 && head[0] == 'P' && (head[1] is (byte)'F' or (byte)'f' || head[1] is >= (byte)'1' and <= (byte)'7'))
        {
            format = head[1] == '7' ? "PAM" : head[1] is (byte)'F' or (byte)'f' ? "PFM" : "PNM";
            return Text(ref source, head[1] == '7' ? TextKind.Pam : TextKind.Pnm, out width, out height);
        }

        if (n >= 2 && head[0] == '#' && head[1] == '?')
        {
            format = "Radiance HDR";
            return Text(ref source, TextKind.Hdr, out width, out height);
        }

        return Result.UnknownFormat;
    }

    private static ulong Abs(int value) => value < 0 ? (ulong)-(long)value : (ulong)value;

    private static Result Done(ulong w, ulong h, out ulong width, out ulong height)
    {
        width = Math.Min(w, Clamp);
        height = Math.Min(h, Clamp);
        return Result.Size;
    }

    private static Result Jpeg(ref Source source, out ulong width, out ulong height)
    {
        width = height = 0;
        Span<byte> b = stackalloc byte[9];
        long at = 2;
        // Walk the marker segments to the first frame header; every step moves forward, so this ends.
        while (true)
        {
            if (source.Read(at, b[..2]) < 2) return Result.NoSize;
            if (b[0] != 0xFF)
            {
                at++; // libjpeg skips stray bytes before a marker (with a warning), so this reader does too
                continue;
            }

            byte marker = b[1];
            if (marker == 0xFF)
            {
                at++; // fill byte
                continue;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD8))
            {
                at += 2; // markers without a length
                continue;
            }

            if (marker is 0xD9 or 0xDA) return Result.NoSize; // end of image or scan data before any frame header
            if (source.Read(at + 2, b) < 2) return Result.NoSize;
            int length = BinaryPrimitives.ReadUInt16BigEndian(b);
            if (length < 2) return Result.NoSize;
            bool frame = marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);
            if (frame)
            {
                // length (2), precision (1), height (2), width (2)
                if (length < 7 || source.Read(at + 2, b[..7]) < 7) return Result.NoSize;
                return Done(BinaryPrimitives.ReadUInt16BigEndian(b[5..]), BinaryPrimitives.ReadUInt16BigEndian(b[3..]), out width, out height);
            }

            at += 2 + length;
        }
    }

    private static Result WebP(ReadOnlySpan<byte> head, out ulong width, out ulong height)
    {
        width = height = 0;
        if (head.Length < 30) return Result.NoSize;
        ReadOnlySpan<byte> data = head[20..];
        ReadOnlySpan<byte> chunk = head[12..16];
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // frame tag (3), start code 9D 01 2A, then 14-bit width and height
            if (data[3] != 0x9D || data[4] != 0x01 || data[5] != 0x2A) return Result.NoSize;
            return Done(BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 0x3FFFu, BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) & 0x3FFFu, out width, out height);
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            if (data[0] != 0x2F) return Result.NoSize;
            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(data[1..]);
            return Done((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, out width, out height);
        }

        if (chunk.SequenceEqual("VP8X"u8))
        {
            // flags (1), reserved (3), canvas width - 1 (24 bits), canvas height - 1 (24 bits)
            uint w = data[4] | ((uint)data[5] << 8) | ((uint)data[6] << 16);
            uint h = data[7] | ((uint)data[8] << 8) | ((uint)data[9] << 16);
            return Done(w + 1UL, h + 1UL, out width, out height);
        }

        return Result.NoSize;
    }

    private static Result Tiff(ref Source source, scoped ReadOnlySpan<byte> head, bool little, bool big, out ulong width, out ulong height)
    {
        width = height = 0;
        if (head.Length < (big ? 16 : 8)) return Result.NoSize;
        ulong ifd = big ? U64(head[8..], little) : U32(head[4..], little);
        if (ifd > long.MaxValue) return Result.NoSize;
        Span<byte> b = stackalloc byte[20];
        int countSize = big ? 8 : 2, entrySize = big ? 20 : 12;
        if (source.Read((long)ifd, b[..countSize]) < countSize) return Result.NoSize;
        ulong count = big ? U64(b, little) : U16(b, little);
        ulong w = 0, h = 0;
        // The first IFD is the image imread decodes; 4096 entries is far beyond any real file.
        for (ulong i = 0; i < Math.Min(count, 4096); i++)
        {
            long at = (long)ifd + countSize + (long)i * entrySize;
            if (source.Read(at, b[..entrySize]) < entrySize) return Result.NoSize;
            ushort tag = U16(b, little), type = U16(b[2..], little);
            if (tag is not (256 or 257)) continue;
            ReadOnlySpan<byte> value = b[(big ? 12 : 8)..];
            ulong v = type switch
            {
                3 => U16(value, little),
                4 => U32(value, little),
                16 when big => U64(value, little),
                _ => 0,
            };
            if (tag == 256) w = v;
            else h = v;
        }

        return w == 0 || h == 0 ? Result.NoSize : Done(w, h, out width, out height);
    }

    private enum TextKind { Pnm, Pam, Hdr }

    private static Result Text(ref Source source, TextKind kind, out ulong width, out ulong height)
    {
        width = height = 0;
        Span<byte> text = stackalloc byte[4096];
        text = text[..source.Read(0, text)];
        if (kind == TextKind.Pnm)
        {
            // "P6 <w> <h> ..." with whitespace and '#' comments between tokens.
            int at = 2;
            return Number(text, ref at, out ulong w) && Number(text, ref at, out ulong h) ? Done(w, h, out width, out height) : Result.NoSize;
        }

        ulong pw = 0, ph = 0;
        int start = 0;
        bool blankSeen = false;
        while (start < text.Length)
        {
            int end = text[start..].IndexOf((byte)'\n');
            if (end < 0) break;
            ReadOnlySpan<byte> line = text.Slice(start, end);
            start += end + 1;
            if (kind == TextKind.Pam)
            {
                int at = line.IndexOf((byte)' ');
                if (line.StartsWith("WIDTH"u8) && Number(line, ref at, out ulong w)) pw = w;
                else if (line.StartsWith("HEIGHT"u8) && Number(line, ref at, out ulong h)) ph = h;
                else if (line.StartsWith("ENDHDR"u8)) break;
            }
            else if (blankSeen)
            {
                // Radiance resolution line: "-Y <rows> +X <columns>" (or another axis order); the count is the product.
                int at = 2;
                if (line.Length > 2 && Number(line, ref at, out ulong a) && at + 3 <= line.Length)
                {
                    at += 3;
                    if (Number(line, ref at, out ulong c)) return line[1] == 'Y' ? Done(c, a, out width, out height) : Done(a, c, out width, out height);
                }

                return Result.NoSize;
            }
            else if (line.Length == 0)
            {
                blankSeen = true;
            }
        }

        return pw == 0 || ph == 0 ? Result.NoSize : Done(pw, ph, out width, out height);
    }

    // Skips whitespace and '#' comments, then reads decimal digits (clamped, never overflowing).
    private static bool Number(ReadOnlySpan<byte> text, ref int at, out ulong value)
    {
        value = 0;
        if (at < 0) return false;
        while (at < text.Length)
        {
            if (text[at] == '#')
            {
                while (at < text.Length && text[at] != '\n') at++;
            }
            else if (text[at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                at++;
            }
            else
            {
                break;
            }
        }

        int digits = 0;
        while (at < text.Length && text[at] is >= (byte)'0' and <= (byte)'9')
        {
            value = Math.Min(value * 10 + (ulong)(text[at] - '0'), Clamp);
            at++;
            digits++;
        }

        return digits > 0;
    }

    private static ushort U16(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

    private static uint U32(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);

    private static ulong U64(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);

    /// <summary>The bytes being sniffed: a memory buffer, or an open regular file read at offsets through a 64 KiB window.</summary>
    internal ref struct Source
    {
        private readonly ReadOnlySpan<byte> _memory;
        private readonly SafeFileHandle? _file;
        private readonly long _length;
        private byte[]? _window;
        private long _windowStart;
        private int _windowLength;

        public Source(ReadOnlySpan<byte> memory)
        {
            _memory = memory;
            _length = memory.Length;
        }

        public Source(SafeFileHandle file, long length)
        {
            _file = file;
            _length = length;
        }

        /// <summary>Copies up to <c>destination.Length</c> bytes from <paramref name="offset"/>; fewer at the end of the data.</summary>
        public int Read(long offset, scoped Span<byte> destination)
        {
            if (offset < 0 || offset >= _length) return 0;
            int count = (int)Math.Min(destination.Length, _length - offset);
            if (_file is null)
            {
                _memory.Slice((int)offset, count).CopyTo(destination);
                return count;
            }

            if (_window is null || offset < _windowStart || offset + count > _windowStart + _windowLength)
            {
                _window ??= new byte[65536];
                _windowStart = offset;
                _windowLength = 0;
                int got;
                while (_windowLength < _window.Length && (got = RandomAccess.Read(_file, _window.AsSpan(_windowLength), offset + _windowLength)) > 0)
                {
                    _windowLength += got;
                }

                count = Math.Min(count, _windowLength);
            }

            _window.AsSpan((int)(offset - _windowStart), count).CopyTo(destination);
            return count;
        }
    }
}

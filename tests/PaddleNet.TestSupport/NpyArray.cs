using System.Buffers.Binary;
using System.Text;

namespace PaddleNet.TestSupport;

/// <summary>A NumPy array read from a <c>.npy</c> file: dtype descriptor, shape and the raw little-endian C-order bytes.</summary>
internal sealed class NpyArray
{
    public NpyArray(string descr, int[] shape, byte[] data)
    {
        Descr = descr;
        Shape = shape;
        Data = data;
    }

    /// <summary>NumPy dtype string, e.g. <c>|u1</c> or <c>&lt;f4</c>.</summary>
    public string Descr { get; }

    public int[] Shape { get; }

    public byte[] Data { get; }

    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    public float[] ToFloat32()
    {
        if (Descr != "<f4")
        {
            throw new InvalidDataException($"Array is {Descr}, not <f4.");
        }

        var result = new float[Data.Length / 4];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = BinaryPrimitives.ReadSingleLittleEndian(Data.AsSpan(i * 4));
        }

        return result;
    }
}

/// <summary>
/// Minimal <c>.npy</c> reader (format versions 1.0–3.0): magic, version, header length, a Python-literal dict with
/// <c>descr</c>, <c>fortran_order</c> and <c>shape</c>, then the data. Only C order is accepted.
/// </summary>
internal static class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static NpyArray Read(string path) => Parse(File.ReadAllBytes(path), path);

    public static NpyArray Parse(ReadOnlySpan<byte> file, string name)
    {
        if (file.Length < 10 || !file[..6].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{name}: not a .npy file.");
        }

        int major = file[6];
        int headerLength;
        int offset;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(file[8..]);
            offset = 10;
        }
        else if (major is 2 or 3)
        {
            headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(file[8..]));
            offset = 12;
        }
        else
        {
            throw new InvalidDataException($"{name}: unsupported .npy version {major}.");
        }

        if (offset + headerLength > file.Length)
        {
            throw new InvalidDataException($"{name}: header runs past the end of the file.");
        }

        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(file.Slice(offset, headerLength));
        string descr = ReadStringValue(header, "descr", name);
        if (ReadRawValue(header, "fortran_order", name).Trim() != "False")
        {
            throw new InvalidDataException($"{name}: Fortran-order arrays are not supported.");
        }

        string shapeText = ReadRawValue(header, "shape", name).Trim();
        if (!shapeText.StartsWith('(') || !shapeText.EndsWith(')'))
        {
            throw new InvalidDataException($"{name}: bad shape '{shapeText}'.");
        }

        int[] shape = shapeText[1..^1]
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(int.Parse)
            .ToArray();

        int itemSize = descr switch
        {
            "|u1" or "|i1" or "|b1" => 1,
            "<u2" or "<i2" or "<f2" => 2,
            "<u4" or "<i4" or "<f4" => 4,
            "<u8" or "<i8" or "<f8" => 8,
            _ => throw new InvalidDataException($"{name}: unsupported dtype '{descr}'."),
        };

        long expected = shape.Aggregate(1L, (a, d) => a * d) * itemSize;
        ReadOnlySpan<byte> data = file[(offset + headerLength)..];
        if (data.Length != expected)
        {
            throw new InvalidDataException($"{name}: {data.Length} data bytes, shape ({string.Join(", ", shape)}) of {descr} needs {expected}.");
        }

        return new NpyArray(descr, shape, data.ToArray());
    }

    private static string ReadStringValue(string header, string key, string name)
    {
        string raw = ReadRawValue(header, key, name).Trim();
        if (raw.Length < 2 || (raw[0] != '\'' && raw[0] != '"') || raw[^1] != raw[0])
        {
            throw new InvalidDataException($"{name}: '{key}' is not a string.");
        }

        return raw[1..^1];
    }

    // The text after "'key':" up to the top-level ',' or '}' that ends the value.
    private static string ReadRawValue(string header, string key, string name)
    {
        int at = header.IndexOf($"'{key}'", StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidDataException($"{name}: header has no '{key}'.");
        }

        int colon = header.IndexOf(':', at);
        int depth = 0;
        for (int i = colon + 1; i < header.Length; i++)
        {
            char c = header[i];
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if ((c == ',' || c == '}') && depth == 0)
            {
                return header[(colon + 1)..i];
            }
        }

        throw new InvalidDataException($"{name}: unterminated value for '{key}'.");
    }
}

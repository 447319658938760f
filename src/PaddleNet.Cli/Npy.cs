using System.Buffers.Binary;
using System.Text;

namespace PaddleNet.Tests.Support;

/// <summary>Minimal reader for NumPy .npy files (format 1.0/2.0, little-endian, C order), as the reference folders use.</summary>
internal static class Npy
{
    public static Tensor Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY") throw new InvalidDataException($"{path}: not a .npy file");
        int major = bytes[6];
        int headerLen = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int dataStart = (major == 1 ? 10 : 12) + headerLen;
        var header = Encoding.ASCII.GetString(bytes, major == 1 ? 10 : 12, headerLen);
        var descr = Field(header, "descr").Trim('\'', '"');
        if (Field(header, "fortran_order") != "False") throw new InvalidDataException($"{path}: Fortran order is not supported");
        var shapeText = Field(header, "shape").Trim('(', ')');
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var dtype = descr switch
        {
            "<f4" => DataType.Float32,
            "<f8" => DataType.Float64,
            "<i4" => DataType.Int32,
            "<i8" => DataType.Int64,
            "<i2" => DataType.Int16,
            "|u1" => DataType.UInt8,
            "|i1" => DataType.Int8,
            "|b1" => DataType.Bool,
            "<f2" => DataType.Float16,
            _ => throw new InvalidDataException($"{path}: dtype {descr} is not supported"),
        };
        var data = bytes.AsSpan(dataStart).ToArray();
        return new Tensor(dtype, shape, data);
    }

    private static string Field(string header, string key)
    {
        int i = header.IndexOf($"'{key}'", StringComparison.Ordinal);
        if (i < 0) throw new InvalidDataException($"npy header lacks {key}: {header}");
        i = header.IndexOf(':', i) + 1;
        while (header[i] == ' ') i++;
        int end = header[i] == '(' ? header.IndexOf(')', i) + 1 : header.IndexOfAny([',', '}'], i);
        return header[i..end].Trim();
    }
}

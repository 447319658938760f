using System.Buffers.Binary;
using System.Text;

namespace PaddleNet.Cli;

/// <summary>NumPy .npy files (format 1.0/2.0, little-endian, C order): what `paddlenet run` reads and writes.</summary>
internal static class Npy
{
    /// <summary>Writes a tensor as a format 1.0 .npy file.</summary>
    public static void Write(string path, Tensor t)
    {
        var descr = t.DataType switch
        {
            DataType.Float32 => "<f4",
            DataType.Float64 => "<f8",
            DataType.Int32 => "<i4",
            DataType.Int64 => "<i8",
            DataType.Int16 => "<i2",
            DataType.UInt8 => "|u1",
            DataType.Int8 => "|i1",
            DataType.Bool => "|b1",
            DataType.Float16 => "<f2",
            _ => throw new PaddleNetException($"{path}: cannot write {t.DataType.Name()} as .npy"),
        };
        var shape = t.Shape.Length == 1 ? $"({t.Shape[0]},)" : $"({string.Join(", ", t.Shape.ToArray())})";
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        using var f = File.Create(path);
        f.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        f.Write(BitConverter.GetBytes((ushort)header.Length));
        f.Write(Encoding.ASCII.GetBytes(header));
        f.Write(t.Bytes);
    }

    public static Tensor Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY") throw new PaddleNetException($"{path}: not a .npy file");
        int major = bytes[6];
        int headerLen = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int dataStart = (major == 1 ? 10 : 12) + headerLen;
        var header = Encoding.ASCII.GetString(bytes, major == 1 ? 10 : 12, headerLen);
        var descr = Field(header, "descr").Trim('\'', '"');
        if (Field(header, "fortran_order") != "False") throw new PaddleNetException($"{path}: Fortran order is not supported");
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
            _ => throw new PaddleNetException($"{path}: dtype {descr} is not supported"),
        };
        long expected = Tensor.CheckedElementCount(shape) * dtype.SizeOf();
        if (dataStart > bytes.Length || bytes.Length - dataStart != expected)
        {
            throw new PaddleNetException($"{path}: header says {dtype.Name()}[{string.Join(", ", shape)}] ({expected} bytes) but {Math.Max(0, bytes.Length - dataStart)} data bytes follow");
        }
        var data = bytes.AsSpan(dataStart).ToArray();
        return new Tensor(dtype, shape, data);
    }

    private static string Field(string header, string key)
    {
        int i = header.IndexOf($"'{key}'", StringComparison.Ordinal);
        if (i < 0) throw new PaddleNetException($"npy header lacks {key}: {header}");
        i = header.IndexOf(':', i) + 1;
        while (header[i] == ' ') i++;
        int end = header[i] == '(' ? header.IndexOf(')', i) + 1 : header.IndexOfAny([',', '}'], i);
        return header[i..end].Trim();
    }
}

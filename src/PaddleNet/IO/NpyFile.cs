using System.Buffers.Binary;
using System.Text;

namespace PaddleNet;

/// <summary>
/// NumPy <c>.npy</c> files (format 1.0 to 3.0, little-endian, C order), the form Paddle's reference inputs and
/// outputs are kept in and what <c>paddlenet run</c> reads and writes. Files are treated as hostile: every
/// malformed header or size is a <see cref="PaddleNetException"/> naming the file.
/// </summary>
public static class NpyFile
{
    /// <summary>Writes <paramref name="tensor"/> to <paramref name="path"/> as a format 1.0 .npy file (what <c>numpy.load</c> reads).</summary>
    public static void Write(string path, Tensor tensor)
    {
        var descr = tensor.DataType switch
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
            _ => throw new PaddleNetException($"{path}: cannot write {tensor.DataType.Name()} as .npy"),
        };
        var shape = tensor.Shape.Length == 1 ? $"({tensor.Shape[0]},)" : $"({string.Join(", ", tensor.Shape.ToArray())})";
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        using var f = File.Create(path);
        f.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        f.Write(BitConverter.GetBytes((ushort)header.Length));
        f.Write(Encoding.ASCII.GetBytes(header));
        f.Write(tensor.Bytes);
    }

    /// <summary>Reads a .npy file; anything malformed (truncated, bad header, size mismatch) is a PaddleNetException naming the file.</summary>
    public static Tensor Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY") throw new PaddleNetException($"{path}: not a .npy file");
        int major = bytes[6];
        if (major is < 1 or > 3) throw new PaddleNetException($"{path}: .npy format version {major} is not supported");
        int prefix = major == 1 ? 10 : 12;
        if (bytes.Length < prefix) throw new PaddleNetException($"{path}: truncated .npy header");
        long headerLen = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (headerLen > bytes.Length - prefix) throw new PaddleNetException($"{path}: the header claims {headerLen} bytes, {bytes.Length - prefix} follow");
        int dataStart = prefix + (int)headerLen;
        var header = Encoding.ASCII.GetString(bytes, prefix, (int)headerLen);
        var descr = Field(path, header, "descr").Trim('\'', '"');
        if (Field(path, header, "fortran_order") != "False") throw new PaddleNetException($"{path}: Fortran order is not supported");
        var shapeText = Field(path, header, "shape").Trim('(', ')');
        int[] shape;
        try
        {
            shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => int.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new PaddleNetException($"{path}: bad shape '{shapeText}' in the .npy header");
        }
        if (shape.Any(d => d < 0)) throw new PaddleNetException($"{path}: negative dimension in shape ({shapeText})");
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
        long expected;
        try
        {
            expected = checked(Tensor.CheckedElementCount(shape) * dtype.SizeOf());
        }
        catch (OverflowException)
        {
            throw new PaddleNetException($"{path}: shape ({shapeText}) is too large");
        }
        if (bytes.Length - dataStart != expected)
        {
            throw new PaddleNetException($"{path}: header says {dtype.Name()}[{string.Join(", ", shape)}] ({expected} bytes) but {bytes.Length - dataStart} data bytes follow");
        }
        return new Tensor(dtype, shape, bytes.AsSpan(dataStart).ToArray());
    }

    private static string Field(string path, string header, string key)
    {
        int i = header.IndexOf($"'{key}'", StringComparison.Ordinal);
        if (i < 0) throw new PaddleNetException($"{path}: the .npy header lacks '{key}'");
        i = header.IndexOf(':', i);
        if (i < 0) throw new PaddleNetException($"{path}: malformed .npy header near '{key}'");
        i++;
        while (i < header.Length && header[i] == ' ') i++;
        int end = i < header.Length && header[i] == '(' ? header.IndexOf(')', i) + 1 : header.IndexOfAny([',', '}'], i);
        if (i >= header.Length || end <= i) throw new PaddleNetException($"{path}: malformed .npy header near '{key}'");
        return header[i..end].Trim();
    }
}

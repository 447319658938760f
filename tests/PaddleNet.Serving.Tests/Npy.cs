namespace PaddleNet.Serving.Tests;

/// <summary>Reads a little-endian float32, C-order .npy file (the shared reference tensors).</summary>
internal static class Npy
{
    public static (float[] Data, int[] Shape) ReadFloat32(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int major = bytes[6];
        int headerLength = major == 1 ? BitConverter.ToUInt16(bytes, 8) : (int)BitConverter.ToUInt32(bytes, 8);
        int start = major == 1 ? 10 : 12;
        string header = System.Text.Encoding.ASCII.GetString(bytes, start, headerLength);
        if (!header.Contains("'<f4'", StringComparison.Ordinal) || header.Contains("'fortran_order': True", StringComparison.Ordinal)) throw new InvalidDataException(header);
        string dims = header[(header.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..];
        dims = dims[..dims.IndexOf(')')];
        var shape = dims.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var data = new float[(bytes.Length - start - headerLength) / 4];
        Buffer.BlockCopy(bytes, start + headerLength, data, 0, data.Length * 4);
        return (data, shape);
    }
}

namespace PaddleNet.TestSupport;

/// <summary>
/// A reference array as the image tests compare it: NumPy dtype string, shape and raw little-endian C-order bytes.
/// Read by the engine's <see cref="NpyFile"/> (the one .npy reader); this only reshapes its tensor for byte-wise
/// pixel comparisons.
/// </summary>
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

    public float[] ToFloat32() => Descr == "<f4"
        ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Data).ToArray()
        : throw new InvalidDataException($"Array is {Descr}, not <f4.");
}

/// <summary>Reads <c>.npy</c> reference files through <see cref="NpyFile"/>.</summary>
internal static class Npy
{
    public static NpyArray Read(string path)
    {
        Tensor t = NpyFile.Read(path);
        string descr = t.DataType switch
        {
            DataType.Float32 => "<f4",
            DataType.Float64 => "<f8",
            DataType.Float16 => "<f2",
            DataType.Int64 => "<i8",
            DataType.Int32 => "<i4",
            DataType.Int16 => "<i2",
            DataType.Int8 => "|i1",
            DataType.UInt8 => "|u1",
            DataType.Bool => "|b1",
            _ => throw new InvalidDataException($"{path}: {t.DataType} has no NumPy descriptor here"),
        };
        return new NpyArray(descr, t.Shape.ToArray(), t.Bytes.ToArray());
    }
}

namespace PaddleNet.Pipeline.Preprocess;

/// <summary>Element type of an <see cref="ImageArray"/>: the numpy dtypes PaddleClas's ops produce.</summary>
internal enum ArrayType
{
    UInt8,
    Float32,
    Float16,
}

/// <summary>
/// What flows between preprocess ops: a dense row-major array, like the numpy array PaddleClas passes along.
/// It starts as RGB HWC uint8; NormalizeImage makes it float; ToCHWImage transposes it. Exactly one buffer is set.
/// </summary>
internal sealed class ImageArray
{
    private ImageArray(int[] shape, byte[]? bytes, float[]? floats, Half[]? halves)
    {
        Shape = shape;
        Bytes = bytes;
        Floats = floats;
        Halves = halves;
    }

    public int[] Shape { get; }

    public byte[]? Bytes { get; }

    public float[]? Floats { get; }

    public Half[]? Halves { get; }

    public ArrayType Type => Bytes is not null ? ArrayType.UInt8 : Floats is not null ? ArrayType.Float32 : ArrayType.Float16;

    public int Length => Shape.Aggregate(1, (a, d) => checked(a * d));

    public static ImageArray OfBytes(byte[] data, params int[] shape) => new(shape, data, null, null);

    public static ImageArray OfFloats(float[] data, params int[] shape) => new(shape, null, data, null);

    public static ImageArray OfHalves(Half[] data, params int[] shape) => new(shape, null, null, data);

    public string Describe() => $"{Type.ToString().ToLowerInvariant()}[{string.Join(", ", Shape)}]";
}

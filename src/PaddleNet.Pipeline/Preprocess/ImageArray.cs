namespace PaddleNet.Pipeline.Preprocess;

/// <summary>Element type of an <see cref="ImageArray"/>: the numpy dtypes PaddleClas's ops produce.</summary>
public enum ArrayType
{
    /// <summary>numpy uint8 (decoded pixels).</summary>
    UInt8,

    /// <summary>numpy float32 (after NormalizeImage).</summary>
    Float32,

    /// <summary>numpy float16 (NormalizeImage with output_fp16).</summary>
    Float16,
}

/// <summary>
/// What flows between preprocess ops: a dense row-major array, like the numpy array PaddleClas passes along.
/// It starts as RGB HWC uint8; NormalizeImage makes it float; ToCHWImage transposes it. Exactly one buffer is set.
/// </summary>
public sealed class ImageArray
{
    private ImageArray(int[] shape, byte[]? bytes, float[]? floats, Half[]? halves)
    {
        Shape = shape;
        Bytes = bytes;
        Floats = floats;
        Halves = halves;
    }

    /// <summary>Dimensions, outermost first (HWC before ToCHWImage, CHW after).</summary>
    public int[] Shape { get; }

    /// <summary>The elements when <see cref="Type"/> is <see cref="ArrayType.UInt8"/>, else <see langword="null"/>.</summary>
    public byte[]? Bytes { get; }

    /// <summary>The elements when <see cref="Type"/> is <see cref="ArrayType.Float32"/>, else <see langword="null"/>.</summary>
    public float[]? Floats { get; }

    /// <summary>The elements when <see cref="Type"/> is <see cref="ArrayType.Float16"/>, else <see langword="null"/>.</summary>
    public Half[]? Halves { get; }

    /// <summary>Which buffer holds the elements.</summary>
    public ArrayType Type => Bytes is not null ? ArrayType.UInt8 : Floats is not null ? ArrayType.Float32 : ArrayType.Float16;

    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public int Length => Shape.Aggregate(1, (a, d) => checked(a * d));

    /// <summary>Wraps <paramref name="data"/> (not copied) as a uint8 array of <paramref name="shape"/>.</summary>
    public static ImageArray OfBytes(byte[] data, params int[] shape) => new(shape, data, null, null);

    /// <summary>Wraps <paramref name="data"/> (not copied) as a float32 array of <paramref name="shape"/>.</summary>
    public static ImageArray OfFloats(float[] data, params int[] shape) => new(shape, null, data, null);

    /// <summary>Wraps <paramref name="data"/> (not copied) as a float16 array of <paramref name="shape"/>.</summary>
    public static ImageArray OfHalves(Half[] data, params int[] shape) => new(shape, null, null, data);

    /// <summary>Type and shape, e.g. <c>float32[3, 224, 224]</c>; arrays with equal descriptions stack into one batch.</summary>
    public string Describe() => $"{Type.ToString().ToLowerInvariant()}[{string.Join(", ", Shape)}]";
}

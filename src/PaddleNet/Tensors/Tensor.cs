using System.Runtime.InteropServices;

namespace PaddleNet;

/// <summary>
/// A dense, row-major tensor that owns its memory. Used for parameters read from model files
/// and for the inputs and outputs of a session.
/// </summary>
public sealed class Tensor
{
    private readonly int[] _shape;
    private readonly byte[] _data;

    /// <summary>Creates a zero-filled tensor.</summary>
    public Tensor(DataType dataType, ReadOnlySpan<int> shape)
    {
        _shape = shape.ToArray();
        long count = CheckedElementCount(_shape);
        DataType = dataType;
        _data = new byte[checked(count * dataType.SizeOf())];
    }

    /// <summary>
    /// Wraps <paramref name="data"/> (little-endian elements, row-major) without copying: the tensor and the caller
    /// share the array, so writes through either are seen by both. <paramref name="shape"/> is copied.
    /// </summary>
    /// <exception cref="ArgumentException">The byte count does not match the shape, or a dimension is negative.</exception>
    public Tensor(DataType dataType, ReadOnlySpan<int> shape, byte[] data)
        : this(dataType, shape.ToArray(), data ?? throw new ArgumentNullException(nameof(data)))
    {
    }

    internal Tensor(DataType dataType, int[] shape, byte[] data)
    {
        _shape = shape;
        DataType = dataType;
        _data = data;
        if (data.LongLength != CheckedElementCount(shape) * dataType.SizeOf())
        {
            throw new ArgumentException($"data has {data.Length} bytes, shape [{string.Join(", ", shape)}] of {dataType.Name()} needs {CheckedElementCount(shape) * dataType.SizeOf()}", nameof(data));
        }
    }

    /// <summary>The element type.</summary>
    public DataType DataType { get; }

    /// <summary>Dimensions; empty for a 0-D (scalar) tensor.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Number of elements (product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public long ElementCount => _data.LongLength / DataType.SizeOf();

    /// <summary>The raw little-endian bytes of the elements.</summary>
    public ReadOnlySpan<byte> Bytes => _data;

    internal byte[] RawData => _data;

    internal int[] ShapeArray => _shape;

    /// <summary>The elements as <typeparamref name="T"/>; T must match <see cref="DataType"/>.</summary>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        if (ElementTypeOf<T>() != DataType)
        {
            throw new InvalidOperationException($"tensor holds {DataType.Name()}, not {typeof(T).Name}");
        }
        return MemoryMarshal.Cast<byte, T>(_data.AsSpan());
    }

    /// <summary>Copies <paramref name="data"/> into a new tensor of the given shape.</summary>
    public static Tensor FromSpan<T>(ReadOnlySpan<T> data, ReadOnlySpan<int> shape) where T : unmanaged
    {
        var t = new Tensor(ElementTypeOf<T>(), shape);
        if (data.Length != t.ElementCount)
        {
            throw new ArgumentException($"{data.Length} elements given for shape [{string.Join(", ", shape.ToArray())}] ({t.ElementCount} elements)", nameof(data));
        }
        MemoryMarshal.AsBytes(data).CopyTo(t._data);
        return t;
    }

    /// <summary>Type and shape, e.g. <c>Tensor&lt;float32&gt;[1, 3, 224, 224]</c>.</summary>
    public override string ToString() => $"Tensor<{DataType.Name()}>[{string.Join(", ", _shape)}]";

    internal static DataType ElementTypeOf<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DataType.Float32;
        if (typeof(T) == typeof(double)) return DataType.Float64;
        if (typeof(T) == typeof(int)) return DataType.Int32;
        if (typeof(T) == typeof(long)) return DataType.Int64;
        if (typeof(T) == typeof(short)) return DataType.Int16;
        if (typeof(T) == typeof(byte)) return DataType.UInt8;
        if (typeof(T) == typeof(sbyte)) return DataType.Int8;
        if (typeof(T) == typeof(bool)) return DataType.Bool;
        if (typeof(T) == typeof(Half)) return DataType.Float16;
        throw new NotSupportedException($"no Paddle element type for {typeof(T).Name}");
    }

    /// <summary>The element count of <paramref name="shape"/>, checked: a negative dimension or an overflow throws.</summary>
    /// <exception cref="ArgumentException">A negative dimension.</exception>
    /// <exception cref="OverflowException">The count does not fit a <see cref="long"/>.</exception>
    public static long CheckedElementCount(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension {d}", nameof(shape));
            n = checked(n * d);
        }
        return n;
    }
}

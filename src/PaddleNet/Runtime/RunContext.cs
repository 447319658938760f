using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PaddleNet.Runtime;

/// <summary>
/// Per-run state: the shape, type and buffer of every value in the plan. Buffers are kept between
/// runs and only grow, so a steady-state run with the same input shapes allocates nothing.
/// A context is used by one run at a time; the session pools them.
/// </summary>
internal sealed class RunContext
{
    public const int MaxRank = 9;

    private readonly DataType[] _types;
    private readonly int[][] _shapes;
    private readonly int[] _ranks;
    private readonly byte[][] _buffers; // by slot: values with disjoint lifetimes share one
    private readonly int[] _offsets; // by slot: where the 64-byte-aligned data starts in a buffer this context allocated (0 for bound tensors)
    private readonly int[] _slotOf;
    private readonly long[] _byteLengths;
    private readonly bool[] _constant;
    private TensorArray?[]? _arrays; // only programs with tensor arrays use these
    private readonly long _maxBytes;
    private long _ownedBytes; // bytes of the value buffers this context allocated (not constants or inputs)

    public RunContext(int valueCount, IntraOpPool pool)
        : this(valueCount, Enumerable.Range(0, valueCount).ToArray(), valueCount, pool)
    {
    }

    public RunContext(int valueCount, int[] slotOf, int slotCount, IntraOpPool pool, long maxBytes = long.MaxValue)
    {
        _maxBytes = maxBytes;
        _slotOf = slotOf;
        _types = new DataType[valueCount];
        _shapes = new int[valueCount][];
        _ranks = new int[valueCount];
        _buffers = new byte[slotCount][];
        _offsets = new int[slotCount];
        _byteLengths = new long[valueCount];
        _constant = new bool[valueCount];
        for (int i = 0; i < valueCount; i++)
        {
            _shapes[i] = new int[MaxRank];
            _ranks[i] = -1;
        }
        for (int i = 0; i < slotCount; i++) _buffers[i] = [];
        Pool = pool;
        Scratch = new RunScratch(pool.Threads);
    }

    public IntraOpPool Pool { get; }

    /// <summary>This context's scratch (one set per intra-op thread), kept between runs.</summary>
    public RunScratch Scratch { get; }

    public int ValueCount => _types.Length;

    /// <summary>Binds a constant (parameter) tensor; its memory is shared, never written.</summary>
    internal void BindConstant(int id, Tensor t)
    {
        _constant[id] = true;
        _types[id] = t.DataType;
        _ranks[id] = t.Shape.Length;
        t.Shape.CopyTo(_shapes[id]);
        Release(_slotOf[id]);
        _buffers[_slotOf[id]] = t.RawData;
        _offsets[_slotOf[id]] = 0;
        _byteLengths[id] = t.RawData.LongLength;
    }

    /// <summary>Binds a caller's input tensor for one run without copying; kernels never write inputs.</summary>
    internal void BindInput(int id, Tensor t)
    {
        _types[id] = t.DataType;
        _ranks[id] = t.Shape.Length;
        t.Shape.CopyTo(_shapes[id]);
        Release(_slotOf[id]);
        _buffers[_slotOf[id]] = t.RawData;
        _offsets[_slotOf[id]] = 0;
        _byteLengths[id] = t.RawData.LongLength;
        _constant[id] = true;
    }

    public bool IsDefined(int id) => id >= 0 && _ranks[id] >= 0;

    /// <summary>Marks a computed value as not computed in this run (a branch not taken, loop state with no initial value).</summary>
    internal void Undefine(int id)
    {
        if (!_constant[id]) _ranks[id] = -1;
    }

    /// <summary>The tensor array behind value <paramref name="id"/>; created empty on first use and kept (with its buffers) between runs.</summary>
    internal TensorArray Array(int id)
    {
        _arrays ??= new TensorArray?[_types.Length];
        return _arrays[id] ??= new TensorArray(this);
    }

    /// <summary>Empties the given arrays at the start of a run (their element buffers are kept).</summary>
    internal void ClearArrays(int[] ids)
    {
        if (_arrays is null) return;
        foreach (var id in ids) _arrays[id]?.Clear();
    }

    public DataType Type(int id) => _types[id];

    public ReadOnlySpan<int> Shape(int id)
    {
        if (_ranks[id] < 0) throw new InvalidOperationException($"value {id} has not been computed");
        return _shapes[id].AsSpan(0, _ranks[id]);
    }

    public int Rank(int id) => _ranks[id];

    public long ElementCount(int id)
    {
        long n = 1;
        foreach (var d in Shape(id)) n *= d;
        return n;
    }

    /// <summary>Reads a value's elements; <typeparamref name="T"/> must match its type.</summary>
    public ReadOnlySpan<T> Read<T>(int id) where T : unmanaged
    {
        CheckType<T>(id);
        return MemoryMarshal.Cast<byte, T>(ReadBytes(id));
    }

    public ReadOnlySpan<byte> ReadBytes(int id) => _buffers[_slotOf[id]].AsSpan(_offsets[_slotOf[id]], (int)_byteLengths[id]);

    /// <summary>Gives <paramref name="id"/> a shape and type <typeparamref name="T"/> and returns its (reused) buffer, uninitialised.</summary>
    public Span<T> Allocate<T>(int id, ReadOnlySpan<int> shape) where T : unmanaged =>
        MemoryMarshal.Cast<byte, T>(AllocateBytes(id, Tensor.ElementTypeOf<T>(), shape));

    public Span<byte> AllocateBytes(int id, DataType type, ReadOnlySpan<int> shape)
    {
        if (_constant[id]) throw new InvalidOperationException($"value {id} is a constant and cannot be written");
        if (shape.Length > MaxRank) throw new ShapeMismatchException($"value {id}", $"rank <= {MaxRank}", $"rank {shape.Length}");
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ShapeMismatchException($"value {id}", "non-negative dimensions", $"[{string.Join(", ", shape.ToArray())}]");
            n = checked(n * d);
        }
        long bytes = checked(n * type.SizeOf());
        if (bytes > System.Array.MaxLength - 63) throw new ShapeMismatchException($"value {id}", $"at most {System.Array.MaxLength - 63} bytes (the largest .NET array, less a cache line)", $"{bytes} bytes");
        int slot = _slotOf[id];
        if (_buffers[slot].Length - _offsets[slot] < bytes) Grow(id, bytes);
        _types[id] = type;
        _ranks[id] = shape.Length;
        shape.CopyTo(_shapes[id]);
        _byteLengths[id] = bytes;
        return _buffers[slot].AsSpan(_offsets[slot], (int)bytes);
    }

    private void Grow(int id, long bytes)
    {
        int slot = _slotOf[id];
        // Pinned and started on a cache line: rows of a multiple of 64 bytes then never share a line, so two threads
        // writing neighbouring column ranges of a layer's output do not bounce lines (a 1×1 conv 40→120 on 28×28
        // with hard_swish ran 1.2× on two threads into a misaligned buffer, 1.4× aligned), and vector rows load whole lines.
        long size = Math.Max(bytes, 16) + 63;
        // A slot last bound to a constant or an input holds the caller's memory, not ours.
        long owned = _ownedSlot?[slot] == true ? _buffers[slot].Length : 0;
        Charge(owned, size, $"value {id}");
        var buffer = GC.AllocateUninitializedArray<byte>((int)size, pinned: true);
        _buffers[slot] = buffer;
        _offsets[slot] = LineOffset(buffer);
        (_ownedSlot ??= new bool[_buffers.Length])[slot] = true;
    }

    private bool[]? _ownedSlot;

    /// <summary>Charges a buffer growing from <paramref name="oldBytes"/> to <paramref name="newBytes"/> (values, tensor array elements) to this run's budget, or refuses it.</summary>
    internal void Charge(long oldBytes, long newBytes, string what)
    {
        long total = _ownedBytes - oldBytes + newBytes;
        if (total > _maxBytes)
        {
            throw new ShapeMismatchException(what, $"at most {_maxBytes} bytes for one run's values (SessionOptions.MaxRunMemoryBytes)", $"{newBytes} bytes for this one, {total} bytes in all");
        }
        _ownedBytes = total;
    }

    /// <summary>Bytes of the value buffers this context allocated (what <see cref="SessionOptions.MaxRunMemoryBytes"/> bounds).</summary>
    internal long OwnedBytes => _ownedBytes;

    private void Release(int slot)
    {
        if (_ownedSlot?[slot] != true) return;
        _ownedBytes -= _buffers[slot].Length;
        _ownedSlot[slot] = false;
    }

    /// <summary>Bytes from the start of pinned <paramref name="buffer"/>'s data to the first 64-byte boundary.</summary>
    private static unsafe int LineOffset(byte[] buffer) =>
        (int)((64 - ((nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer)) & 63)) & 63);

    /// <summary>Makes <paramref name="dst"/> an exact copy of <paramref name="src"/> (assign, identity ops, reshapes).</summary>
    public void CopyValue(int src, int dst, ReadOnlySpan<int> newShape)
    {
        var bytes = ReadBytes(src);
        var type = Type(src);
        var target = AllocateBytes(dst, type, newShape);
        bytes.CopyTo(target);
    }

    /// <summary>Element <paramref name="index"/> of an integer or float value, as a long (for shape tensors).</summary>
    public long ReadInt64(int id, int index) => Type(id) switch
    {
        DataType.Int32 => Read<int>(id)[index],
        DataType.Int64 => Read<long>(id)[index],
        DataType.Float32 => (long)Read<float>(id)[index],
        DataType.Float64 => (long)Read<double>(id)[index],
        DataType.Int16 => MemoryMarshal.Cast<byte, short>(ReadBytes(id))[index],
        DataType.UInt8 => ReadBytes(id)[index],
        DataType.Int8 => (sbyte)ReadBytes(id)[index],
        DataType.Bool => ReadBytes(id)[index],
        _ => throw new ShapeMismatchException($"value {id}", "an integer tensor", Type(id).Name()),
    };

    /// <summary>Element <paramref name="index"/> as a double (for scalar tensors such as ScaleTensor).</summary>
    public double ReadDouble(int id, int index) => Type(id) switch
    {
        DataType.Float32 => Read<float>(id)[index],
        DataType.Float64 => Read<double>(id)[index],
        DataType.Float16 => (double)MemoryMarshal.Cast<byte, Half>(ReadBytes(id))[index],
        _ => ReadInt64(id, index),
    };

    /// <summary>Copies an integer tensor's elements into <paramref name="dst"/> and returns how many there were.</summary>
    public int ReadInt64s(int id, Span<long> dst)
    {
        int n = (int)ElementCount(id);
        if (n > dst.Length) throw new ShapeMismatchException($"value {id}", $"at most {dst.Length} elements", $"{n}");
        for (int i = 0; i < n; i++) dst[i] = ReadInt64(id, i);
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckType<T>(int id) where T : unmanaged
    {
        if (Tensor.ElementTypeOf<T>() != _types[id])
        {
            throw new ShapeMismatchException($"value {id}", Tensor.ElementTypeOf<T>().Name(), _types[id].Name());
        }
    }
}

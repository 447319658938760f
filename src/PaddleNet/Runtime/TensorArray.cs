namespace PaddleNet.Runtime;

/// <summary>
/// A per-run tensor array (Paddle's LoDTensorArray): a growable list of dense tensors. Elements keep their
/// buffers when the array is cleared, so a steady-state run writing the same shapes allocates nothing.
/// </summary>
internal sealed class TensorArray
{
    /// <summary>Bytes charged per element slot (the item and its shape array) on top of its data.</summary>
    private const int ItemBytes = 128;

    private readonly List<Item> _items = new();
    private readonly RunContext? _budget; // charged for element buffers (SessionOptions.MaxRunMemoryBytes)

    public TensorArray(RunContext? budget = null) => _budget = budget;

    public int Count { get; private set; }

    public void Clear() => Count = 0;

    /// <summary>True when element <paramref name="index"/> exists and was written (gaps left by a far write are empty).</summary>
    public bool Has(int index) => index >= 0 && index < Count && _items[index].Rank >= 0;

    public DataType Type(int index) => Get(index).Type;

    public ReadOnlySpan<int> Shape(int index)
    {
        var item = Get(index);
        return item.Shape.AsSpan(0, item.Rank);
    }

    public ReadOnlySpan<byte> Bytes(int index)
    {
        var item = Get(index);
        return item.Data.AsSpan(0, item.Length);
    }

    /// <summary>Element <paramref name="index"/> becomes a copy of the given tensor; writing past the end grows the array (gaps stay unwritten).</summary>
    public void Write(int index, DataType type, ReadOnlySpan<int> shape, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (shape.Length > RunContext.MaxRank) throw new ShapeMismatchException("tensor array element", $"rank <= {RunContext.MaxRank}", $"rank {shape.Length}");
        AddItems(index);
        for (int i = Count; i <= index; i++) _items[i].Rank = -1;
        if (index >= Count) Count = index + 1;
        var item = _items[index];
        if (item.Data.Length < data.Length)
        {
            int size = Math.Max(data.Length, 16);
            _budget?.Charge(item.Data.Length, size, "tensor array element");
            item.Data = GC.AllocateUninitializedArray<byte>(size);
        }
        data.CopyTo(item.Data);
        item.Length = data.Length;
        item.Type = type;
        item.Rank = shape.Length;
        shape.CopyTo(item.Shape);
    }

    /// <summary>Makes this array an element-wise copy of <paramref name="source"/> (Paddle's assign of an array).</summary>
    public void CopyFrom(TensorArray source)
    {
        if (ReferenceEquals(source, this)) return;
        Clear();
        for (int i = 0; i < source.Count; i++)
        {
            if (source.Has(i)) Write(i, source.Type(i), source.Shape(i), source.Bytes(i));
            else if (i >= Count) MarkUnwritten(i);
        }
    }

    /// <summary>Grows the element list to hold <paramref name="index"/>, charging the new slots first (a far write by a hostile index is refused, not allocated).</summary>
    private void AddItems(int index)
    {
        if (_items.Count > index) return;
        _budget?.Charge(0, ((long)index + 1 - _items.Count) * ItemBytes, "tensor array length");
        while (_items.Count <= index) _items.Add(new Item());
    }

    private void MarkUnwritten(int index)
    {
        AddItems(index);
        _items[index].Rank = -1;
        Count = index + 1;
    }

    private Item Get(int index)
    {
        if (!Has(index)) throw new ShapeMismatchException("tensor array index", $"a written element in [0, {Count})", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return _items[index];
    }

    private sealed class Item
    {
        public byte[] Data = [];
        public int Length;
        public DataType Type;
        public int Rank = -1;
        public readonly int[] Shape = new int[RunContext.MaxRank];
    }
}

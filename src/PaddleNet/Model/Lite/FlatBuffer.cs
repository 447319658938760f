using System.Buffers.Binary;
using System.Text;

namespace PaddleNet.Model.Lite;

/// <summary>
/// A bounds-checked view of one FlatBuffers buffer: the bytes [<see cref="Start"/>, <see cref="End"/>)
/// of a file. Every offset, vtable entry and vector length is checked against that window before
/// it is followed, and every failure is a <see cref="ModelFormatException"/> naming the file,
/// the absolute byte offset and the field. Nothing is allocated from an unchecked length; the reader
/// never recurses (callers walk the fixed schema depth).
/// </summary>
internal sealed class FlatBuffer
{
    public FlatBuffer(byte[] data, int start, int end, string? path, string what)
    {
        if (start < 0 || end > data.Length || start > end) throw new ModelFormatException(path, $"{what} lies outside the file", start, what);
        Data = data;
        Start = start;
        End = end;
        Path = path;
        What = what;
    }

    public byte[] Data { get; }
    public int Start { get; }
    public int End { get; }
    public string? Path { get; }
    public string What { get; }

    /// <summary>The root table: the buffer's first uint32 is the offset of the root table.</summary>
    public FbTable Root()
    {
        uint rel = U32(Start, "root offset");
        return TableAt(Follow(Start, rel, "root offset"), "root");
    }

    public ModelFormatException Error(string message, long offset, string field) => new(Path, $"{What}: {message}", offset, field);

    public void Need(int at, int bytes, string field)
    {
        if (at < Start || bytes < 0 || at > End - bytes)
        {
            throw Error($"needs {bytes} bytes at {at}, but the buffer is [{Start}, {End})", at, field);
        }
    }

    public uint U32(int at, string field)
    {
        Need(at, 4, field);
        return BinaryPrimitives.ReadUInt32LittleEndian(Data.AsSpan(at));
    }

    public ushort U16(int at, string field)
    {
        Need(at, 2, field);
        return BinaryPrimitives.ReadUInt16LittleEndian(Data.AsSpan(at));
    }

    /// <summary>Follows a uoffset stored at <paramref name="at"/> (relative to <paramref name="at"/>).</summary>
    public int Follow(int at, uint rel, string field)
    {
        long target = (long)at + rel;
        if (rel == 0 || target >= End) throw Error($"offset {rel} points outside the buffer", at, field);
        return (int)target;
    }

    public FbTable TableAt(int pos, string field)
    {
        Need(pos, 4, field);
        int soffset = BinaryPrimitives.ReadInt32LittleEndian(Data.AsSpan(pos));
        long vt = (long)pos - soffset;
        if (vt < Start || vt > End - 4) throw Error($"vtable offset {soffset} points outside the buffer", pos, field);
        int vtPos = (int)vt;
        int vtLen = BinaryPrimitives.ReadUInt16LittleEndian(Data.AsSpan(vtPos));
        int tableLen = BinaryPrimitives.ReadUInt16LittleEndian(Data.AsSpan(vtPos + 2));
        if (vtLen < 4 || (vtLen & 1) != 0 || vtPos > End - vtLen) throw Error($"vtable size {vtLen} is invalid", vtPos, field);
        if (tableLen < 4 || pos > End - tableLen) throw Error($"table size {tableLen} runs past the buffer", vtPos + 2, field);
        return new FbTable(this, pos, vtPos, vtLen, tableLen, field);
    }

    public string StringAt(int pos, string field)
    {
        uint len = U32(pos, field);
        if (len > (uint)(End - pos - 4)) throw Error($"string of {len} bytes runs past the buffer", pos, field);
        try
        {
            return Utf8.GetString(Data, pos + 4, (int)len);
        }
        catch (DecoderFallbackException e)
        {
            throw new ModelFormatException(Path, $"{What}: string is not valid UTF-8", pos, field, e);
        }
    }

    private static readonly UTF8Encoding Utf8 = new(false, true);
}

/// <summary>A vector inside a <see cref="FlatBuffer"/>: element count and the position of element 0.</summary>
internal readonly struct FbVector
{
    public FbVector(FlatBuffer buf, int pos, int count, int elemSize, string field)
    {
        Buf = buf;
        Pos = pos;
        Count = count;
        ElemSize = elemSize;
        Field = field;
    }

    public FlatBuffer Buf { get; }
    public int Pos { get; }
    public int Count { get; }
    public int ElemSize { get; }
    public string Field { get; }

    public ReadOnlySpan<byte> Bytes => Buf.Data.AsSpan(Pos, Count * ElemSize);

    public FbTable Table(int i)
    {
        int at = Pos + i * 4;
        return Buf.TableAt(Buf.Follow(at, Buf.U32(at, Field), Field), Field);
    }

    public string String(int i)
    {
        int at = Pos + i * 4;
        return Buf.StringAt(Buf.Follow(at, Buf.U32(at, Field), Field), Field);
    }

    public string[] Strings()
    {
        var r = new string[Count];
        for (int i = 0; i < r.Length; i++) r[i] = String(i);
        return r;
    }

    public long[] Int32s()
    {
        var r = new long[Count];
        var s = Bytes;
        for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadInt32LittleEndian(s[(i * 4)..]);
        return r;
    }

    public long[] Int64s()
    {
        var r = new long[Count];
        var s = Bytes;
        for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadInt64LittleEndian(s[(i * 8)..]);
        return r;
    }

    public double[] Floats()
    {
        var r = new double[Count];
        var s = Bytes;
        for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadSingleLittleEndian(s[(i * 4)..]);
        return r;
    }

    public double[] Doubles()
    {
        var r = new double[Count];
        var s = Bytes;
        for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadDoubleLittleEndian(s[(i * 8)..]);
        return r;
    }

    public bool[] Bools()
    {
        var r = new bool[Count];
        var s = Bytes;
        for (int i = 0; i < r.Length; i++) r[i] = s[i] != 0;
        return r;
    }
}

/// <summary>A table inside a <see cref="FlatBuffer"/>; fields are addressed by slot (declaration index).</summary>
internal readonly struct FbTable
{
    private readonly int _vtPos;
    private readonly int _vtLen;
    private readonly int _tableLen;

    public FbTable(FlatBuffer buf, int pos, int vtPos, int vtLen, int tableLen, string field)
    {
        Buf = buf;
        Pos = pos;
        _vtPos = vtPos;
        _vtLen = vtLen;
        _tableLen = tableLen;
        Field = field;
    }

    public FlatBuffer Buf { get; }
    public int Pos { get; }
    public string Field { get; }

    /// <summary>Absolute position of a scalar field of <paramref name="size"/> bytes, or -1 when absent.</summary>
    private int FieldPos(int slot, int size, string name)
    {
        int entry = 4 + 2 * slot;
        if (entry + 2 > _vtLen) return -1;
        int off = BinaryPrimitives.ReadUInt16LittleEndian(Buf.Data.AsSpan(_vtPos + entry));
        if (off == 0) return -1;
        if (off < 4 || off > _tableLen - size) throw Buf.Error($"field offset {off} (+{size} bytes) exceeds the table size {_tableLen}", _vtPos + entry, name);
        return Pos + off;
    }

    public bool Has(int slot) => FieldPos(slot, 1, Field) >= 0;

    public int Int32(int slot, int fallback, string name)
    {
        int at = FieldPos(slot, 4, name);
        return at < 0 ? fallback : BinaryPrimitives.ReadInt32LittleEndian(Buf.Data.AsSpan(at));
    }

    public long Int64(int slot, long fallback, string name)
    {
        int at = FieldPos(slot, 8, name);
        return at < 0 ? fallback : BinaryPrimitives.ReadInt64LittleEndian(Buf.Data.AsSpan(at));
    }

    public float Float(int slot, float fallback, string name)
    {
        int at = FieldPos(slot, 4, name);
        return at < 0 ? fallback : BinaryPrimitives.ReadSingleLittleEndian(Buf.Data.AsSpan(at));
    }

    public double Double(int slot, double fallback, string name)
    {
        int at = FieldPos(slot, 8, name);
        return at < 0 ? fallback : BinaryPrimitives.ReadDoubleLittleEndian(Buf.Data.AsSpan(at));
    }

    public byte UInt8(int slot, byte fallback, string name)
    {
        int at = FieldPos(slot, 1, name);
        return at < 0 ? fallback : Buf.Data[at];
    }

    public bool Bool(int slot, bool fallback, string name)
    {
        int at = FieldPos(slot, 1, name);
        return at < 0 ? fallback : Buf.Data[at] != 0;
    }

    private int Ref(int slot, string name)
    {
        int at = FieldPos(slot, 4, name);
        if (at < 0) return -1;
        return Buf.Follow(at, Buf.U32(at, name), name);
    }

    public string? String(int slot, string name)
    {
        int at = Ref(slot, name);
        return at < 0 ? null : Buf.StringAt(at, name);
    }

    public FbTable? Table(int slot, string name)
    {
        int at = Ref(slot, name);
        return at < 0 ? null : Buf.TableAt(at, name);
    }

    /// <summary>A vector field with elements of <paramref name="elemSize"/> bytes (4 for tables/strings); empty when absent.</summary>
    public FbVector Vector(int slot, int elemSize, string name)
    {
        int at = Ref(slot, name);
        if (at < 0) return new FbVector(Buf, Buf.Start, 0, elemSize, name);
        uint count = Buf.U32(at, name);
        long bytes = (long)count * elemSize;
        if (bytes > Buf.End - at - 4) throw Buf.Error($"vector of {count} elements × {elemSize} bytes runs past the buffer", at, name);
        return new FbVector(Buf, at + 4, (int)count, elemSize, name);
    }
}

using System.Buffers.Binary;
using System.Text;

namespace PaddleNet.Model.Lite;

/// <summary>
/// Sequential reader for Lite's schema-less "naive buffer" encoding (formats.md §4.5): fixed-width
/// little-endian scalars, strings and lists prefixed by a uint64 count. Every count is checked
/// against the bytes that remain (times the smallest possible element size) before anything is
/// allocated; failures are <see cref="ModelFormatException"/>s with file, offset and field.
/// </summary>
internal sealed class NaiveBuffer
{
    private static readonly UTF8Encoding Utf8 = new(false, true);

    public NaiveBuffer(byte[] data, int start, int end, string? path, string what)
    {
        if (start < 0 || end > data.Length || start > end) throw new ModelFormatException(path, $"{what} lies outside the file", start, what);
        Data = data;
        Pos = start;
        End = end;
        Path = path;
        What = what;
    }

    public byte[] Data { get; }
    public int Pos { get; private set; }
    public int End { get; }
    public string? Path { get; }
    public string What { get; }

    public int Remaining => End - Pos;

    public ModelFormatException Error(string message, long offset, string field) => new(Path, $"{What}: {message}", offset, field);

    private int Take(int n, string field)
    {
        if (Remaining < n) throw Error($"ends inside {field} (need {n} bytes, {Remaining} left)", Pos, field);
        int at = Pos;
        Pos += n;
        return at;
    }

    public void Advance(int n, string field)
    {
        if (n < 0) throw Error($"negative skip of {n} bytes", Pos, field);
        Take(n, field);
    }

    public ushort UInt16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Data.AsSpan(Take(2, field)));

    public bool Bool(string field) => Data[Take(1, field)] != 0;

    public int Int32(string field) => BinaryPrimitives.ReadInt32LittleEndian(Data.AsSpan(Take(4, field)));

    public uint UInt32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Data.AsSpan(Take(4, field)));

    public long Int64(string field) => BinaryPrimitives.ReadInt64LittleEndian(Data.AsSpan(Take(8, field)));

    public ulong UInt64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(Data.AsSpan(Take(8, field)));

    public float Float(string field) => BinaryPrimitives.ReadSingleLittleEndian(Data.AsSpan(Take(4, field)));

    /// <summary>A list count, checked so that <c>count × minElemSize</c> fits in what remains.</summary>
    public int Count(int minElemSize, string field)
    {
        int at = Pos;
        ulong n = UInt64(field);
        if (n > (ulong)Remaining / (ulong)Math.Max(1, minElemSize))
        {
            throw Error($"list of {n} elements cannot fit in the {Remaining} bytes left", at, field);
        }
        return (int)n;
    }

    public string String(string field)
    {
        int n = Count(1, field);
        int at = Take(n, field);
        try
        {
            return Utf8.GetString(Data, at, n);
        }
        catch (DecoderFallbackException e)
        {
            throw new ModelFormatException(Path, $"{What}: string is not valid UTF-8", at, field, e);
        }
    }

    /// <summary>A raw byte list (PrimaryListBuilder&lt;char&gt;): returns the start offset and length.</summary>
    public (int Offset, int Length) Bytes(string field)
    {
        int n = Count(1, field);
        return (Take(n, field), n);
    }

    public long[] Int32List(string field)
    {
        var r = new long[Count(4, field)];
        for (int i = 0; i < r.Length; i++) r[i] = Int32(field);
        return r;
    }

    public long[] Int64List(string field)
    {
        var r = new long[Count(8, field)];
        for (int i = 0; i < r.Length; i++) r[i] = Int64(field);
        return r;
    }

    public double[] FloatList(string field)
    {
        var r = new double[Count(4, field)];
        for (int i = 0; i < r.Length; i++) r[i] = Float(field);
        return r;
    }

    public bool[] BoolList(string field)
    {
        var r = new bool[Count(1, field)];
        for (int i = 0; i < r.Length; i++) r[i] = Bool(field);
        return r;
    }

    public string[] StringList(string field)
    {
        var r = new string[Count(8, field)];
        for (int i = 0; i < r.Length; i++) r[i] = String(field);
        return r;
    }
}

using System.Buffers.Binary;
using System.Text;

namespace PaddleNet.Tests.Model.Lite;

/// <summary>
/// A minimal FlatBuffers writer for tests: tables are laid out parent-first (vtable, then table,
/// then children), so every uoffset points forward, as the format requires.
/// </summary>
internal sealed class FbNode
{
    private readonly List<(int Slot, object Value)> _fields = new();

    public FbNode Set(int slot, object value)
    {
        _fields.Add((slot, value));
        return this;
    }

    /// <summary>Scalar field wrappers (so the writer knows the width).</summary>
    public readonly record struct I32(int V);
    public readonly record struct I64(long V);
    public readonly record struct U8(byte V);
    public readonly record struct Bool(bool V);
    public readonly record struct F32(float V);
    public readonly record struct Raw(byte[] Bytes, int Count); // a scalar vector: count + raw element bytes

    public static Raw Int64s(params long[] v)
    {
        var b = new byte[v.Length * 8];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(i * 8), v[i]);
        return new Raw(b, v.Length);
    }

    public static Raw Int32s(params int[] v)
    {
        var b = new byte[v.Length * 4];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(i * 4), v[i]);
        return new Raw(b, v.Length);
    }

    public static Raw Floats(params float[] v)
    {
        var b = new byte[v.Length * 4];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(i * 4), v[i]);
        return new Raw(b, v.Length);
    }

    public static Raw Bytes(byte[] v) => new(v, v.Length);

    public byte[] Finish()
    {
        var buf = new List<byte>();
        Pad(buf, 4);
        int root = Emit(buf, this);
        var bytes = buf.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)root);
        return bytes;
    }

    private static void Pad(List<byte> buf, int n)
    {
        for (int i = 0; i < n; i++) buf.Add(0);
    }

    private static void Align(List<byte> buf, int a)
    {
        while (buf.Count % a != 0) buf.Add(0);
    }

    private static int Size(object v) => v switch
    {
        I32 or F32 => 4,
        I64 => 8,
        U8 or Bool => 1,
        _ => 4, // references
    };

    private static int Emit(List<byte> buf, object node)
    {
        switch (node)
        {
            case string s:
                {
                    Align(buf, 4);
                    int at = buf.Count;
                    var b = Encoding.UTF8.GetBytes(s);
                    buf.AddRange(BitConverter.GetBytes(b.Length));
                    buf.AddRange(b);
                    buf.Add(0);
                    return at;
                }
            case Raw r:
                {
                    Align(buf, 8);
                    if (buf.Count % 8 == 0) Pad(buf, 4); // elements 8-aligned
                    int at = buf.Count;
                    buf.AddRange(BitConverter.GetBytes(r.Count));
                    buf.AddRange(r.Bytes);
                    return at;
                }
            case object[] list:
                {
                    Align(buf, 4);
                    int at = buf.Count;
                    buf.AddRange(BitConverter.GetBytes(list.Length));
                    int slots = buf.Count;
                    Pad(buf, 4 * list.Length);
                    for (int i = 0; i < list.Length; i++) Patch(buf, slots + 4 * i, Emit(buf, list[i]));
                    return at;
                }
            case FbNode t:
                {
                    // vtable first, then the table (soffset = table - vtable > 0), then children.
                    Align(buf, 4);
                    int maxSlot = t._fields.Count == 0 ? -1 : t._fields.Max(f => f.Slot);
                    var offsets = new int[maxSlot + 1];
                    int tableSize = 4;
                    foreach (var (slot, v) in t._fields)
                    {
                        offsets[slot] = tableSize;
                        tableSize += Size(v);
                    }
                    int vt = buf.Count;
                    buf.AddRange(BitConverter.GetBytes((ushort)(4 + 2 * offsets.Length)));
                    buf.AddRange(BitConverter.GetBytes((ushort)tableSize));
                    foreach (var o in offsets) buf.AddRange(BitConverter.GetBytes((ushort)o));
                    Align(buf, 4);
                    int at = buf.Count;
                    buf.AddRange(BitConverter.GetBytes(at - vt));
                    var refs = new List<(int, object)>();
                    foreach (var (slot, v) in t._fields)
                    {
                        switch (v)
                        {
                            case I32 x: buf.AddRange(BitConverter.GetBytes(x.V)); break;
                            case F32 x: buf.AddRange(BitConverter.GetBytes(x.V)); break;
                            case I64 x: buf.AddRange(BitConverter.GetBytes(x.V)); break;
                            case U8 x: buf.Add(x.V); break;
                            case Bool x: buf.Add(x.V ? (byte)1 : (byte)0); break;
                            default: refs.Add((buf.Count, v)); Pad(buf, 4); break;
                        }
                    }
                    foreach (var (pos, v) in refs) Patch(buf, pos, Emit(buf, v));
                    return at;
                }
            default:
                throw new ArgumentException($"cannot emit {node.GetType()}");
        }
    }

    private static void Patch(List<byte> buf, int pos, int target)
    {
        var b = BitConverter.GetBytes((uint)(target - pos));
        for (int i = 0; i < 4; i++) buf[pos + i] = b[i];
    }
}

/// <summary>
/// Builds a tiny but complete meta_version 2 <c>.nb</c>: feed → conv2d (int8 weight-only quantised
/// filter with <c>w_quant_scale</c>, fp16 bias) → fetch. Used for the truncation test and to check
/// dequantisation on known numbers.
/// </summary>
internal static class TinyNb
{
    public static readonly sbyte[] FilterQ = [127, -127, 64, -1, 0, 5, 100, -50];   // [2,1,2,2]
    public static readonly float[] FilterScales = [0.5f, 0.25f];
    public static readonly Half[] BiasF16 = [(Half)1.5, (Half)(-2.0)];

    private static FbNode Var(string name, int type, bool persistable, int dtype = 5, params long[] dims) =>
        new FbNode().Set(0, name)
            .Set(1, new FbNode().Set(0, new FbNode.I32(type))
                .Set(2, new FbNode().Set(0, new FbNode().Set(0, new FbNode.I32(dtype)).Set(1, FbNode.Int64s(dims)))))
            .Set(2, new FbNode.Bool(persistable));

    private static FbNode Slot(string name, params string[] args) => new FbNode().Set(0, name).Set(1, args.Cast<object>().ToArray());

    private static FbNode Attr(string name, int type, int slot, object value) => new FbNode().Set(0, name).Set(1, new FbNode.I32(type)).Set(slot, value);

    /// <summary>meta_version 2 (streamed per-parameter FlatBuffers) or 1 (one FlatBuffers CombinedParamsDesc).</summary>
    public static byte[] Build(int meta = 2)
    {
        var ops = new object[]
        {
            new FbNode().Set(0, "feed").Set(1, new object[] { Slot("X", "feed") }).Set(2, new object[] { Slot("Out", "x") })
                .Set(3, new object[] { Attr("__@kernel_type_attr@__", 2, 4, "feed/def/1/4/2"), Attr("col", 0, 2, new FbNode.I32(0)) }),
            new FbNode().Set(0, "conv2d")
                .Set(1, new object[] { Slot("Bias", "b"), Slot("Filter", "w"), Slot("Input", "x") })
                .Set(2, new object[] { Slot("Output", "y") })
                .Set(3, new object[]
                {
                    Attr("__@kernel_type_attr@__", 2, 4, "conv2d/def/2/1/1"),
                    Attr("act_type", 2, 4, "relu"),
                    Attr("groups", 0, 2, new FbNode.I32(1)),
                    Attr("paddings", 3, 5, FbNode.Int32s(0, 0)),
                    Attr("quantization_type", 2, 4, "post_weight_channel_wise_abs_max"),
                    Attr("strides", 3, 5, FbNode.Int32s(1, 1)),
                    Attr("w_quant_scale", 4, 6, FbNode.Floats(FilterScales)),
                    Attr("with_act", 6, 8, new FbNode.Bool(true)),
                }),
            new FbNode().Set(0, "fetch").Set(1, new object[] { Slot("X", "y") }).Set(2, new object[] { Slot("Out", "fetch") })
                .Set(3, new object[] { Attr("col", 0, 2, new FbNode.I32(0)) }),
        };
        var vars = new object[]
        {
            Var("b", 7, true, 5, 2),
            Var("feed", 9, true),
            Var("fetch", 10, true),
            Var("w", 7, true, 5, 2, 1, 2, 2),
            Var("x", 7, false, 5, -1, 1, 3, 3),
            Var("y", 7, false, 5, -1, 2, 2, 2),
        };
        var program = new FbNode()
            .Set(0, new object[] { new FbNode().Set(0, new FbNode.I32(0)).Set(1, new FbNode.I32(-1)).Set(2, vars).Set(3, ops) })
            .Set(1, new FbNode().Set(0, new FbNode.I64(2004001)))
            .Finish();

        var biasBytes = new byte[4];
        for (int i = 0; i < 2; i++) BinaryPrimitives.WriteHalfLittleEndian(biasBytes.AsSpan(i * 2), BiasF16[i]);
        var parTables = new[]
        {
            ParamTable("b", 4, [2], biasBytes),
            ParamTable("w", 21, [2, 1, 2, 2], FilterQ.Select(x => (byte)x).ToArray()),
        };
        var pars = parTables.Select(t => t.Finish()).ToArray();

        var file = new List<byte>();
        file.AddRange([(byte)meta, 0]);
        var version = new byte[16];
        Encoding.ASCII.GetBytes("v2.13-rc").CopyTo(version, 0);
        version[12] = 0xAB; // garbage after the NUL, as real files have
        file.AddRange(version);
        file.AddRange(BitConverter.GetBytes((ulong)program.Length));
        file.AddRange(program);
        if (meta == 1)
        {
            file.AddRange(new FbNode().Set(0, parTables.Cast<object>().ToArray()).Finish());
            return file.ToArray();
        }
        file.AddRange(BitConverter.GetBytes((ushort)0));
        file.AddRange(BitConverter.GetBytes((ushort)0));
        file.AddRange(BitConverter.GetBytes((ushort)6));
        file.AddRange(BitConverter.GetBytes((ushort)pars.Length));
        file.AddRange(BitConverter.GetBytes((uint)pars.Max(p => p.Length)));
        foreach (var p in pars)
        {
            file.AddRange(BitConverter.GetBytes((uint)(p.Length + 4)));
            file.AddRange(BitConverter.GetBytes(4u));
            file.AddRange(p);
        }
        return file.ToArray();
    }

    private static FbNode ParamTable(string name, int dtype, long[] dims, byte[] data) =>
        new FbNode()
            .Set(0, new FbNode().Set(0, new FbNode.I32(0)).Set(1, new FbNode.I32(0)))
            .Set(1, name)
            .Set(2, new FbNode.U8(1))
            .Set(3, new FbNode().Set(0, new FbNode.I32(0)).Set(2, FbNode.Int64s(dims)).Set(3, new FbNode.I32(dtype)).Set(4, FbNode.Bytes(data)));
}

using System.Runtime.InteropServices;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle op cast: X → Out of dtype <c>out_dtype</c> (VarType number; PIR dtype). float → int
/// truncates toward zero (−2.7 → −2); → bool is x != 0 (±0 false, 1e−30 true); int64 → float32
/// rounds to nearest (16777217 → 16777216). Attribute in_dtype is informational. Types: bool,
/// uint8, int8, int16, int32, int64, float16, float32, float64.
/// </summary>
internal sealed class CastKernel(int x, int output, DataType outType) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        int code = b.Attrs.GetInt("out_dtype", -1);
        if (!DataTypes.TryFromPaddle(code, out var t) || t == DataType.BFloat16) throw b.Unsupported($"cast to dtype code {code}");
        return new CastKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), t);
    }

    public override void Execute(RunContext ctx)
    {
        var inType = ctx.Type(x);
        if (inType == outType)
        {
            ctx.CopyValue(x, output, ctx.Shape(x));
            return;
        }
        var src = ctx.ReadBytes(x);
        var dst = ctx.AllocateBytes(output, outType, ctx.Shape(x));
        Convert(src, inType, dst, outType);
    }

    /// <summary>Element-by-element conversion (the reference and only path: cast is not hot).</summary>
    public static void Convert(ReadOnlySpan<byte> src, DataType inType, Span<byte> dst, DataType outType)
    {
        int n = src.Length / inType.SizeOf();
        bool isFloat = inType is DataType.Float32 or DataType.Float64 or DataType.Float16;
        for (int i = 0; i < n; i++)
        {
            if (isFloat)
            {
                double v = inType switch
                {
                    DataType.Float32 => MemoryMarshal.Cast<byte, float>(src)[i],
                    DataType.Float64 => MemoryMarshal.Cast<byte, double>(src)[i],
                    _ => (double)MemoryMarshal.Cast<byte, Half>(src)[i],
                };
                WriteFloat(dst, outType, i, v, inType == DataType.Float32 ? MemoryMarshal.Cast<byte, float>(src)[i] : (float)v);
            }
            else
            {
                long v = inType switch
                {
                    DataType.Bool => src[i] != 0 ? 1 : 0,
                    DataType.UInt8 => src[i],
                    DataType.Int8 => (sbyte)src[i],
                    DataType.Int16 => MemoryMarshal.Cast<byte, short>(src)[i],
                    DataType.Int32 => MemoryMarshal.Cast<byte, int>(src)[i],
                    DataType.Int64 => MemoryMarshal.Cast<byte, long>(src)[i],
                    _ => throw new ShapeMismatchException("cast input X", "a numeric or bool tensor", inType.Name(), "cast"),
                };
                WriteInt(dst, outType, i, v);
            }
        }
    }

    private static void WriteFloat(Span<byte> dst, DataType t, int i, double v, float f)
    {
        switch (t)
        {
            case DataType.Bool: dst[i] = v != 0 ? (byte)1 : (byte)0; break;
            case DataType.UInt8: dst[i] = unchecked((byte)(long)v); break;
            case DataType.Int8: dst[i] = unchecked((byte)(sbyte)(long)v); break;
            case DataType.Int16: MemoryMarshal.Cast<byte, short>(dst)[i] = unchecked((short)(long)v); break;
            case DataType.Int32: MemoryMarshal.Cast<byte, int>(dst)[i] = unchecked((int)(long)v); break;
            case DataType.Int64: MemoryMarshal.Cast<byte, long>(dst)[i] = (long)v; break;
            case DataType.Float16: MemoryMarshal.Cast<byte, Half>(dst)[i] = (Half)v; break;
            case DataType.Float32: MemoryMarshal.Cast<byte, float>(dst)[i] = f; break;
            case DataType.Float64: MemoryMarshal.Cast<byte, double>(dst)[i] = v; break;
            default: throw new ShapeMismatchException("cast out_dtype", "a supported dtype", t.Name(), "cast");
        }
    }

    private static void WriteInt(Span<byte> dst, DataType t, int i, long v)
    {
        switch (t)
        {
            case DataType.Bool: dst[i] = v != 0 ? (byte)1 : (byte)0; break;
            case DataType.UInt8: dst[i] = unchecked((byte)v); break;
            case DataType.Int8: dst[i] = unchecked((byte)(sbyte)v); break;
            case DataType.Int16: MemoryMarshal.Cast<byte, short>(dst)[i] = unchecked((short)v); break;
            case DataType.Int32: MemoryMarshal.Cast<byte, int>(dst)[i] = unchecked((int)v); break;
            case DataType.Int64: MemoryMarshal.Cast<byte, long>(dst)[i] = v; break;
            case DataType.Float16: MemoryMarshal.Cast<byte, Half>(dst)[i] = (Half)v; break;
            case DataType.Float32: MemoryMarshal.Cast<byte, float>(dst)[i] = v; break;
            case DataType.Float64: MemoryMarshal.Cast<byte, double>(dst)[i] = v; break;
            default: throw new ShapeMismatchException("cast out_dtype", "a supported dtype", t.Name(), "cast");
        }
    }
}

using System.Runtime.InteropServices;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>assign_value</c> (also PIR <c>full_int_array</c>): → Out, a constant of attribute <c>shape</c> and <c>dtype</c>
/// (Paddle code, default 5 = fp32) holding <c>fp32_values</c> / <c>fp64_values</c> / <c>int32_values</c> /
/// <c>int64_values</c> / <c>bool_values</c> (or <c>values</c> in new files). The bytes are built once at load.
/// </summary>
internal sealed class AssignValueKernel : Kernel
{
    private readonly int _out;
    private readonly DataType _type;
    private readonly int[] _shape;
    private readonly byte[] _bytes;

    private AssignValueKernel(int output, DataType type, int[] shape, byte[] bytes)
    {
        _out = output;
        _type = type;
        _shape = shape;
        _bytes = bytes;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        var type = DataMove.FromPaddle(b, a.GetLong("dtype", 5));
        var shape = a.GetInts("shape");
        string slot = type switch
        {
            DataType.Bool => "bool_values",
            DataType.Int32 => "int32_values",
            DataType.Int64 => "int64_values",
            DataType.Float64 => "fp64_values",
            _ => "fp32_values",
        };
        if (!a.Has(slot) || a.GetDoubles(slot).Length == 0) slot = a.Has("values") ? "values" : slot;
        long count = shape.Aggregate(1L, (p, d) => p * d);
        var bytes = new byte[checked((int)(count * type.SizeOf()))];
        if (type is DataType.Int64 or DataType.Int32 or DataType.Bool)
        {
            var v = a.Raw(slot) is double[] ? Array.ConvertAll(a.GetDoubles(slot), x => (long)x) : a.GetLongs(slot);
            if (v.Length != count) throw b.Unsupported($"{v.Length} values for shape [{string.Join(", ", shape)}]");
            for (int i = 0; i < v.Length; i++)
            {
                switch (type)
                {
                    case DataType.Int64: MemoryMarshal.Cast<byte, long>(bytes.AsSpan())[i] = v[i]; break;
                    case DataType.Int32: MemoryMarshal.Cast<byte, int>(bytes.AsSpan())[i] = (int)v[i]; break;
                    default: bytes[i] = v[i] != 0 ? (byte)1 : (byte)0; break;
                }
            }
        }
        else
        {
            var v = a.GetDoubles(slot);
            if (v.Length != count) throw b.Unsupported($"{v.Length} values for shape [{string.Join(", ", shape)}]");
            for (int i = 0; i < v.Length; i++) DataMove.Fill(bytes.AsSpan(i * type.SizeOf(), type.SizeOf()), type, v[i]);
        }
        return new AssignValueKernel(b.RequiredOutput("Out"), type, shape, bytes);
    }

    public override void Execute(RunContext ctx) => _bytes.CopyTo(ctx.AllocateBytes(_out, _type, _shape));
}

using System.Runtime.InteropServices;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>Paddle op bitwise_not: Out = ~X (logical not on bool). X (bool, uint8, int8, int16, int32, int64) → Out (same dtype and shape).</summary>
internal sealed class BitwiseNotKernel(int x, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new BitwiseNotKernel(b.RequiredInput("X"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx)
    {
        var t = ctx.Type(x);
        var src = ctx.ReadBytes(x);
        var dst = ctx.AllocateBytes(output, t, ctx.Shape(x));
        switch (t)
        {
            case DataType.Bool:
                for (int i = 0; i < src.Length; i++) dst[i] = src[i] != 0 ? (byte)0 : (byte)1;
                break;
            case DataType.UInt8 or DataType.Int8:
                for (int i = 0; i < src.Length; i++) dst[i] = (byte)~src[i];
                break;
            case DataType.Int16:
                Not(MemoryMarshal.Cast<byte, short>(src), MemoryMarshal.Cast<byte, short>(dst));
                break;
            case DataType.Int32:
                Not(MemoryMarshal.Cast<byte, int>(src), MemoryMarshal.Cast<byte, int>(dst));
                break;
            case DataType.Int64:
                Not(MemoryMarshal.Cast<byte, long>(src), MemoryMarshal.Cast<byte, long>(dst));
                break;
            default:
                throw new ShapeMismatchException("bitwise_not X", "bool or an integer type", t.Name(), "bitwise_not");
        }
    }

    private static void Not<T>(ReadOnlySpan<T> s, Span<T> d) where T : System.Numerics.IBinaryInteger<T>
    {
        for (int i = 0; i < s.Length; i++) d[i] = ~s[i];
    }
}

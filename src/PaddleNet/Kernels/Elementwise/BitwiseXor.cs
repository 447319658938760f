using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle op bitwise_xor: Out = X ^ Y, bitwise XOR (logical on bool). Inputs X, Y (same dtype: bool, uint8, int8, int16,
/// int32, int64) → Out (that dtype); numpy broadcasting (attribute <c>axis</c>, default −1, as the other binary ops).
/// </summary>
internal sealed class BitwiseXorKernel(BinaryOperands p) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new BitwiseXorKernel(BinaryOperands.From(b));

    public override void Execute(RunContext ctx) => BitwiseDispatch.Run<BitwiseXorOp>(ctx, p);
}

/// <summary>The scalar forms of <c>bitwise_xor</c>.</summary>
internal readonly struct BitwiseXorOp : IBitwiseOp
{
    public static bool Invoke(bool x, bool y) => x ^ y;
    public static byte Invoke(byte x, byte y) => (byte)(x ^ y);
    public static sbyte Invoke(sbyte x, sbyte y) => (sbyte)(x ^ y);
    public static short Invoke(short x, short y) => (short)(x ^ y);
    public static int Invoke(int x, int y) => x ^ y;
    public static long Invoke(long x, long y) => x ^ y;
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle op bitwise_and: Out = X &amp; Y, bitwise AND (logical on bool). Inputs X, Y (same dtype: bool, uint8, int8, int16,
/// int32, int64) → Out (that dtype); numpy broadcasting (attribute <c>axis</c>, default −1, as the other binary ops).
/// </summary>
internal sealed class BitwiseAndKernel(BinaryOperands p) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new BitwiseAndKernel(BinaryOperands.From(b));

    public override void Execute(RunContext ctx) => BitwiseDispatch.Run<BitwiseAndOp>(ctx, p);
}

/// <summary>The scalar forms of <c>bitwise_and</c>.</summary>
internal readonly struct BitwiseAndOp : IBitwiseOp
{
    public static bool Invoke(bool x, bool y) => x & y;
    public static byte Invoke(byte x, byte y) => (byte)(x & y);
    public static sbyte Invoke(sbyte x, sbyte y) => (sbyte)(x & y);
    public static short Invoke(short x, short y) => (short)(x & y);
    public static int Invoke(int x, int y) => x & y;
    public static long Invoke(long x, long y) => x & y;
}

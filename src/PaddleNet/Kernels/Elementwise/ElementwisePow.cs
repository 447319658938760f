using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle op(s) elementwise_pow: Out = X^Y (std::pow; integer types through double and truncated).
/// Inputs X, Y (same dtype: float32, float64, int32, int64) → Out (X's dtype); attribute
/// <c>axis</c> (default −1) with legacy broadcasting (<see cref="Broadcast"/>).
/// </summary>
internal sealed class ElementwisePowKernel(BinaryOperands p) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new ElementwisePowKernel(BinaryOperands.From(b));

    public override void Execute(RunContext ctx) => BinaryDriver.Arithmetic<PowOp>(ctx, p);
}

/// <summary>The scalar and vector forms of <c>elementwise_pow</c>.</summary>
internal readonly struct PowOp : IBinaryOp<float, float>, IBinaryOp<double, double>, IBinaryOp<int, int>, IBinaryOp<long, long>
{
    public static float Invoke(float x, float y) => MathF.Pow(x, y);
    public static double Invoke(double x, double y) => Math.Pow(x, y);
    public static int Invoke(int x, int y) => (int)Math.Pow(x, y);
    public static long Invoke(long x, long y) => (long)Math.Pow(x, y);
}

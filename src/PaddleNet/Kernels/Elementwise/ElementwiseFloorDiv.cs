using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle op(s) elementwise_floordiv: Out = floor(X / Y), rounding toward −∞ also for integers (Python //: −7 // 2 = −4).
/// Inputs X, Y (same dtype: float32, float64, int32, int64) → Out (X's dtype); attribute
/// <c>axis</c> (default −1) with legacy broadcasting (<see cref="Broadcast"/>).
/// </summary>
internal sealed class ElementwiseFloorDivKernel(BinaryOperands p) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new ElementwiseFloorDivKernel(BinaryOperands.From(b));

    public override void Execute(RunContext ctx) => BinaryDriver.Arithmetic<FloorDivOp>(ctx, p);
}

/// <summary>The scalar and vector forms of <c>elementwise_floordiv</c>.</summary>
internal readonly struct FloorDivOp : IBinaryOp<float, float>, IBinaryOp<double, double>, IBinaryOp<int, int>, IBinaryOp<long, long>
{
    public static float Invoke(float x, float y) => MathF.Floor(x / y);
    public static double Invoke(double x, double y) => Math.Floor(x / y);
    public static int Invoke(int x, int y) => FloorDiv(x, y);
    public static long Invoke(long x, long y) => FloorDiv(x, y);

    private static int FloorDiv(int x, int y)
    {
        int q = x / y;
        return (x % y != 0) && ((x < 0) != (y < 0)) ? q - 1 : q;
    }

    private static long FloorDiv(long x, long y)
    {
        long q = x / y;
        return (x % y != 0) && ((x < 0) != (y < 0)) ? q - 1 : q;
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle op(s) elementwise_mod: Out = X mod Y with the sign of the divisor (Python %: −7 % 2 = 1, 7 % −2 = −1).
/// Inputs X, Y (same dtype: float32, float64, int32, int64) → Out (X's dtype); attribute
/// <c>axis</c> (default −1) with legacy broadcasting (<see cref="Broadcast"/>).
/// </summary>
internal sealed class ElementwiseModKernel(BinaryOperands p) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new ElementwiseModKernel(BinaryOperands.From(b));

    public override void Execute(RunContext ctx) => BinaryDriver.Arithmetic<ModOp>(ctx, p);
}

/// <summary>The scalar and vector forms of <c>elementwise_mod</c>.</summary>
internal readonly struct ModOp : IBinaryOp<float, float>, IBinaryOp<double, double>, IBinaryOp<int, int>, IBinaryOp<long, long>
{
    public static float Invoke(float x, float y) => Mod(x, y);
    public static double Invoke(double x, double y) => Mod(x, y);
    public static int Invoke(int x, int y) => Mod(x, y);
    public static long Invoke(long x, long y) => Mod(x, y);

    private static int Mod(int x, int y)
    {
        int r = x % y;
        return r != 0 && ((r < 0) != (y < 0)) ? r + y : r;
    }

    private static long Mod(long x, long y)
    {
        long r = x % y;
        return r != 0 && ((r < 0) != (y < 0)) ? r + y : r;
    }

    private static float Mod(float x, float y)
    {
        float r = (x % y);
        return r != 0 && ((r < 0) != (y < 0)) ? r + y : r;
    }

    private static double Mod(double x, double y)
    {
        double r = x % y;
        return r != 0 && ((r < 0) != (y < 0)) ? r + y : r;
    }
}

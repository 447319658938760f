using System.Runtime.Intrinsics;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle op(s) elementwise_min: Out = X &lt; Y ? X : Y (ties give Y).
/// Inputs X, Y (same dtype: float32, float64, int32, int64) → Out (X's dtype); attribute
/// <c>axis</c> (default −1) with legacy broadcasting (<see cref="Broadcast"/>).
/// </summary>
internal sealed class ElementwiseMinKernel(BinaryOperands p) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new ElementwiseMinKernel(BinaryOperands.From(b));

    public override void Execute(RunContext ctx) => BinaryDriver.Arithmetic<MinOp>(ctx, p);
}

/// <summary>The scalar and vector forms of <c>elementwise_min</c>.</summary>
internal readonly struct MinOp : IBinaryOp<float, float>, IBinaryOp<double, double>, IBinaryOp<int, int>, IBinaryOp<long, long>
{
    public static float Invoke(float x, float y) => x < y ? x : y;
    public static double Invoke(double x, double y) => x < y ? x : y;
    public static int Invoke(int x, int y) => x < y ? x : y;
    public static long Invoke(long x, long y) => x < y ? x : y;

    static bool IBinaryOp<float, float>.Vectorizable => true;

    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.ConditionalSelect(Vector256.LessThan(x, y), x, y);

    static bool IBinaryOp<double, double>.Vectorizable => true;

    public static Vector256<double> Invoke(Vector256<double> x, Vector256<double> y) => Vector256.ConditionalSelect(Vector256.LessThan(x, y), x, y);

    static bool IBinaryOp<int, int>.Vectorizable => true;

    public static Vector256<int> Invoke(Vector256<int> x, Vector256<int> y) => Vector256.ConditionalSelect(Vector256.LessThan(x, y), x, y);

    static bool IBinaryOp<long, long>.Vectorizable => true;

    public static Vector256<long> Invoke(Vector256<long> x, Vector256<long> y) => Vector256.ConditionalSelect(Vector256.LessThan(x, y), x, y);
}

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

    static TV IBinaryOp<float, float>.Invoke<TV>(TV x, TV y) => TV.Select(TV.LessThan(x, y), x, y);

    static bool IBinaryOp<double, double>.Vectorizable => true;

    static TV IBinaryOp<double, double>.Invoke<TV>(TV x, TV y) => TV.Select(TV.LessThan(x, y), x, y);

    static bool IBinaryOp<int, int>.Vectorizable => true;

    static TV IBinaryOp<int, int>.Invoke<TV>(TV x, TV y) => TV.Select(TV.LessThan(x, y), x, y);

    static bool IBinaryOp<long, long>.Vectorizable => true;

    static TV IBinaryOp<long, long>.Invoke<TV>(TV x, TV y) => TV.Select(TV.LessThan(x, y), x, y);
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle op(s) elementwise_add: Out = X + Y.
/// Inputs X, Y (same dtype: float32, float64, int32, int64) → Out (X's dtype); attribute
/// <c>axis</c> (default −1) with legacy broadcasting (<see cref="Broadcast"/>).
/// </summary>
internal sealed class ElementwiseAddKernel(BinaryOperands p) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new ElementwiseAddKernel(BinaryOperands.From(b));

    public override void Execute(RunContext ctx) => BinaryDriver.Arithmetic<AddOp>(ctx, p);
}

/// <summary>The scalar and vector forms of <c>elementwise_add</c>.</summary>
internal readonly struct AddOp : IBinaryOp<float, float>, IBinaryOp<double, double>, IBinaryOp<int, int>, IBinaryOp<long, long>
{
    public static float Invoke(float x, float y) => x + y;
    public static double Invoke(double x, double y) => x + y;
    public static int Invoke(int x, int y) => x + y;
    public static long Invoke(long x, long y) => x + y;

    static bool IBinaryOp<float, float>.Vectorizable => true;

    static TV IBinaryOp<float, float>.Invoke<TV>(TV x, TV y) => x + y;

    static bool IBinaryOp<double, double>.Vectorizable => true;

    static TV IBinaryOp<double, double>.Invoke<TV>(TV x, TV y) => x + y;

    static bool IBinaryOp<int, int>.Vectorizable => true;

    static TV IBinaryOp<int, int>.Invoke<TV>(TV x, TV y) => x + y;

    static bool IBinaryOp<long, long>.Vectorizable => true;

    static TV IBinaryOp<long, long>.Invoke<TV>(TV x, TV y) => x + y;
}

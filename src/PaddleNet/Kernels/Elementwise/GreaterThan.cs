using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle op greater_than: Out = (X &gt; Y).
/// Inputs X, Y (same dtype: float32, float64, int32, int64, bool) → Out bool; attribute
/// <c>axis</c> (default −1) with legacy broadcasting (<see cref="Broadcast"/>).
/// </summary>
internal sealed class GreaterThanKernel(BinaryOperands p) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new GreaterThanKernel(BinaryOperands.From(b));

    public override void Execute(RunContext ctx) => BinaryDriver.Compare<GreaterThanOp>(ctx, p);
}

/// <summary>The scalar forms of <c>greater_than</c>.</summary>
internal readonly struct GreaterThanOp : IBinaryOp<float, bool>, IBinaryOp<double, bool>, IBinaryOp<int, bool>, IBinaryOp<long, bool>, IBinaryOp<bool, bool>
{
    public static bool Invoke(float x, float y) => x > y;
    public static bool Invoke(double x, double y) => x > y;
    public static bool Invoke(int x, int y) => x > y;
    public static bool Invoke(long x, long y) => x > y;
    public static bool Invoke(bool x, bool y) => x && !y;
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle op logical_and: Out = X ∧ Y (non-bool inputs: nonzero is true).
/// Inputs X, Y (same dtype: float32, float64, int32, int64, bool) → Out bool; attribute
/// <c>axis</c> (default −1) with legacy broadcasting (<see cref="Broadcast"/>).
/// </summary>
internal sealed class LogicalAndKernel(BinaryOperands p) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new LogicalAndKernel(BinaryOperands.From(b));

    public override void Execute(RunContext ctx) => BinaryDriver.Compare<LogicalAndOp>(ctx, p);
}

/// <summary>The scalar forms of <c>logical_and</c>.</summary>
internal readonly struct LogicalAndOp : IBinaryOp<float, bool>, IBinaryOp<double, bool>, IBinaryOp<int, bool>, IBinaryOp<long, bool>, IBinaryOp<bool, bool>
{
    public static bool Invoke(float x, float y) => x != 0 && y != 0;
    public static bool Invoke(double x, double y) => x != 0 && y != 0;
    public static bool Invoke(int x, int y) => x != 0 && y != 0;
    public static bool Invoke(long x, long y) => x != 0 && y != 0;
    public static bool Invoke(bool x, bool y) => x && y;
}

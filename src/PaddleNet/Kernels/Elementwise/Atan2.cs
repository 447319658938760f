using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle op atan2: Out = atan2(X1, X2), the angle of (X2, X1) in (−π, π]. Inputs X1, X2 (same dtype: float32, float64)
/// → Out (that dtype), numpy broadcasting. (Paddle also takes integer inputs, giving float64; not supported here.)
/// </summary>
internal sealed class Atan2Kernel(BinaryOperands p) : Kernel
{
    public static Kernel Create(KernelBuilder b) =>
        new Atan2Kernel(new BinaryOperands(b.RequiredInput("X1"), b.RequiredInput("X2"), b.RequiredOutput("Out"), -1, "atan2"));

    public override void Execute(RunContext ctx)
    {
        var t = ctx.Type(p.X);
        if (ctx.Type(p.Y) != t) throw p.BadType(ctx, "X1 and X2 of the same type");
        switch (t)
        {
            case DataType.Float32: BinaryDriver.Run<Atan2Op, float, float>(ctx, p); break;
            case DataType.Float64: BinaryDriver.Run<Atan2Op, double, double>(ctx, p); break;
            default: throw p.BadType(ctx, "float32 or float64");
        }
    }
}

/// <summary>The scalar forms of <c>atan2</c>.</summary>
internal readonly struct Atan2Op : IBinaryOp<float, float>, IBinaryOp<double, double>
{
    public static float Invoke(float y, float x) => MathF.Atan2(y, x);
    public static double Invoke(double y, double x) => Math.Atan2(y, x);
}

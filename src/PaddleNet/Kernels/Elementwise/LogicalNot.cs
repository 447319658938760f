using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>Paddle op logical_not: Out = ¬X (bool; non-bool inputs: zero is false) → bool.</summary>
internal sealed class LogicalNotKernel(int x, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new LogicalNotKernel(b.RequiredInput("X"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx)
    {
        var t = ctx.Type(x);
        int size = t.SizeOf();
        var src = ctx.ReadBytes(x);
        var dst = ctx.Allocate<bool>(output, ctx.Shape(x));
        if (t is DataType.Float32 or DataType.Float64 or DataType.Float16)
        {
            for (int i = 0; i < dst.Length; i++) dst[i] = ctx.ReadDouble(x, i) == 0;
            return;
        }
        for (int i = 0; i < dst.Length; i++)
        {
            bool any = false;
            for (int k = 0; k < size; k++) any |= src[i * size + k] != 0;
            dst[i] = !any;
        }
    }
}

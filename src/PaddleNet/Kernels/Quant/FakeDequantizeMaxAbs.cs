using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Quant;

/// <summary>Paddle op fake_dequantize_max_abs: Out = (X * Scale[0]) / max_range.</summary>
internal sealed class FakeDequantizeMaxAbsKernel(int x, int scale, int output, float maxRange) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        if (!b.Attrs.Has("max_range")) throw b.Unsupported("attribute 'max_range' is missing");
        return new FakeDequantizeMaxAbsKernel(b.RequiredInput("X"), b.RequiredInput("Scale"), b.RequiredOutput("Out"), b.Attrs.GetFloat("max_range", 1f));
    }

    public override void Execute(RunContext ctx)
    {
        Span<float> s = [(float)ctx.ReadDouble(scale, 0)];
        QuantCore.Dequantize(ctx.Read<float>(x), ctx.Allocate<float>(output, ctx.Shape(x)), ctx.Shape(x), -1, s, maxRange);
    }
}

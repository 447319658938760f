using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Paddle legacy <c>mean</c> (PIR <c>mean_all</c>): X → Out, the mean of all elements as a 0-D tensor (Paddle ≥ 2.5;
/// older programs declare [1], which holds the same one value). float32/float64, summed in double.
/// </summary>
internal sealed class MeanKernel(int x, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new MeanKernel(b.RequiredInput("X"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx)
    {
        var type = ctx.Type(x);
        if (type is not (DataType.Float32 or DataType.Float64)) throw new ShapeMismatchException("mean X", "float32 or float64", type.Name(), "mean");
        long n = ctx.ElementCount(x);
        double sum = 0;
        for (long i = 0; i < n; i++) sum += ctx.ReadDouble(x, (int)i);
        DataMove.Fill(ctx.AllocateBytes(output, type, []), type, n == 0 ? double.NaN : sum / n);
    }
}

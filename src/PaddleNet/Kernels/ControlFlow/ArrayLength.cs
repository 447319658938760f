using PaddleNet.Runtime;

namespace PaddleNet.Kernels.ControlFlow;

/// <summary>Paddle ops lod_array_length / array_length: Out = number of elements of array X, an int64 tensor of shape [1].</summary>
internal sealed class ArrayLengthKernel(int array, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new ArrayLengthKernel(b.RequiredInput(b.Op.Input("X") is null ? "x" : "X"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx) => ctx.Allocate<long>(output, [1])[0] = ctx.Array(array).Count;
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels.ControlFlow;

/// <summary>Paddle op read_from_array (PIR array_read): Out = X[I]; reading an element never written is an error.</summary>
internal sealed class ReadFromArrayKernel(int array, int index, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new ReadFromArrayKernel(b.RequiredInput(b.Op.Input("X") is null ? "array" : "X"), b.RequiredInput("I"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx)
    {
        var a = ctx.Array(array);
        int i = ArrayIndex.Read(ctx, index);
        var dst = ctx.AllocateBytes(output, a.Type(i), a.Shape(i));
        a.Bytes(i).CopyTo(dst);
    }
}

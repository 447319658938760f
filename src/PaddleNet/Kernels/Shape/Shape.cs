using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>shape</c> (PIR <c>shape</c>/<c>shape64</c>): Input → Out, the 1-D tensor of Input's dims. The dtype is the
/// output variable's declared one (int64 for PIR shape64), int32 when undeclared (legacy).
/// </summary>
internal sealed class ShapeKernel : Kernel
{
    private readonly int _x, _out;
    private readonly bool _int64;

    private ShapeKernel(int x, int output, bool int64)
    {
        _x = x;
        _out = output;
        _int64 = int64;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var declared = b.DeclaredType("Out") ?? DataType.Int32;
        if (declared is not (DataType.Int32 or DataType.Int64)) throw b.Unsupported($"output dtype {declared.Name()}");
        return new ShapeKernel(b.RequiredInput("Input"), b.RequiredOutput("Out"), declared == DataType.Int64);
    }

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        Span<int> shape = stackalloc int[1] { input.Length };
        if (_int64)
        {
            var y = ctx.Allocate<long>(_out, shape);
            for (int i = 0; i < input.Length; i++) y[i] = input[i];
        }
        else
        {
            input.CopyTo(ctx.Allocate<int>(_out, shape));
        }
    }
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>empty</c> (PIR <c>empty</c>): (ShapeTensor, ShapeTensorList) → Out of attribute <c>shape</c> and <c>dtype</c>
/// (Paddle code, default float32). Paddle leaves the memory uninitialised; we give zeros, so runs are reproducible.
/// </summary>
internal sealed class EmptyKernel : Kernel
{
    private readonly int _out, _shapeTensor;
    private readonly int[] _shapeList;
    private readonly long[] _shape;
    private readonly DataType _type;

    private EmptyKernel(KernelBuilder b)
    {
        _out = b.RequiredOutput("Out");
        _shapeTensor = b.Input("ShapeTensor");
        _shapeList = b.InputList("ShapeTensorList");
        _shape = b.Attrs.GetLongs("shape");
        _type = DataMove.FromPaddle(b, b.Attrs.GetLong("dtype", 5));
    }

    public static Kernel Create(KernelBuilder b) => new EmptyKernel(b);

    public override void Execute(RunContext ctx)
    {
        Span<long> dims = stackalloc long[RunContext.MaxRank];
        int n = DataMove.ReadIntArray(ctx, _shapeList, _shapeTensor, _shape, dims, tensorFirst: true);
        Span<int> shape = stackalloc int[n];
        for (int i = 0; i < n; i++) shape[i] = checked((int)dims[i]);
        ctx.AllocateBytes(_out, _type, shape).Clear();
    }
}

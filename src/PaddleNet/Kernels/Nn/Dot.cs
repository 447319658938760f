using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>dot</c>: X, Y of one shape ([N] or [B, N]) → Out = Σ X·Y over the last dim, shape X.shape[:−1] (0-D for
/// vectors). float32, float64, int32, int64 (floats summed in double).
/// </summary>
internal sealed class DotKernel(int x, int y, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new DotKernel(b.RequiredInput("X"), b.RequiredInput("Y"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(x);
        var type = ctx.Type(x);
        if (xs.Length is < 1 or > 2 || !xs.SequenceEqual(ctx.Shape(y)) || ctx.Type(y) != type) throw new ShapeMismatchException("dot X/Y", "two 1-D or 2-D tensors of one shape and dtype", $"[{string.Join(", ", xs.ToArray())}] {type.Name()} and [{string.Join(", ", ctx.Shape(y).ToArray())}] {ctx.Type(y).Name()}", "dot");
        int n = xs[^1];
        int rows = xs.Length == 2 ? xs[0] : 1;
        var dst = ctx.AllocateBytes(output, type, xs[..^1]);
        int es = type.SizeOf();
        bool integral = type is DataType.Int32 or DataType.Int64;
        if (!integral && type is not (DataType.Float32 or DataType.Float64)) throw new ShapeMismatchException("dot X", "float32, float64, int32 or int64", type.Name(), "dot");
        for (int r = 0; r < rows; r++)
        {
            double acc = 0;
            long accI = 0;
            for (int i = 0; i < n; i++)
            {
                if (integral) accI += ctx.ReadInt64(x, r * n + i) * ctx.ReadInt64(y, r * n + i);
                else acc += ctx.ReadDouble(x, r * n + i) * ctx.ReadDouble(y, r * n + i);
            }
            var target = dst.Slice(r * es, es);
            if (type == DataType.Int64) System.Runtime.InteropServices.MemoryMarshal.Write(target, in accI);
            else DataMove.Fill(target, type, integral ? accI : acc);
        }
    }
}

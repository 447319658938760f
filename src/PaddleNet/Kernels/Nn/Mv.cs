using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>Paddle <c>mv</c>: X [M, N], Vec [N] → Out [M] = X·Vec. float32/float64, summed in double.</summary>
internal sealed class MvKernel(int x, int vec, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new MvKernel(b.RequiredInput("X"), b.RequiredInput("Vec"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(x);
        var vs = ctx.Shape(vec);
        var type = ctx.Type(x);
        if (xs.Length != 2 || vs.Length != 1 || vs[0] != xs[1]) throw new ShapeMismatchException("mv X/Vec", "[M, N] and [N]", $"[{string.Join(", ", xs.ToArray())}] and [{string.Join(", ", vs.ToArray())}]", "mv");
        if (type is not (DataType.Float32 or DataType.Float64) || ctx.Type(vec) != type) throw new ShapeMismatchException("mv X/Vec", "float32 or float64, the same for both", $"{type.Name()}/{ctx.Type(vec).Name()}", "mv");
        int m = xs[0], n = xs[1], es = type.SizeOf();
        var dst = ctx.AllocateBytes(output, type, [m]);
        for (int i = 0; i < m; i++)
        {
            double acc = 0;
            for (int j = 0; j < n; j++) acc += ctx.ReadDouble(x, i * n + j) * ctx.ReadDouble(vec, j);
            DataMove.Fill(dst.Slice(i * es, es), type, acc);
        }
    }
}

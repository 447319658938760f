using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>where_index</c> (PIR <c>nonzero</c>): Condition (bool or numeric; non-zero is true) → Out [count, rank] int64,
/// the coordinates of every true element in row-major order (numpy.argwhere). A 0-D condition gives [count, 0].
/// </summary>
internal sealed class WhereIndexKernel(int condition, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new WhereIndexKernel(b.RequiredInput("Condition"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx)
    {
        var cs = ctx.Shape(condition);
        int r = cs.Length;
        long n = ctx.ElementCount(condition);
        var type = ctx.Type(condition);
        int count = 0;
        for (long i = 0; i < n; i++) if (IsTrue(ctx, type, i)) count++;
        var dst = ctx.Allocate<long>(output, [count, r]);
        int k = 0;
        for (long i = 0; i < n; i++)
        {
            if (!IsTrue(ctx, type, i)) continue;
            long rest = i;
            for (int d = r - 1; d >= 0; d--)
            {
                dst[k * r + d] = rest % cs[d];
                rest /= cs[d];
            }
            k++;
        }
    }

    private bool IsTrue(RunContext ctx, DataType type, long i) =>
        type is DataType.Float32 or DataType.Float64 or DataType.Float16 ? ctx.ReadDouble(condition, (int)i) != 0 : ctx.ReadInt64(condition, (int)i) != 0;
}

using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>meshgrid</c>: X[] (k tensors, 1-D or 0-D, sizes n1..nk) → Out[] (k tensors of shape [n1, …, nk]), Out[i]
/// holding X[i] broadcast along dim i ('ij' indexing, numpy.meshgrid(..., indexing='ij')). Any dtype.
/// </summary>
internal sealed class MeshgridKernel : Kernel
{
    private readonly int[] _xs, _outs;

    private MeshgridKernel(int[] xs, int[] outs)
    {
        _xs = xs;
        _outs = outs;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var xs = b.InputList("X");
        var outs = b.OutputList("Out");
        if (xs.Length == 0 || xs.Length != outs.Length) throw b.Unsupported($"{xs.Length} inputs for {outs.Length} outputs");
        if (xs.Length > RunContext.MaxRank) throw b.Unsupported($"{xs.Length} inputs (rank above {RunContext.MaxRank})");
        return new MeshgridKernel(xs, outs);
    }

    public override void Execute(RunContext ctx)
    {
        int k = _xs.Length;
        Span<int> shape = stackalloc int[k];
        for (int i = 0; i < k; i++)
        {
            if (ctx.Rank(_xs[i]) > 1) throw new ShapeMismatchException($"meshgrid X[{i}]", "a 1-D or 0-D tensor", $"rank {ctx.Rank(_xs[i])}", "meshgrid");
            shape[i] = (int)ctx.ElementCount(_xs[i]);
        }
        Span<long> ss = stackalloc long[k];
        for (int i = 0; i < k; i++)
        {
            var type = ctx.Type(_xs[i]);
            var dst = ctx.AllocateBytes(_outs[i], type, shape);
            ss.Clear();
            ss[i] = 1;
            DataMove.Gather(ctx.ReadBytes(_xs[i]), 0, ss, dst, shape, type.SizeOf());
        }
    }
}

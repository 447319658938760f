using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>transpose2</c> (PIR <c>transpose</c>, attr perm): X → Out (XShape ignored); out dim i = in dim axis[i],
/// out[j…] = x[j permuted back]. Attribute <c>axis</c> (permutation, required). Any dtype (strided box copy).
/// </summary>
internal sealed class Transpose2Kernel : Kernel
{
    private readonly int _x, _out;
    private readonly int[] _perm;

    private Transpose2Kernel(int x, int output, int[] perm)
    {
        _x = x;
        _out = output;
        _perm = perm;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var perm = b.Attrs.GetInts("axis");
        var seen = new bool[perm.Length];
        for (int i = 0; i < perm.Length; i++)
        {
            int a = perm[i] < 0 ? perm[i] + perm.Length : perm[i];
            if (a < 0 || a >= perm.Length || seen[a]) throw b.Unsupported($"axis [{string.Join(", ", perm)}] is not a permutation");
            seen[a] = true;
            perm[i] = a;
        }
        return new Transpose2Kernel(b.RequiredInput("X"), b.RequiredOutput("Out"), perm);
    }

    public override void Execute(RunContext ctx)
    {
        var input = ctx.Shape(_x);
        int r = input.Length;
        if (r != _perm.Length) throw new ShapeMismatchException("transpose2 X", $"rank {_perm.Length}", $"rank {r}");
        Span<long> inStrides = stackalloc long[RunContext.MaxRank];
        DataMove.Strides(input, inStrides[..r]);
        Span<int> shape = stackalloc int[r];
        Span<long> ss = stackalloc long[r];
        for (int i = 0; i < r; i++)
        {
            shape[i] = input[_perm[i]];
            ss[i] = inStrides[_perm[i]];
        }
        var type = ctx.Type(_x);
        var dst = ctx.AllocateBytes(_out, type, shape);
        DataMove.Gather(ctx.ReadBytes(_x), 0, ss, dst, shape, type.SizeOf());
    }
}

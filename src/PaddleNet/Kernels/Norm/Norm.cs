using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Norm;

/// <summary>
/// Paddle legacy <c>norm</c> (l2_normalize): along <c>axis</c> (default −1),
/// Norm = sqrt(Σ x² + <c>epsilon</c> (1e-10)), Out = x / Norm. Norm output (X's shape with axis size 1) is written
/// when present. float32.
/// </summary>
internal sealed class NormKernel : Kernel
{
    private readonly int _x, _out, _norm;
    private readonly long _axis;
    private readonly float _eps;

    private NormKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _out = b.RequiredOutput("Out");
        _norm = b.Output("Norm");
        _axis = b.Attrs.GetLong("axis", -1);
        _eps = b.Attrs.GetFloat("epsilon", 1e-10f);
    }

    public static Kernel Create(KernelBuilder b) => new NormKernel(b);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        int rank = xs.Length;
        long axis = _axis < 0 ? _axis + rank : _axis;
        if (axis < 0 || axis >= rank) throw new ShapeMismatchException("norm axis", $"in [-{rank}, {rank})", _axis.ToString());
        long outer = 1, n = xs[(int)axis], inner = 1;
        for (int d = 0; d < axis; d++) outer *= xs[d];
        for (int d = (int)axis + 1; d < rank; d++) inner *= xs[d];
        var x = ctx.Read<float>(_x);
        var y = ctx.Allocate<float>(_out, xs);
        scoped Span<float> norm = default;
        if (_norm >= 0)
        {
            Span<int> ns = stackalloc int[RunContext.MaxRank];
            xs.CopyTo(ns);
            ns[(int)axis] = 1;
            norm = ctx.Allocate<float>(_norm, ns[..rank]);
        }
        for (long o = 0; o < outer; o++)
        {
            for (long i = 0; i < inner; i++)
            {
                long b0 = o * n * inner + i;
                float s = 0f;
                for (long k = 0; k < n; k++)
                {
                    float v = x[(int)(b0 + k * inner)];
                    s += v * v;
                }
                float nv = MathF.Sqrt(s + _eps);
                for (long k = 0; k < n; k++) y[(int)(b0 + k * inner)] = x[(int)(b0 + k * inner)] / nv;
                if (norm.Length > 0) norm[(int)(o * inner + i)] = nv;
            }
        }
    }
}

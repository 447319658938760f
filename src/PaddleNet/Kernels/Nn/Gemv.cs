using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Single-row product c[N] = a[K]·B[K,N] over B packed by <see cref="Sgemm.PackB"/> (NR-column panels, k-major), for
/// M = 1 (a classifier on one image, 1×1 convs on a 1×1 plane): the 6-row micro-kernel would waste 5 of its rows and
/// keep one stream of B in flight; this kernel keeps 8 vector accumulators over 8·lanes/NR panels (4 panels at 512
/// bits), so 4 streams of B are read at once (software prefetch 4–32 steps ahead measured no gain over the hardware's
/// on these L3-resident weights, and hurt at 16+). Every c[j] is the FMA chain over
/// k in increasing order from zero that <see cref="Sgemm.Compute"/> computes for a row (its K blocks store and reload
/// the chain exactly), with the same multiply-add per width, so a row's bits do not depend on the batch.
/// </summary>
internal static unsafe class Gemv
{
    /// <summary>Panels one call of the vector body covers at the best width (the parallel unit).</summary>
    public static int GroupPanels => GroupOf(Sgemm.BestPath);

    private static int GroupOf(Sgemm.MicroPath path) => path switch
    {
        Sgemm.MicroPath.V512 => 4,
        Sgemm.MicroPath.V256 => 2,
        _ => 1,
    };

    /// <summary>Groups of panels in an N-column product at <paramref name="path"/>'s width (<see cref="GroupPanels"/> each at the best).</summary>
    public static int Groups(int n, Sgemm.MicroPath path = Sgemm.MicroPath.Best)
    {
        int g = GroupOf(path == Sgemm.MicroPath.Best ? Sgemm.BestPath : path);
        return (Sgemm.Panels(n) + g - 1) / g;
    }

    /// <summary>
    /// c[j] = Σ_k a[k]·b(k, j) for the columns of panel groups [<paramref name="g0"/>, <paramref name="g1"/>) (groups of
    /// <see cref="GroupPanels"/> panels at <paramref name="path"/>'s width); <paramref name="pb"/> is the whole packed B,
    /// <paramref name="a"/> holds K contiguous floats. <paramref name="path"/> names the micro-kernel family whose bits to match.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(int n, int k, float* a, float* pb, float* c, int g0, int g1, Sgemm.MicroPath path = Sgemm.MicroPath.Best)
    {
        if (path == Sgemm.MicroPath.Best) path = Sgemm.BestPath;
        switch (path)
        {
            case Sgemm.MicroPath.V512: Run<Vec512<float>>(n, k, a, pb, c, g0, g1); break;
            case Sgemm.MicroPath.V256: Run<Vec256<float>>(n, k, a, pb, c, g0, g1); break;
            case Sgemm.MicroPath.V128:
            case Sgemm.MicroPath.V128Wide: Run<Vec128<float>>(n, k, a, pb, c, g0, g1); break;
            default: RunScalar(n, k, a, pb, c, g0, g1); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TV>(int n, int k, float* a, float* pb, float* c, int g0, int g1)
        where TV : struct, IVec<TV, float>
    {
        const int nr = Sgemm.NR;
        int group = 8 * TV.Count / nr;
        int panels = Sgemm.Panels(n);
        long stride = (long)k * nr;
        float* tile = stackalloc float[8 * 16];
        for (int g = g0; g < g1; g++)
        {
            int p0 = g * group;
            int last = Math.Min(p0 + group, panels) - 1;
            int cols = Math.Min(group * nr, n - p0 * nr);
            // The group's 8 vectors in C order: vector i is panel (i·lanes)/NR, columns (i·lanes)%NR. A group past the
            // last panel re-reads it (its results are dropped), so every group runs the same unrolled body.
            float* q0 = Stream(pb, stride, p0, 0, TV.Count, last);
            float* q1 = Stream(pb, stride, p0, 2, TV.Count, last);
            float* q2 = Stream(pb, stride, p0, 4, TV.Count, last);
            float* q3 = Stream(pb, stride, p0, 6, TV.Count, last);
            float* dst = cols == group * nr ? c + (long)p0 * nr : tile;
            Body<TV>(k, a, q0, q1, q2, q3, dst);
            if (dst == tile)
            {
                for (int j = 0; j < cols; j++) c[(long)p0 * nr + j] = tile[j];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Stream(float* pb, long stride, int p0, int vector, int lanes, int last)
    {
        int off = vector * lanes;
        return pb + Math.Min(p0 + off / Sgemm.NR, last) * stride + off % Sgemm.NR;
    }

    /// <summary>8 accumulators, two at each of <paramref name="q0"/>..<paramref name="q3"/> (lanes apart); stores 8·lanes floats at <paramref name="c"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Body<TV>(int k, float* a, float* q0, float* q1, float* q2, float* q3, float* c)
        where TV : struct, IVec<TV, float>
    {
        const int nr = Sgemm.NR;
        int w = TV.Count;
        TV c0 = TV.Zero, c1 = TV.Zero, c2 = TV.Zero, c3 = TV.Zero, c4 = TV.Zero, c5 = TV.Zero, c6 = TV.Zero, c7 = TV.Zero;
        for (int kk = 0; kk < k; kk++)
        {
            long o = (long)kk * nr;
            var x = TV.Create(a[kk]);
            c0 = TV.MultiplyAdd(x, TV.Load(q0 + o), c0); c1 = TV.MultiplyAdd(x, TV.Load(q0 + o + w), c1);
            c2 = TV.MultiplyAdd(x, TV.Load(q1 + o), c2); c3 = TV.MultiplyAdd(x, TV.Load(q1 + o + w), c3);
            c4 = TV.MultiplyAdd(x, TV.Load(q2 + o), c4); c5 = TV.MultiplyAdd(x, TV.Load(q2 + o + w), c5);
            c6 = TV.MultiplyAdd(x, TV.Load(q3 + o), c6); c7 = TV.MultiplyAdd(x, TV.Load(q3 + o + w), c7);
        }
        TV.Store(c0, c); TV.Store(c1, c + w); TV.Store(c2, c + 2 * w); TV.Store(c3, c + 3 * w);
        TV.Store(c4, c + 4 * w); TV.Store(c5, c + 5 * w); TV.Store(c6, c + 6 * w); TV.Store(c7, c + 7 * w);
    }

    /// <summary>The scalar family: <see cref="Sgemm.MicroScalar"/>'s sum (s += a·b, k increasing) per column, one panel per group.</summary>
    private static void RunScalar(int n, int k, float* a, float* pb, float* c, int g0, int g1)
    {
        const int nr = Sgemm.NR;
        for (int p = g0; p < g1; p++)
        {
            float* b = pb + (long)p * k * nr;
            int cols = Math.Min(nr, n - p * nr);
            for (int q = 0; q < cols; q++)
            {
                float s = 0f;
                for (int kk = 0; kk < k; kk++) s += a[kk] * b[(long)kk * nr + q];
                c[(long)p * nr + q] = s;
            }
        }
    }
}

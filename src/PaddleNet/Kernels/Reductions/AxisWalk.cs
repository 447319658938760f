using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Plain helpers for reductions written as two passes over the input (logsumexp, mean): the reduced-axis mask from an
/// axis list, the output shape, and each input element's output position.
/// </summary>
internal static class AxisWalk
{
    public static int Mask(ReadOnlySpan<long> axes, bool all, int rank, string op)
    {
        if (all || axes.Length == 0 || rank == 0) return rank == 0 ? 0 : (1 << rank) - 1;
        int mask = 0;
        foreach (var a in axes) mask |= 1 << DataMove.NormAxis((int)a, rank, $"{op} axis");
        return mask;
    }

    /// <summary>Output dims: reduced dims dropped (or kept as 1). Returns the output rank.</summary>
    public static int OutShape(ReadOnlySpan<int> xs, int mask, bool keep, Span<int> os)
    {
        int k = 0;
        for (int d = 0; d < xs.Length; d++)
        {
            if ((mask >> d & 1) == 0) os[k++] = xs[d];
            else if (keep) os[k++] = 1;
        }
        return k;
    }

    /// <summary>Flat output index of input element <paramref name="flat"/>.</summary>
    public static long OutIndex(long flat, ReadOnlySpan<int> xs, int mask)
    {
        long o = 0, mul = 1;
        for (int d = xs.Length - 1; d >= 0; d--)
        {
            long i = flat % xs[d];
            flat /= xs[d];
            if ((mask >> d & 1) == 0)
            {
                o += i * mul;
                mul *= xs[d];
            }
        }
        return o;
    }
}

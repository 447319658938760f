using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Detection;

/// <summary>
/// Per-image row counts of a box tensor (Paddle's <c>RoisNum</c> / <c>RpnRoisNum</c> inputs, or a legacy program's
/// LoD made explicit by <see cref="LodLowering"/>): int32 or int64 [N]. Without them every row belongs to image 0,
/// which is only unambiguous for a batch of one: the callers check that.
/// </summary>
internal static class RoisNum
{
    /// <summary>Image count: the counts' length, or 1 when <paramref name="id"/> is absent.</summary>
    public static int Images(RunContext ctx, int id) => id >= 0 ? (int)ctx.ElementCount(id) : 1;

    /// <summary>
    /// Fills <paramref name="offsets"/> (length images + 1) with row offsets and checks they cover exactly
    /// <paramref name="rows"/> rows.
    /// </summary>
    public static void Offsets(RunContext ctx, int id, int rows, Span<int> offsets, string opType, string slot)
    {
        offsets[0] = 0;
        if (id < 0)
        {
            offsets[1] = rows;
            return;
        }
        int n = offsets.Length - 1;
        for (int i = 0; i < n; i++)
        {
            long c = ctx.ReadInt64(id, i);
            if (c < 0 || offsets[i] + c > rows) throw new ShapeMismatchException($"{opType} {slot}", $"non-negative counts summing to {rows}", $"{offsets[i] + c} at image {i}", opType);
            offsets[i + 1] = offsets[i] + (int)c;
        }
        if (offsets[n] != rows) throw new ShapeMismatchException($"{opType} {slot}", $"counts summing to {rows} rows", $"{offsets[n]}", opType);
    }

    internal static string Fmt(ReadOnlySpan<int> s) => "[" + string.Join(", ", s.ToArray()) + "]";
}

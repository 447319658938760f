using System.Runtime.InteropServices;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>scatter_nd_add</c>: X, Index (int32/int64 [..., k], k ≤ rank X), Updates (Index.shape[:−1] + X.shape[k:]) →
/// Out = X with each Updates slice added at the X slice its k-tuple addresses (duplicates accumulate; negative entries
/// count from the end). float32, float64, int32, int64.
/// </summary>
internal sealed class ScatterNdAddKernel(int x, int index, int updates, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b) =>
        new ScatterNdAddKernel(b.RequiredInput("X"), b.RequiredInput("Index"), b.RequiredInput("Updates"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx)
    {
        const string op = "scatter_nd_add";
        var xs = ctx.Shape(x);
        var ids = ctx.Shape(index);
        var type = ctx.Type(x);
        if (type is not (DataType.Float32 or DataType.Float64 or DataType.Int32 or DataType.Int64) || ctx.Type(updates) != type) throw new ShapeMismatchException("scatter_nd_add X/Updates", "float32/float64/int32/int64, the same for both", $"{type.Name()}/{ctx.Type(updates).Name()}", op);
        int r = xs.Length;
        int k = ids.Length == 0 ? 0 : ids[^1];
        if (k > r) throw new ShapeMismatchException("scatter_nd_add Index", $"last dim <= {r}", k.ToString(System.Globalization.CultureInfo.InvariantCulture), op);
        long count = ids.Length == 0 ? 1 : DataMove.Product(ids, 0, ids.Length - 1);
        long slice = DataMove.Product(xs, k);
        if (ctx.ElementCount(updates) != count * slice) throw new ShapeMismatchException("scatter_nd_add Updates", $"{count * slice} elements (Index.shape[:-1] + X.shape[{k}:])", ctx.ElementCount(updates).ToString(System.Globalization.CultureInfo.InvariantCulture), op);
        var dst = ctx.AllocateBytes(output, type, xs);
        ctx.ReadBytes(x).CopyTo(dst);
        Span<long> strides = stackalloc long[RunContext.MaxRank];
        DataMove.Strides(xs, strides[..r]);
        for (long t = 0; t < count; t++)
        {
            long off = 0;
            for (int j = 0; j < k; j++)
            {
                long v = ctx.ReadInt64(index, (int)(t * k + j));
                if (v < 0) v += xs[j];
                if (v < 0 || v >= xs[j]) throw new ShapeMismatchException("scatter_nd_add Index", $"values in [-{xs[j]}, {xs[j]})", ctx.ReadInt64(index, (int)(t * k + j)).ToString(System.Globalization.CultureInfo.InvariantCulture), op);
                off += v * strides[j];
            }
            for (long e = 0; e < slice; e++) AddAt(dst, type, off + e, ctx, updates, t * slice + e);
        }
    }

    /// <summary>dst[at] += value[from], in the tensor's own arithmetic.</summary>
    internal static void AddAt(Span<byte> dst, DataType type, long at, RunContext ctx, int value, long from)
    {
        switch (type)
        {
            case DataType.Float32: MemoryMarshal.Cast<byte, float>(dst)[(int)at] += ctx.Read<float>(value)[(int)from]; break;
            case DataType.Float64: MemoryMarshal.Cast<byte, double>(dst)[(int)at] += ctx.Read<double>(value)[(int)from]; break;
            case DataType.Int32: MemoryMarshal.Cast<byte, int>(dst)[(int)at] += ctx.Read<int>(value)[(int)from]; break;
            case DataType.Int64: MemoryMarshal.Cast<byte, long>(dst)[(int)at] += ctx.Read<long>(value)[(int)from]; break;
            default: throw new ShapeMismatchException("scatter X", "float32/float64/int32/int64", type.Name());
        }
    }
}

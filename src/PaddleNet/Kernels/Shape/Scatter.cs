using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>scatter</c>: X, Ids (int32/int64, [M] or [M, 1] or 0-D), Updates ([M] + X.shape[1:]) → Out = X with rows Ids
/// replaced. <c>overwrite</c> (default true): row Ids[i] = Updates[i], the last write wins; false: the addressed rows are
/// zeroed first, then every update is added (duplicates accumulate), as Paddle's ScatterAssignAdd. Ids outside
/// [0, X.shape[0]) are an error. Overwrite: any dtype; accumulate: float32, float64, int32, int64.
/// </summary>
internal sealed class ScatterKernel(int x, int ids, int updates, int output, bool overwrite) : Kernel
{
    public static Kernel Create(KernelBuilder b) =>
        new ScatterKernel(b.RequiredInput("X"), b.RequiredInput("Ids"), b.RequiredInput("Updates"), b.RequiredOutput("Out"), b.Attrs.GetBool("overwrite", true));

    public override void Execute(RunContext ctx)
    {
        const string op = "scatter";
        var xs = ctx.Shape(x);
        var us = ctx.Shape(updates);
        var type = ctx.Type(x);
        if (xs.Length == 0) throw new ShapeMismatchException("scatter X", "rank >= 1", "a 0-D tensor", op);
        long m = ctx.ElementCount(ids);
        long row = DataMove.Product(xs, 1);
        if (ctx.ElementCount(updates) != m * row || ctx.Type(updates) != type) throw new ShapeMismatchException("scatter Updates", $"{m} rows of {row} {type.Name()}", $"[{string.Join(", ", us.ToArray())}] {ctx.Type(updates).Name()}", op);
        var dst = ctx.AllocateBytes(output, type, xs);
        ctx.ReadBytes(x).CopyTo(dst);
        int es = type.SizeOf();
        long rowBytes = row * es;
        var src = ctx.ReadBytes(updates);
        for (long i = 0; i < m; i++)
        {
            long r = ctx.ReadInt64(ids, (int)i);
            if (r < 0 || r >= xs[0]) throw new ShapeMismatchException("scatter Ids", $"values in [0, {xs[0]})", r.ToString(System.Globalization.CultureInfo.InvariantCulture), op);
            if (overwrite) src.Slice((int)(i * rowBytes), (int)rowBytes).CopyTo(dst.Slice((int)(r * rowBytes), (int)rowBytes));
            else dst.Slice((int)(r * rowBytes), (int)rowBytes).Clear();
        }
        if (overwrite) return;
        if (type is not (DataType.Float32 or DataType.Float64 or DataType.Int32 or DataType.Int64)) throw new ShapeMismatchException("scatter X", "float32/float64/int32/int64 when overwrite is false", type.Name(), op);
        for (long i = 0; i < m; i++)
        {
            long r = ctx.ReadInt64(ids, (int)i);
            for (long j = 0; j < row; j++) ScatterNdAddKernel.AddAt(dst, type, r * row + j, ctx, updates, i * row + j);
        }
    }
}

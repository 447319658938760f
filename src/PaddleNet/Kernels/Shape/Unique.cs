using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>unique</c> (PIR <c>unique</c>), over the flattened X (a non-empty <c>axis</c> is refused at load):
/// with <c>is_sorted</c> (what paddle.unique writes) it is numpy.unique — Out the sorted distinct values, Indices the first
/// occurrence of each, Index the inverse (X's position in Out), Counts; without it (the old fluid unique) Out keeps the
/// order of first occurrence and Index is the inverse. Index/Indices/Counts take attribute <c>dtype</c> (int32 default,
/// or int64). Values: float32, float64, int32, int64.
/// </summary>
internal sealed class UniqueKernel : Kernel
{
    private readonly int _x, _out, _indices, _index, _counts;
    private readonly bool _sorted;
    private readonly DataType _indexType;

    private UniqueKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _out = b.RequiredOutput("Out");
        _indices = b.Output("Indices");
        _index = b.Output("Index");
        _counts = b.Output("Counts");
        _sorted = b.Attrs.GetBool("is_sorted", false);
        _indexType = DataMove.FromPaddle(b, b.Attrs.GetLong("dtype", 2));
        if (_indexType is not (DataType.Int32 or DataType.Int64)) throw b.Unsupported($"dtype {_indexType.Name()} (int32 or int64 expected)");
        if (b.Attrs.GetLongs("axis").Length > 0) throw b.Unsupported("axis (unique along a dimension) is not supported; only the flattened form");
    }

    public static Kernel Create(KernelBuilder b) => new UniqueKernel(b);

    public override void Execute(RunContext ctx)
    {
        var type = ctx.Type(_x);
        if (type is not (DataType.Float32 or DataType.Float64 or DataType.Int32 or DataType.Int64)) throw new ShapeMismatchException("unique X", "float32/float64/int32/int64", type.Name(), "unique");
        int n = (int)ctx.ElementCount(_x);
        bool integral = type is DataType.Int32 or DataType.Int64;
        // Compare as long for integers (exact), as double for floats; (value, position) pairs sort stably by
        // position, so the first element of each run of equal values is its first occurrence. Scratch from the run.
        using var frame = ctx.Scratch.Open();
        var order = frame.Take<int>(n);
        if (integral)
        {
            var keys = frame.Take<(long Value, int Position)>(n);
            for (int i = 0; i < n; i++) keys[i] = (ctx.ReadInt64(_x, i), i);
            keys.Sort();
            for (int i = 0; i < n; i++) order[i] = keys[i].Position;
        }
        else
        {
            var keys = frame.Take<(double Value, int Position)>(n);
            for (int i = 0; i < n; i++) keys[i] = (ctx.ReadDouble(_x, i), i);
            keys.Sort();
            for (int i = 0; i < n; i++) order[i] = keys[i].Position;
        }
        int Cmp(int a, int b) => integral ? ctx.ReadInt64(_x, a).CompareTo(ctx.ReadInt64(_x, b)) : ctx.ReadDouble(_x, a).CompareTo(ctx.ReadDouble(_x, b));
        var groupOf = frame.Take<int>(n);
        var firsts = frame.Take<int>(n);
        var counts = frame.Take<long>(n);
        int u = 0;
        for (int i = 0; i < n; i++)
        {
            if (i == 0 || Cmp(order[i - 1], order[i]) != 0)
            {
                firsts[u] = order[i];
                counts[u++] = 0;
            }
            groupOf[order[i]] = u - 1;
            counts[u - 1]++;
        }
        var rank = frame.Take<int>(u); // group → position in Out
        var groups = frame.Take<int>(u);
        if (_sorted)
        {
            for (int g = 0; g < u; g++) groups[g] = g;
        }
        else
        {
            // groups by first occurrence (positions are distinct, so no ties)
            var byFirst = frame.Take<(int First, int Group)>(u);
            for (int g = 0; g < u; g++) byFirst[g] = (firsts[g], g);
            byFirst.Sort();
            for (int p = 0; p < u; p++) groups[p] = byFirst[p].Group;
        }
        for (int p = 0; p < u; p++) rank[groups[p]] = p;
        int es = type.SizeOf();
        var dst = ctx.AllocateBytes(_out, type, [u]);
        var src = ctx.ReadBytes(_x);
        for (int p = 0; p < u; p++) src.Slice(firsts[groups[p]] * es, es).CopyTo(dst.Slice(p * es, es));
        if (_index >= 0)
        {
            var inv = ctx.AllocateBytes(_index, _indexType, ctx.Shape(_x).Length == 0 ? [1] : [n]);
            for (int i = 0; i < n; i++) Put(inv, i, rank[groupOf[i]]);
        }
        if (_indices >= 0)
        {
            var idx = ctx.AllocateBytes(_indices, _indexType, [u]);
            for (int p = 0; p < u; p++) Put(idx, p, firsts[groups[p]]);
        }
        if (_counts >= 0)
        {
            var cnt = ctx.AllocateBytes(_counts, _indexType, [u]);
            for (int p = 0; p < u; p++) Put(cnt, p, counts[groups[p]]);
        }
    }

    private void Put(Span<byte> dst, int i, long v) => DataMove.Fill(dst.Slice(i * _indexType.SizeOf(), _indexType.SizeOf()), _indexType, v);
}

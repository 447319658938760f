using PaddleNet.Tests.Support;
using PaddleNet.Kernels;
using PaddleNet.Model;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Shape;

/// <summary>Runs one registered kernel on hand-made tensors (no model file): slots, attributes, declared output types.</summary>
internal sealed class OpHarness
{
    private readonly Operator _op;
    private readonly Dictionary<string, Tensor> _inputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DataType> _declared = new(StringComparer.Ordinal);

    public OpHarness(string type) => _op = new Operator(type);

    public OpHarness Input(string slot, params Tensor[] tensors)
    {
        var names = new string[tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            names[i] = $"{slot}.{i}";
            _inputs[names[i]] = tensors[i];
        }
        _op.Inputs[slot] = names;
        return this;
    }

    public OpHarness Output(string slot, int count = 1, DataType? declared = null)
    {
        var names = Enumerable.Range(0, count).Select(i => $"{slot}.out.{i}").ToArray();
        _op.Outputs[slot] = names;
        if (declared is DataType t) foreach (var n in names) _declared[n] = t;
        return this;
    }

    public OpHarness Attr(string name, object value)
    {
        _op.Attributes.Set(name, value);
        return this;
    }

    /// <summary>Runs the kernel (twice, to exercise buffer reuse) and returns the tensors of <paramref name="slot"/>.</summary>
    public Tensor[] Run(string slot = "Out")
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var n in _op.Inputs.Values.SelectMany(a => a).Concat(_op.Outputs.Values.SelectMany(a => a))) ids[n] = ids.Count;
        Assert.True(KernelRegistry.TryGet(_op.Type, out var factory), $"{_op.Type} is not registered");
        var builder = new KernelBuilder(_op, 0, 0, null, n => ids[n], _ => null, n => _declared.TryGetValue(n, out var t) ? t : null);
        var kernel = factory(builder);
        using var pool = new IntraOpPool(2);
        var ctx = new RunContext(ids.Count, pool);
        foreach (var (name, t) in _inputs) ctx.BindInput(ids[name], t);
        kernel.Execute(ctx);
        kernel.Execute(ctx);
        return _op.OutputList(slot).Select(n =>
        {
            int id = ids[n];
            var t = new Tensor(ctx.Type(id), ctx.Shape(id));
            ctx.ReadBytes(id).CopyTo(t.RawData);
            return t;
        }).ToArray();
    }

    public Tensor Run1(string slot = "Out") => Run(slot)[0];

    /// <summary>
    /// Bytes the calling thread allocates in steady-state runs of the kernel (3 warm-up runs, a full GC, then 3 measured
    /// runs on the same context, with <paramref name="threads"/> intra-op threads): 0 for a kernel whose per-run
    /// scratch comes from the run context.
    /// </summary>
    public long SteadyStateAllocatedBytes(int threads = 2)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var n in _op.Inputs.Values.SelectMany(a => a).Concat(_op.Outputs.Values.SelectMany(a => a))) ids[n] = ids.Count;
        Assert.True(KernelRegistry.TryGet(_op.Type, out var factory), $"{_op.Type} is not registered");
        var kernel = factory(new KernelBuilder(_op, 0, 0, null, n => ids[n], _ => null, n => _declared.TryGetValue(n, out var t) ? t : null));
        using var pool = new IntraOpPool(threads);
        var ctx = new RunContext(ids.Count, pool);
        foreach (var (name, t) in _inputs) ctx.BindInput(ids[name], t);
        for (int i = 0; i < 3; i++)
        {
            kernel.Execute(ctx);
            ctx.Scratch.Settle();
        }
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        Action run = () =>
        {
            kernel.Execute(ctx);
            ctx.Scratch.Settle();
        };
        return SteadyState.AllocatedBytes(run);
    }

    public static Tensor Floats(Random rng, params int[] shape)
    {
        var n = shape.Aggregate(1, (p, d) => p * d);
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return Tensor.FromSpan<float>(data, shape);
    }

    public static Tensor Longs(params long[] values) => Tensor.FromSpan<long>(values, [values.Length]);

    public static Tensor Ints(int[] values, params int[] shape) => Tensor.FromSpan<int>(values, shape.Length == 0 && values.Length != 1 ? [values.Length] : shape);

    /// <summary>Row-major flat index → multi-index.</summary>
    public static int[] Unravel(long flat, ReadOnlySpan<int> shape)
    {
        var idx = new int[shape.Length];
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            idx[i] = (int)(flat % shape[i]);
            flat /= shape[i];
        }
        return idx;
    }

    public static long Ravel(int[] idx, ReadOnlySpan<int> shape)
    {
        long f = 0;
        for (int i = 0; i < shape.Length; i++) f = f * shape[i] + idx[i];
        return f;
    }
}

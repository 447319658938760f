using PaddleNet.Tests.Support;
using PaddleNet.Kernels;
using PaddleNet.Model;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Reductions;

/// <summary>Runs one registered kernel directly (no model file): named slots in, named slots out, on a pool of N threads.</summary>
internal static class ReductionsHarness
{
    public static Tensor[] Run(string opType, Action<AttributeMap> attrs, (string Slot, Tensor Value)[] inputs, string[] outputs, int threads = 1)
    {
        var op = new Operator(opType);
        attrs(op.Attributes);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var g in inputs.GroupBy(i => i.Slot))
        {
            op.Inputs[g.Key] = g.Select((_, k) => $"in_{g.Key}_{k}").ToArray();
            foreach (var n in op.Inputs[g.Key]) ids[n] = ids.Count;
        }
        foreach (var o in outputs)
        {
            op.Outputs[o] = [$"out_{o}"];
            ids[$"out_{o}"] = ids.Count;
        }
        Assert.True(KernelRegistry.TryGet(opType, out var factory), $"{opType} is registered");
        var kernel = factory(new KernelBuilder(op, 0, 0, null, n => ids.TryGetValue(n, out var id) ? id : -1, _ => null));
        var pool = new IntraOpPool(threads);
        using var _ = threads > 1 ? pool : null; // a 1-thread pool has no workers to stop (and its Dispose throws: Release(0))
        var ctx = new RunContext(ids.Count, pool);
        foreach (var g in inputs.GroupBy(i => i.Slot))
        {
            int k = 0;
            foreach (var (_, t) in g) ctx.BindInput(ids[$"in_{g.Key}_{k++}"], t);
        }
        kernel.Execute(ctx);
        var result = new Tensor[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            int id = ids[$"out_{outputs[i]}"];
            var t = new Tensor(ctx.Type(id), ctx.Shape(id));
            ctx.ReadBytes(id).CopyTo(t.RawData);
            result[i] = t;
        }
        return result;
    }

    /// <summary>Bytes allocated on this thread by the third Execute of the same kernel on the same context (steady state).</summary>
    public static long SteadyStateAllocatedBytes(string opType, Action<AttributeMap> attrs, (string Slot, Tensor Value)[] inputs, string[] outputs)
    {
        var op = new Operator(opType);
        attrs(op.Attributes);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (slot, _) in inputs) { op.Inputs[slot] = [$"in_{slot}"]; ids[$"in_{slot}"] = ids.Count; }
        foreach (var o in outputs) { op.Outputs[o] = [$"out_{o}"]; ids[$"out_{o}"] = ids.Count; }
        Assert.True(KernelRegistry.TryGet(opType, out var factory));
        var kernel = factory(new KernelBuilder(op, 0, 0, null, n => ids.TryGetValue(n, out var id) ? id : -1, _ => null));
        var pool = new IntraOpPool(1); // no workers: nothing to dispose
        var ctx = new RunContext(ids.Count, pool);
        foreach (var (slot, t) in inputs) ctx.BindInput(ids[$"in_{slot}"], t);
        kernel.Execute(ctx);
        kernel.Execute(ctx);
        Action run = () => kernel.Execute(ctx);
        return SteadyState.AllocatedBytes(run, runsPerWindow: 1);
    }

    public static float[] RandomFloats(Random rng, int n, float lo = -1f, float hi = 1f)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (float)rng.NextDouble() * (hi - lo);
        return a;
    }

    public static Tensor F(float[] data, params int[] shape) => Tensor.FromSpan<float>(data, shape);
}

/// <summary>Tolerances of this family's differential tests.</summary>
internal static class ReductionsTolerances
{
    /// <summary>
    /// Fast (SIMD / TensorPrimitives, different summation order) vs scalar reference on float32 data in [−1, 1] with rows of
    /// up to a few hundred elements: reassociation error stays far below 1e-5 relative; 1e-5 abs covers sums near 0.
    /// </summary>
    public const double FastVsReferenceAbs = 1e-5;
    public const double FastVsReferenceRel = 1e-5;
}

using PaddleNet.Kernels;
using PaddleNet.Model;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Detection;

/// <summary>Runs one registered kernel on hand-made tensors (no model file): inputs bound by name, outputs read back.</summary>
internal static class DetectionHarness
{
    public static Dictionary<string, Tensor> Run(string opType, Dictionary<string, object> attrs, Dictionary<string, Tensor?> inputs, string[] outputSlots, int threads = 2)
    {
        var op = new Operator(opType);
        foreach (var (k, v) in attrs)
        {
            // the attribute map stores numbers as long / double, as the model readers do
            op.Attributes.Set(k, v switch { int i => (long)i, float f => (double)f, _ => v });
        }
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (slot, t) in inputs)
        {
            op.Inputs[slot] = t is null ? [] : [slot];
            if (t is not null) ids[slot] = ids.Count;
        }
        foreach (var slot in outputSlots)
        {
            op.Outputs[slot] = ["out_" + slot];
            ids["out_" + slot] = ids.Count;
        }
        Assert.True(KernelRegistry.TryGet(opType, out var factory), $"{opType} is not registered");
        var kernel = factory(new KernelBuilder(op, 0, 0, null, n => ids.TryGetValue(n, out var id) ? id : -1, _ => null));
        // IntraOpPool(1).Dispose throws (SemaphoreSlim.Release(0)), so a 1-thread pool is left undisposed: it has no workers
        var pool = new IntraOpPool(threads);
        try
        {
            return Execute(kernel, pool, ids, inputs, outputSlots);
        }
        finally
        {
            if (pool.Threads > 1) pool.Dispose();
        }
    }

    private static Dictionary<string, Tensor> Execute(Kernel kernel, IntraOpPool pool, Dictionary<string, int> ids, Dictionary<string, Tensor?> inputs, string[] outputSlots)
    {
        var ctx = new RunContext(ids.Count, pool);
        foreach (var (slot, t) in inputs)
        {
            if (t is not null) ctx.BindInput(ids[slot], t);
        }
        kernel.Execute(ctx);
        kernel.Execute(ctx); // a second run on the reused buffers must give the same answer
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var slot in outputSlots)
        {
            int id = ids["out_" + slot];
            result[slot] = new Tensor(ctx.Type(id), ctx.Shape(id).ToArray(), ctx.ReadBytes(id).ToArray());
        }
        return result;
    }

    public static Tensor F(float[] data, params int[] shape) => Tensor.FromSpan<float>(data, shape);

    public static Tensor I(int[] data, params int[] shape) => Tensor.FromSpan<int>(data, shape);
}

using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Runtime;

/// <summary>
/// Issue 14 item 6: a steady-state <see cref="InferenceSession.Run(ReadOnlySpan{Tensor}, ReadOnlySpan{Tensor})"/> allocates
/// nothing, whatever the intra-op thread count, after a full GC (which trims runtime pools) and on every ISA width
/// (this class runs in the scripts/test reruns with AVX-512, AVX2 and all intrinsics off). The calling thread is
/// measured with GC.GetAllocatedBytesForCurrentThread; the pool's threads through the contexts' scratch, which
/// must not grow (each intra-op thread's scratch lives in the run context).
/// </summary>
public sealed class InferenceSessionAllocationTests
{
    private static string SmallModel => SharedData.Path("models", "zoo", "PPLCNet_x0_25", "legacy");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Run_SmallModelSteadyState_AllocatesNothing(int threads)
    {
        using var session = new InferenceSession(SmallModel, new SessionOptions { IntraOpThreads = threads });
        var x = NpyFile.Read(Path.Combine(SmallModel, "reference", "small_48x64.in.x.npy"));
        var outputs = AssertSteadyStateAllocatesNothing(session, x);
        var expected = NpyFile.Read(Path.Combine(SmallModel, "reference", "small_48x64.out.0.npy"));
        TensorAssert.Close(expected, outputs[0], 1e-5, 1e-4, $"zero-allocation run, {threads} threads");
    }

    [Theory]
    [InlineData("PPLCNet_x1_0", 1)]
    [InlineData("PPLCNet_x1_0", 2)]
    [InlineData("PPLCNet_x1_0", 4)]
    [InlineData("MobileNetV3_large_x1_0", 1)]
    [InlineData("MobileNetV3_large_x1_0", 2)]
    [InlineData("MobileNetV3_large_x1_0", 4)]
    [InlineData("ResNet18_vd", 1)]
    [InlineData("ResNet18_vd", 2)]
    [InlineData("ResNet18_vd", 4)]
    public void Run_BenchModelSteadyState_AllocatesNothing(string model, int threads)
    {
        using var session = new InferenceSession(SharedData.Path("bench", model), new SessionOptions { IntraOpThreads = threads });
        var rng = new Random(1);
        var data = new float[3 * 224 * 224];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        var outputs = AssertSteadyStateAllocatesNothing(session, Tensor.FromSpan<float>(data, [1, 3, 224, 224]));
        Assert.Equal(1f, outputs[0].AsSpan<float>().ToArray().Sum(), 3); // softmax output: the runs really happened
    }

    private static Tensor[] AssertSteadyStateAllocatesNothing(InferenceSession session, Tensor x)
    {
        var outputs = session.Run(new Dictionary<string, Tensor> { [session.Inputs[0].Name] = x }).Select(t => new Tensor(t.DataType, t.Shape)).ToArray();
        Tensor[] inputs = [x];
        session.Run(inputs, outputs);
        session.Run(inputs, outputs);
        // A full, compacting GC between warm-up and measurement: runtime pools (ArrayPool.Shared) trim on gen-2
        // collections, so anything still renting from them would allocate again below.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        long scratch = session.IdleScratchBytes();
        Action run = () => session.Run(inputs, outputs);
        Assert.Equal(0, SteadyState.AllocatedBytes(run, runsPerWindow: 5));
        Assert.Equal(scratch, session.IdleScratchBytes());
        return outputs;
    }
}

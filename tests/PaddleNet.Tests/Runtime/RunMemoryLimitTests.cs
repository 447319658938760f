using PaddleNet.Runtime;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Runtime;

/// <summary>
/// SessionOptions.MaxRunMemoryBytes: a run whose values would need more is refused with a typed error naming the operator
/// and the option, before the buffer is allocated, and the session keeps serving runs that fit.
/// </summary>
public sealed class RunMemoryLimitTests
{
    private static string ModelDir => SharedData.Path("models", "zoo", "PPLCNet_x0_25", "legacy");

    private static Tensor Batch(int n)
    {
        var one = NpyFile.Read(Path.Combine(ModelDir, "reference", "rand_b1.in.x.npy"));
        var shape = one.Shape.ToArray();
        shape[0] = n;
        var data = new float[one.AsSpan<float>().Length * n];
        for (int i = 0; i < n; i++) one.AsSpan<float>().CopyTo(data.AsSpan(i * one.AsSpan<float>().Length));
        return Tensor.FromSpan<float>(data, shape);
    }

    [Fact]
    public void Run_OverTheLimit_IsRefusedNamingTheOperatorAndOption_AndTheSessionStillRuns()
    {
        long perImage;
        byte[] expected;
        using (var unlimited = new InferenceSession(ModelDir, new SessionOptions { MaxRunMemoryBytes = long.MaxValue }))
        {
            expected = unlimited.Run(new Dictionary<string, Tensor> { ["x"] = Batch(1) })[0].Bytes.ToArray();
            perImage = unlimited.IdleValueBytes();
        }
        Assert.True(perImage > 0);

        using var session = new InferenceSession(ModelDir, new SessionOptions { MaxRunMemoryBytes = 4 * perImage });
        var e = Assert.Throws<ShapeMismatchException>(() => session.Run(new Dictionary<string, Tensor> { ["x"] = Batch(16) }));
        Assert.Contains("MaxRunMemoryBytes", e.Expected);
        Assert.NotNull(e.OpType);   // the step runner names the operator that asked for the buffer
        Assert.True(session.IdleValueBytes() <= 4 * perImage);

        // The refused run left nothing broken: a batch that fits runs and gives the unlimited session's bytes.
        var y = session.Run(new Dictionary<string, Tensor> { ["x"] = Batch(1) })[0];
        Assert.True(y.Bytes.SequenceEqual(expected));
    }

    [Fact]
    public void Default_IsFourGiB_AndANonPositiveLimitIsRejected()
    {
        Assert.Equal(4L << 30, new SessionOptions().MaxRunMemoryBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceSession(ModelDir, new SessionOptions { MaxRunMemoryBytes = 0 }));
    }

    [Fact]
    public void TensorArray_FarIndexAndLargeElement_AreChargedToTheCap()
    {
        using var pool = new IntraOpPool(1);
        var ctx = new RunContext(1, [0], 1, pool, maxBytes: 1 << 20);
        var array = ctx.Array(0);
        // A hostile write_to_array index: 100 M empty slots would be gigabytes of bookkeeping before any data.
        var far = Assert.Throws<ShapeMismatchException>(() => array.Write(100_000_000, DataType.Float32, [1], new byte[4]));
        Assert.Contains("MaxRunMemoryBytes", far.Expected);
        Assert.Equal(0, array.Count);
        Assert.Throws<ShapeMismatchException>(() => array.Write(0, DataType.UInt8, [2 << 20], new byte[2 << 20]));
        Assert.False(array.Has(0));
        array.Write(0, DataType.Float32, [4], new byte[16]);   // what fits is still written
        Assert.True(array.Has(0));
    }
}

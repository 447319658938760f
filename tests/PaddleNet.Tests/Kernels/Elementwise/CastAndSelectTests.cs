using System.Runtime.InteropServices;
using PaddleNet.Kernels.Activations;
using PaddleNet.Kernels.Elementwise;

namespace PaddleNet.Tests.Kernels.Elementwise;

public sealed class CastAndSelectTests
{
    [Fact]
    public void Convert_FloatToInt32_TruncatesTowardZero()
    {
        float[] x = [-2.7f, 2.7f, 127.9f, -0.5f, 0f];
        var dst = new int[x.Length];
        CastKernel.Convert(MemoryMarshal.AsBytes(x.AsSpan()), DataType.Float32, MemoryMarshal.AsBytes(dst.AsSpan()), DataType.Int32);
        Assert.Equal([-2, 2, 127, 0, 0], dst);
    }

    [Fact]
    public void Convert_FloatToBool_OnlyZerosAreFalse()
    {
        float[] x = [0f, -0f, 1e-30f, -3f, float.NaN];
        var dst = new byte[x.Length];
        CastKernel.Convert(MemoryMarshal.AsBytes(x.AsSpan()), DataType.Float32, dst, DataType.Bool);
        Assert.Equal([0, 0, 1, 1, 1], dst);
    }

    [Fact]
    public void Convert_Int64ToFloat32_RoundsToNearest()
    {
        long[] x = [16777217, -3, 1L << 40];
        var dst = new float[x.Length];
        CastKernel.Convert(MemoryMarshal.AsBytes(x.AsSpan()), DataType.Int64, MemoryMarshal.AsBytes(dst.AsSpan()), DataType.Float32);
        Assert.Equal([16777216f, -3f, 1099511627776f], dst);
    }

    [Fact]
    public void Scale_BiasBeforeAndAfter_FollowsAttribute()
    {
        var after = new ScaleOp { Scale = 2.5f, Bias = 0.5f, BiasAfter = true };
        var before = new ScaleOp { Scale = 2.5f, Bias = 0.5f, BiasAfter = false };
        Assert.Equal(5.5f, after.Invoke(2f));
        Assert.Equal(6.25f, before.Invoke(2f));
        var rng = new Random(42);
        foreach (int n in new[] { 0, 1, 7, 8, 9, 17, 33 })
        {
            var x = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble() * 10 - 5).ToArray();
            var fast = new float[n];
            var reference = new float[n];
            before.Apply(x, fast);
            UnaryDriver.Reference(before, x, reference);
            Assert.Equal(reference, fast);
        }
    }

    [Fact]
    public void Clip_VectorAndScalar_Agree()
    {
        var op = new ClipOp { Min = -1f, Max = 1f };
        var rng = new Random(42);
        foreach (int n in new[] { 0, 1, 7, 8, 9, 15, 16, 17, 31, 33 })
        {
            var x = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble() * 6 - 3).ToArray();
            var fast = new float[n];
            var reference = new float[n];
            op.Apply(x, fast);
            UnaryDriver.Reference(op, x, reference);
            Assert.Equal(reference, fast);
            Assert.All(fast, v => Assert.InRange(v, -1f, 1f));
        }
    }

    [Fact]
    public void Logical_Ops_TruthTables()
    {
        Assert.True(LogicalAndOp.Invoke(true, true));
        Assert.False(LogicalAndOp.Invoke(true, false));
        Assert.True(LogicalOrOp.Invoke(false, true));
        Assert.False(LogicalOrOp.Invoke(false, false));
        Assert.True(LogicalXorOp.Invoke(true, false));
        Assert.False(LogicalXorOp.Invoke(true, true));
        Assert.True(LogicalAndOp.Invoke(2f, -1f));
        Assert.False(LogicalAndOp.Invoke(2f, 0f));
        Assert.True(GreaterEqualOp.Invoke(true, false));
        Assert.False(LessThanOp.Invoke(true, false));
    }
}

using PaddleNet.Kernels.Elementwise;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Elementwise;

public sealed class BinaryDriverTests
{
    private static readonly int[] Lengths = [0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 100, 257];

    public static TheoryData<int[], int[], int> BroadcastCases() => new()
    {
        { [2, 3, 4, 5], [2, 3, 4, 5], -1 },
        { [2, 3, 4, 5], [3], 1 },
        { [2, 3, 4, 5], [3, 4], 1 },
        { [2, 3, 4, 5], [1, 3, 1, 1], -1 },
        { [2, 3, 4, 5], [3, 1, 1], 1 },
        { [2, 3, 4, 5], [1], -1 },
        { [2, 3, 4, 5], [5], -1 },
        { [2, 1, 4, 1], [1, 3, 1, 5], -1 },
        { [2, 3, 4, 5], [2, 1, 4, 1], -1 },
        { [3], [2, 3, 4, 5], 1 },
        { [1, 7, 3, 9], [7], 1 },
        { [4, 17, 5, 3], [1, 17, 1, 1], -1 },
        { [5, 33], [33], -1 },
        { [33, 5], [33, 1], 0 },
        { [2, 3, 4], [], -1 },
        { [], [], -1 },
        { [3, 0, 5], [5], -1 },
        { [1, 9, 17, 17], [9], 1 },
    };

    [Theory]
    [MemberData(nameof(BroadcastCases))]
    public void Compute_Broadcasts_MatchesReferenceForAllArithmeticOps(int[] xs, int[] ys, int axis)
    {
        var rng = new Random(42);
        var x = RandomFloats(rng, xs);
        var y = RandomFloats(rng, ys, avoidZero: true);
        AssertSame<AddOp>(x, xs, y, ys, axis);
        AssertSame<SubOp>(x, xs, y, ys, axis);
        AssertSame<MulOp>(x, xs, y, ys, axis);
        AssertSame<DivOp>(x, xs, y, ys, axis);
        AssertSame<MaxOp>(x, xs, y, ys, axis);
        AssertSame<MinOp>(x, xs, y, ys, axis);
        AssertSame<FloorDivOp>(x, xs, y, ys, axis);
        AssertSame<ModOp>(x, xs, y, ys, axis);
        AssertSame<PowOp>(x, xs, y, ys, axis);
    }

    [Fact]
    public void Compute_SameShapeAllLengths_MatchesReference()
    {
        var rng = new Random(42);
        foreach (int n in Lengths)
        {
            int[] s = [n];
            var x = RandomFloats(rng, s);
            var y = RandomFloats(rng, s, avoidZero: true);
            AssertSame<AddOp>(x, s, y, s, -1);
            AssertSame<DivOp>(x, s, y, s, -1);
            AssertSame<MaxOp>(x, s, y, s, -1);
            AssertSame<PowOp>(x, s, y, s, -1);
            var xi = x.Select(v => (int)(v * 100)).ToArray();
            var yi = y.Select(v => (int)(v * 100) is 0 ? 3 : (int)(v * 100)).ToArray();
            AssertSameTyped<AddOp, int, int>(xi, s, yi, s, -1);
            AssertSameTyped<FloorDivOp, int, int>(xi, s, yi, s, -1);
            AssertSameTyped<ModOp, int, int>(xi, s, yi, s, -1);
            AssertSameTyped<MinOp, int, int>(xi, s, yi, s, -1);
            var xl = xi.Select(v => (long)v).ToArray();
            var yl = yi.Select(v => (long)v).ToArray();
            AssertSameTyped<SubOp, long, long>(xl, s, yl, s, -1);
            AssertSameTyped<MaxOp, long, long>(xl, s, yl, s, -1);
            AssertSameTyped<LessThanOp, float, bool>(x, s, y, s, -1);
            AssertSameTyped<EqualOp, long, bool>(xl, s, yl, s, -1);
        }
    }

    [Fact]
    public void Compute_LargeOutputOnPool_MatchesReference()
    {
        using var pool = new IntraOpPool(2);
        var rng = new Random(42);
        int[] xs = [2, 17, 41, 43];
        int[] ys = [17];
        var x = RandomFloats(rng, xs);
        var y = RandomFloats(rng, ys);
        var fast = new float[x.Length];
        var xa = new int[] { 2, 17, 41, 43 };
        var ya = new int[] { 1, 17, 1, 1 };
        BinaryDriver.Compute<MulOp, float, float>(x, xa, y, ya, fast, xa, pool);
        var reference = new float[x.Length];
        BinaryDriver.Reference<MulOp, float, float>(x, xs, y, ys, 1, reference, out var shape);
        Assert.Equal(xs, shape);
        Assert.Equal(reference, fast);
    }

    [Fact]
    public void Align_LegacyAxis_AlignsShorterOperandAtAxis()
    {
        Span<int> xa = stackalloc int[9], ya = stackalloc int[9], os = stackalloc int[9];
        Broadcast.Align([2, 3, 4, 5], [3, 4], 1, xa, ya, os, out int rank, "t");
        Assert.Equal(4, rank);
        Assert.Equal([1, 3, 4, 1], ya[..4].ToArray());
        Assert.Equal([2, 3, 4, 5], os[..4].ToArray());
        Broadcast.Align([3], [2, 3, 4], 1, xa, ya, os, out rank, "t");
        Assert.Equal([1, 3, 1], xa[..3].ToArray());
        Assert.Equal([2, 3, 4], os[..3].ToArray());
        Broadcast.Align([4, 3], [3, 1], 1, xa, ya, os, out rank, "t"); // trailing 1 trimmed
        Assert.Equal([1, 3], ya[..2].ToArray());
    }

    [Fact]
    public void Align_Incompatible_ThrowsShapeMismatch()
    {
        var e = Assert.Throws<ShapeMismatchException>(() =>
        {
            Span<int> xa = stackalloc int[9], ya = stackalloc int[9], os = stackalloc int[9];
            Broadcast.Align([2, 3, 4, 5], [3], -1, xa, ya, os, out _, "elementwise_pow");
        });
        Assert.Equal("elementwise_pow", e.OpType);
    }

    [Fact]
    public void FloorDivAndMod_NegativeOperands_FollowPython()
    {
        Assert.Equal(-4, FloorDivOp.Invoke(-7, 2));
        Assert.Equal(3, FloorDivOp.Invoke(7, 2));
        Assert.Equal(-4L, FloorDivOp.Invoke(7L, -2L));
        Assert.Equal(-4f, FloorDivOp.Invoke(-7f, 2f));
        Assert.Equal(1, ModOp.Invoke(-7, 2));
        Assert.Equal(-1, ModOp.Invoke(7, -2));
        Assert.Equal(0, ModOp.Invoke(-8, 2));
        Assert.Equal(1.5f, ModOp.Invoke(-2.5f, 2f));
    }

    [Fact]
    public void Max_SignedZeroTies_ReturnsY()
    {
        var x = new float[16];
        var y = new float[16];
        for (int i = 0; i < 16; i++) (x[i], y[i]) = i % 2 == 0 ? (0f, -0f) : (-0f, 0f);
        var o = new float[16];
        int[] s = [16];
        BinaryDriver.Compute<MaxOp, float, float>(x, s, y, s, o, s, null);
        for (int i = 0; i < 16; i++) Assert.Equal(float.IsNegative(y[i]), float.IsNegative(o[i]));
    }

    private static void AssertSame<TOp>(float[] x, int[] xs, float[] y, int[] ys, int axis)
        where TOp : IBinaryOp<float, float> => AssertSameTyped<TOp, float, float>(x, xs, y, ys, axis);

    private static void AssertSameTyped<TOp, TIn, TOut>(TIn[] x, int[] xs, TIn[] y, int[] ys, int axis)
        where TOp : IBinaryOp<TIn, TOut>
        where TIn : unmanaged
        where TOut : unmanaged
    {
        var xa = new int[9];
        var ya = new int[9];
        var os = new int[9];
        Broadcast.Align(xs, ys, axis, xa, ya, os, out int rank, "test");
        long count = 1;
        for (int i = 0; i < rank; i++) count *= os[i];
        var fast = new TOut[count];
        var reference = new TOut[count];
        BinaryDriver.Compute<TOp, TIn, TOut>(x, xa.AsSpan(0, rank), y, ya.AsSpan(0, rank), fast, os.AsSpan(0, rank), null);
        BinaryDriver.Reference<TOp, TIn, TOut>(x, xs, y, ys, axis, reference, out var shape);
        Assert.Equal(os[..rank], shape);
        Assert.Equal(reference, fast);
    }

    private static float[] RandomFloats(Random rng, int[] shape, bool avoidZero = false)
    {
        int n = 1;
        foreach (var d in shape) n *= d;
        var a = new float[n];
        for (int i = 0; i < n; i++)
        {
            float v = (float)(rng.NextDouble() * 4 - 2);
            if (avoidZero && MathF.Abs(v) < 0.1f) v = 0.5f;
            a[i] = v;
        }
        return a;
    }
}

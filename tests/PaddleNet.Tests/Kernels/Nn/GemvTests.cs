using PaddleNet.Kernels.Nn;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Nn;

public sealed unsafe class GemvTests
{
    /// <summary>Widths hitting every vector remainder and every panel-group remainder (1–4 panels of a 4-panel group, 0–31 columns of a panel).</summary>
    private static readonly int[] Widths = [1, 3, 4, 8, 9, 15, 16, 17, 24, 25, 31, 32, 33, 48, 63, 64, 65, 96, 97, 127, 128, 129, 160, 161, 200, 255, 1000];

    public static TheoryData<int, int, int> PathShapes()
    {
        var d = new TheoryData<int, int, int>();
        foreach (var path in new[] { Sgemm.MicroPath.Scalar, Sgemm.MicroPath.V128, Sgemm.MicroPath.V128Wide, Sgemm.MicroPath.V256, Sgemm.MicroPath.V512 })
        {
            // K: one step, shorter than the prefetch distance, and across a KC block of the GEMM path.
            foreach (int n in Widths) foreach (int k in new[] { 1, 5, 9, 300 }) d.Add((int)path, n, k);
        }
        return d;
    }

    /// <summary>
    /// Each family's single-row kernel against the scalar reference (close; exact where that family is unfused), and
    /// bit-identical to the same family's GEMM on the same row alone (M = 1) and as row 0 and row 6 of a 7-row product:
    /// a row's numbers never depend on the batch it runs in. Nothing is written outside the row.
    /// </summary>
    [Theory]
    [MemberData(nameof(PathShapes))]
    public void Compute_EachPath_MatchesReferenceAndGemmBits(int pathValue, int n, int k)
    {
        var path = (Sgemm.MicroPath)pathValue;
        if (!Sgemm.Supported(path)) return;
        const int m = 7;
        var r = new Random(n * 1000 + k);
        var a = NnHarness.RandomFloats(r, m * k);
        var b = NnHarness.RandomFloats(r, k * n);
        var expected = new float[m * n];
        Sgemm.Reference(m, n, k, a, k, 1, b, n, 1, expected, n);
        var pb = new float[Sgemm.PackedBSize(k, n)];
        var pa = new float[Sgemm.PackedASize(m, k)];
        var gemm = new float[m * n];
        const int guard = 4 * Sgemm.NR;
        var buffer = new float[guard + n + guard];
        Array.Fill(buffer, 12345f);
        var actual = buffer.AsSpan(guard, n);
        actual.Fill(float.NaN);
        fixed (float* xa = a) fixed (float* xb = b) fixed (float* ppb = pb) fixed (float* ppa = pa) fixed (float* pg = gemm) fixed (float* pc = actual)
        {
            Sgemm.PackB(xb, n, 1, k, n, ppb);
            Sgemm.PackA(xa, k, 1, m, k, ppa);
            Sgemm.Compute(m, n, k, ppa, ppb, pg, n, 0, Sgemm.RowBlocks(m), 0, Sgemm.Panels(n), false, path: path);
            int groups = Gemv.Groups(n, path);
            // Two calls over a split of the groups, as two threads would run them.
            Gemv.Compute(n, k, xa, ppb, pc, 0, groups / 2, path);
            Gemv.Compute(n, k, xa, ppb, pc, groups / 2, groups, path);
        }
        for (int j = 0; j < n; j++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(gemm[j]) == BitConverter.SingleToInt32Bits(actual[j]), $"gemv path {path} n={n} k={k}: column {j}: {actual[j]} vs the 7-row GEMM's row 0 {gemm[j]}");
        }
        NnHarness.Close(expected.AsSpan(0, n), actual, $"gemv path {path} n={n} k={k}");
        if (UnfusedPath(path))
        {
            for (int j = 0; j < n; j++) Assert.True(BitConverter.SingleToInt32Bits(expected[j]) == BitConverter.SingleToInt32Bits(actual[j]), $"gemv path {path} n={n} k={k}: column {j} (unfused: must be exact)");
        }
        Assert.All(buffer.AsSpan(0, guard).ToArray(), v => Assert.Equal(12345f, v));
        Assert.All(buffer.AsSpan(guard + n).ToArray(), v => Assert.Equal(12345f, v));

        // Row 6 (the last row block's first row) alone through the row kernel equals the GEMM's row 6.
        var last = new float[n];
        fixed (float* xa = a) fixed (float* ppb = pb) fixed (float* pl = last)
        {
            Gemv.Compute(n, k, xa + 6 * k, ppb, pl, 0, Gemv.Groups(n, path), path);
        }
        for (int j = 0; j < n; j++) Assert.True(BitConverter.SingleToInt32Bits(gemm[6 * n + j]) == BitConverter.SingleToInt32Bits(last[j]), $"gemv path {path} n={n} k={k}: row 6 column {j}");
    }

    /// <summary>
    /// Through the driver (pools of 1 and 2 threads, B packed at call time, A strided as matmul's transposed X passes it):
    /// the M = 1 dispatch gives each row of a batched product bit for bit.
    /// </summary>
    [Theory]
    [InlineData(1000, 1280)]
    [InlineData(1280, 512)]
    [InlineData(97, 33)]
    [InlineData(8, 16)]
    public void Multiply_SingleRow_EqualsRowsOfBatch(int n, int k)
    {
        const int m = 5;
        var r = new Random(11);
        var a = NnHarness.RandomFloats(r, m * k);
        var b = NnHarness.RandomFloats(r, k * n);
        var batch = new float[m * n];
        var at = new float[k * m]; // A transposed: row i is column i, stride m
        for (int i = 0; i < m; i++) for (int kk = 0; kk < k; kk++) at[kk * m + i] = a[i * k + kk];
        foreach (int threads in new[] { 1, 2 })
        {
            using var pool = new IntraOpPool(threads);
            var scratch = NnHarness.Scratch(pool.Threads);
            var row = new float[n];
            fixed (float* xa = a) fixed (float* xat = at) fixed (float* xb = b) fixed (float* pc = batch) fixed (float* pr = row)
            {
                GemmDriver.Multiply(pool, scratch, m, n, k, xa, k, 1, null, xb, n, 1, pc, n);
                for (int i = 0; i < m; i++)
                {
                    Array.Fill(row, float.NaN);
                    GemmDriver.Multiply(pool, scratch, 1, n, k, i % 2 == 0 ? xa + i * k : xat + i, i % 2 == 0 ? k : 1, i % 2 == 0 ? 1 : m, null, xb, n, 1, pr, n);
                    for (int j = 0; j < n; j++) Assert.True(BitConverter.SingleToInt32Bits(batch[i * n + j]) == BitConverter.SingleToInt32Bits(row[j]), $"{threads} threads, {n}x{k}: row {i} column {j}: {row[j]} vs batched {batch[i * n + j]}");
                }
            }
        }
    }

    private static bool UnfusedPath(Sgemm.MicroPath path) => path == Sgemm.MicroPath.Scalar
        || ((path == Sgemm.MicroPath.V128 || path == Sgemm.MicroPath.V128Wide) && !System.Runtime.Intrinsics.X86.Fma.IsSupported && !System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported);
}

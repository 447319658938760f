using PaddleNet.Kernels.Nn;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Nn;

public sealed unsafe class SgemmTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        int[] sizes = [1, 3, 7, 8, 9, 15, 16, 17, 33, 65];
        var d = new TheoryData<int, int, int>();
        foreach (var m in sizes) foreach (var n in sizes) foreach (var k in new[] { 1, 7, 17, 65 }) d.Add(m, n, k);
        d.Add(13, 300, 300); // K crosses the KC block
        d.Add(0, 5, 3);
        d.Add(4, 5, 0);
        return d;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_OddShapes_MatchesReference(int m, int n, int k)
    {
        var r = new Random(42);
        var a = NnHarness.RandomFloats(r, m * k);
        var b = NnHarness.RandomFloats(r, k * n);
        var expected = new float[m * n];
        Sgemm.Reference(m, n, k, a, k, 1, b, n, 1, expected, n);
        var actual = new float[m * n];
        Array.Fill(actual, float.NaN);
        using var pool = new IntraOpPool(2);
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = actual)
        {
            GemmDriver.Multiply(pool, NnHarness.Scratch(pool.Threads), m, n, k, pa, k, 1, null, pb, n, 1, pc, n);
        }
        NnHarness.Close(expected, actual, $"gemm {m}x{n}x{k}");
    }

    public static TheoryData<int, int, int, int> PathShapes()
    {
        var d = new TheoryData<int, int, int, int>();
        foreach (var path in new[] { Sgemm.MicroPath.Scalar, Sgemm.MicroPath.V128, Sgemm.MicroPath.V128Wide, Sgemm.MicroPath.V256, Sgemm.MicroPath.V512 })
        {
            foreach (var (m, n, k) in new[] { (1, 1, 1), (5, 31, 7), (6, 32, 16), (7, 33, 17), (13, 65, 300), (12, 64, 257), (17, 95, 3), (7, 32, 5), (13, 64, 9), (2, 32, 300), (3, 64, 300), (4, 32, 3), (10, 48, 11), (11, 32, 20) }) d.Add((int)path, m, n, k);
            // Edge panels of every strip count at 128 bits (6×8 and 6×16 strips) and 256 bits: 1, 8, 9, 16, 17, 24, 25, 31 columns.
            foreach (var (m, n, k) in new[] { (6, 40, 4), (7, 41, 2), (5, 48, 6), (8, 49, 258), (6, 56, 5), (13, 57, 17), (3, 63, 2) }) d.Add((int)path, m, n, k);
            // AVX-512 row-block pairs (12×32, 12×16 edges): even and odd block counts, a partial second block, edges of 1–16 and 17–31 columns.
            foreach (var (m, n, k) in new[] { (12, 36, 5), (18, 48, 300), (24, 196, 9), (17, 49, 7), (23, 47, 260), (30, 33, 3), (11, 44, 6) }) d.Add((int)path, m, n, k);
            // Edge panels over more row blocks than one group of Sgemm.ComputeEdge's tiles (16 blocks), over several k blocks.
            foreach (var (m, n, k) in new[] { (103, 49, 300), (100, 36, 520), (97, 17, 2) }) d.Add((int)path, m, n, k);
        }
        return d;
    }

    /// <summary>
    /// Each micro-kernel family, forced, against the scalar reference (paths the CPU lacks are skipped). A path that
    /// runs without FMA (scalar; 128 bits on x86 without FMA, as under DOTNET_EnableAVX2=0) makes the reference's
    /// roundings in the reference's k order, so there the result must be bit-identical, not merely close.
    /// </summary>
    [Theory]
    [MemberData(nameof(PathShapes))]
    public void Compute_EachMicroPath_MatchesReference(int pathValue, int m, int n, int k)
    {
        var path = (Sgemm.MicroPath)pathValue;
        if (!Sgemm.Supported(path)) return;
        var r = new Random(7);
        var a = NnHarness.RandomFloats(r, m * k);
        var b = NnHarness.RandomFloats(r, k * n);
        var expected = new float[m * n];
        Sgemm.Reference(m, n, k, a, k, 1, b, n, 1, expected, n);
        var pa = new float[Sgemm.PackedASize(m, k)];
        var pb = new float[Sgemm.PackedBSize(k, n)];
        foreach (bool accumulate in new[] { false, true })
        {
            // C sits between guard zones: no kernel may write outside its m×n block.
            const int guard = 8 * Sgemm.NR;
            var buffer = new float[guard + m * n + guard * 8];
            Array.Fill(buffer, 12345f);
            var actual = buffer.AsSpan(guard, m * n);
            actual.Fill(accumulate ? 0f : float.NaN);
            fixed (float* xa = a) fixed (float* xb = b) fixed (float* ppa = pa) fixed (float* ppb = pb) fixed (float* pc = actual)
            {
                Sgemm.PackA(xa, k, 1, m, k, ppa);
                Sgemm.PackB(xb, n, 1, k, n, ppb);
                Sgemm.Compute(m, n, k, ppa, ppb, pc, n, 0, Sgemm.RowBlocks(m), 0, Sgemm.Panels(n), accumulate, path: path);
            }
            if (UnfusedPath(path))
            {
                for (int i = 0; i < m * n; i++) Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"sgemm path {path} {m}x{n}x{k} acc={accumulate}: element {i}: {actual[i]} vs reference {expected[i]} (unfused: must be exact)");
            }
            else
            {
                NnHarness.Close(expected, actual, $"sgemm path {path} {m}x{n}x{k} acc={accumulate}");
            }
            Assert.All(buffer.AsSpan(0, guard).ToArray(), v => Assert.Equal(12345f, v));
            Assert.All(buffer.AsSpan(guard + m * n).ToArray(), v => Assert.Equal(12345f, v));
        }
    }

    public static TheoryData<int, int, int> PairShapes()
    {
        var d = new TheoryData<int, int, int>();
        foreach (int m in new[] { 6, 11, 12, 13, 17, 18, 24, 25, 30, 102, 103 })
        {
            foreach (int n in new[] { 1, 2, 3, 4, 5, 15, 16, 17, 31, 32, 34, 36, 49, 64, 67, 196 }) d.Add(m, n, m % 2 == 0 ? 300 : 19);
        }
        return d;
    }

    /// <summary>
    /// AVX-512's row-block pairs (12×32 full panels, 12×16 edge panels, 12×4 edges of 1–4 columns, a lone last block paired with itself) give the
    /// bits of the 6-row strips of every other FMA path (Vector256, Vector128): each element is the same FMA chain over k
    /// in increasing order. Also over one row block at a time (no pairs), and accumulating, with C between guard zones.
    /// </summary>
    [Theory]
    [MemberData(nameof(PairShapes))]
    public void Compute_V512Pairs_BitIdenticalToOtherFmaPaths(int m, int n, int k)
    {
        if (!Sgemm.Supported(Sgemm.MicroPath.V512) || !System.Runtime.Intrinsics.X86.Fma.IsSupported) return;
        var r = new Random(11);
        var a = NnHarness.RandomFloats(r, m * k);
        var b = NnHarness.RandomFloats(r, k * n);
        var c0 = NnHarness.RandomFloats(r, m * n);
        var pa = new float[Sgemm.PackedASize(m, k)];
        var pb = new float[Sgemm.PackedBSize(k, n)];
        var expected = new float[m * n];
        Sgemm.Reference(m, n, k, a, k, 1, b, n, 1, expected, n);
        fixed (float* xa = a) fixed (float* xb = b) fixed (float* ppa = pa) fixed (float* ppb = pb)
        {
            Sgemm.PackA(xa, k, 1, m, k, ppa);
            Sgemm.PackB(xb, n, 1, k, n, ppb);
            foreach (bool accumulate in new[] { false, true })
            {
                float[] Run(float* qa, float* qb, Sgemm.MicroPath path, bool oneBlockAtATime)
                {
                    const int guard = 64;
                    var buffer = new float[guard + m * n + guard];
                    Array.Fill(buffer, 12345f);
                    c0.CopyTo(buffer, guard);
                    fixed (float* pc = &buffer[guard])
                    {
                        int blocks = Sgemm.RowBlocks(m);
                        if (oneBlockAtATime)
                        {
                            for (int ib = 0; ib < blocks; ib++) Sgemm.Compute(m, n, k, qa, qb, pc, n, ib, ib + 1, 0, Sgemm.Panels(n), accumulate, path: path);
                        }
                        else
                        {
                            Sgemm.Compute(m, n, k, qa, qb, pc, n, 0, blocks, 0, Sgemm.Panels(n), accumulate, path: path);
                        }
                    }
                    Assert.All(buffer.AsSpan(0, guard).ToArray(), v => Assert.Equal(12345f, v));
                    Assert.All(buffer.AsSpan(guard + m * n).ToArray(), v => Assert.Equal(12345f, v));
                    return buffer.AsSpan(guard, m * n).ToArray();
                }
                var v256 = Run(ppa, ppb, Sgemm.MicroPath.V256, false);
                var v128 = Run(ppa, ppb, Sgemm.MicroPath.V128Wide, false);
                var pairs = Run(ppa, ppb, Sgemm.MicroPath.V512, false);
                var single = Run(ppa, ppb, Sgemm.MicroPath.V512, true);
                if (!accumulate) NnHarness.Close(expected, pairs, $"sgemm V512 pairs {m}x{n}x{k}"); // the defining sum, up to FMA rounding
                for (int i = 0; i < m * n; i++)
                {
                    int want = BitConverter.SingleToInt32Bits(v256[i]);
                    Assert.True(want == BitConverter.SingleToInt32Bits(v128[i]), $"{m}x{n}x{k} acc={accumulate} element {i}: V128Wide {v128[i]} vs V256 {v256[i]}");
                    Assert.True(want == BitConverter.SingleToInt32Bits(pairs[i]), $"{m}x{n}x{k} acc={accumulate} element {i}: V512 pairs {pairs[i]} vs V256 {v256[i]}");
                    Assert.True(want == BitConverter.SingleToInt32Bits(single[i]), $"{m}x{n}x{k} acc={accumulate} element {i}: V512 one block at a time {single[i]} vs V256 {v256[i]}");
                }
            }
        }
    }

    /// <summary>
    /// B read in place (<c>ldb</c>: the 1×1 conv's input rows) gives the bits of the packed B, on every micro-kernel family,
    /// over a panel range not starting at 0 (panels relative and absolute), with B rows longer than the panels read.
    /// </summary>
    [Theory]
    [InlineData(12, 64, 5, 0)]
    [InlineData(13, 96, 300, 1)]
    [InlineData(7, 96, 17, 2)]
    [InlineData(25, 128, 64, 3)]
    [InlineData(30, 64, 257, 4)]
    public void Compute_UnpackedB_BitIdenticalToPacked(int m, int n, int k, int seed)
    {
        var r = new Random(seed);
        var a = NnHarness.RandomFloats(r, m * k);
        long ldb = n + 20; // rows longer than the n columns used: only columns < n may be read
        var b = NnHarness.RandomFloats(r, (int)(k * ldb));
        var pa = new float[Sgemm.PackedASize(m, k)];
        var pb = new float[Sgemm.PackedBSize(k, n)];
        fixed (float* xa = a) fixed (float* xb = b) fixed (float* ppa = pa) fixed (float* ppb = pb)
        {
            Sgemm.PackA(xa, k, 1, m, k, ppa);
            Sgemm.PackB(xb, ldb, 1, k, n, ppb);
            foreach (var path in new[] { Sgemm.MicroPath.Scalar, Sgemm.MicroPath.V128, Sgemm.MicroPath.V128Wide, Sgemm.MicroPath.V256, Sgemm.MicroPath.V512 })
            {
                if (!Sgemm.Supported(path)) continue;
                int panels = Sgemm.Panels(n);
                var packed = new float[m * n];
                var direct = new float[m * n];
                var relative = new float[m * n];
                fixed (float* c1 = packed) fixed (float* c2 = direct) fixed (float* c3 = relative)
                {
                    Sgemm.Compute(m, n, k, ppa, ppb, c1, n, 0, Sgemm.RowBlocks(m), 0, panels, false, path: path);
                    Sgemm.Compute(m, n, k, ppa, xb, c2, n, 0, Sgemm.RowBlocks(m), 0, panels, false, path: path, ldb: ldb);
                    // Panel 0 in place from column 0, panels [1, panels) from a pointer at panel 1's first column.
                    Sgemm.Compute(m, n, k, ppa, xb, c3, n, 0, Sgemm.RowBlocks(m), 0, 1, false, path: path, ldb: ldb);
                    Sgemm.Compute(m, n, k, ppa, xb + Sgemm.NR, c3, n, 0, Sgemm.RowBlocks(m), 1, panels, false, bPanelsRelative: true, path: path, ldb: ldb);
                }
                for (int i = 0; i < m * n; i++)
                {
                    Assert.True(BitConverter.SingleToInt32Bits(packed[i]) == BitConverter.SingleToInt32Bits(direct[i]), $"{path} {m}x{n}x{k} element {i}: in place {direct[i]} vs packed {packed[i]}");
                    Assert.True(BitConverter.SingleToInt32Bits(packed[i]) == BitConverter.SingleToInt32Bits(relative[i]), $"{path} {m}x{n}x{k} element {i}: in place, relative {relative[i]} vs packed {packed[i]}");
                }
                var expected = new float[m * n];
                Sgemm.Reference(m, n, k, a, k, 1, b, (int)ldb, 1, expected, n);
                NnHarness.Close(expected, direct, $"sgemm {path} unpacked B {m}x{n}x{k}");
            }
        }
    }

    /// <summary>Whether <paramref name="path"/> multiplies and adds separately on this machine (see Vec128.MultiplyAdd).</summary>
    private static bool UnfusedPath(Sgemm.MicroPath path) => path == Sgemm.MicroPath.Scalar
        || ((path == Sgemm.MicroPath.V128 || path == Sgemm.MicroPath.V128Wide) && !System.Runtime.Intrinsics.X86.Fma.IsSupported && !System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void MatMulV2_TransposesAndBroadcast_MatchesReference(bool tx, bool ty)
    {
        var r = new Random(42);
        int bsz = 3, m = 9, k = 17, n = 33;
        var x = NnHarness.RandomFloats(r, bsz * m * k);
        var y = NnHarness.RandomFloats(r, k * n);
        int[] xs = tx ? [bsz, k, m] : [bsz, m, k];
        int[] ys = ty ? [n, k] : [k, n];
        foreach (bool constant in new[] { false, true })
        {
            var outs = NnHarness.Run("matmul_v2", a => { a.Set("trans_x", tx); a.Set("trans_y", ty); },
                [("X", Tensor.FromSpan<float>(x, xs), false), ("Y", Tensor.FromSpan<float>(y, ys), constant)], ["Out"]);
            Assert.Equal(new[] { bsz, m, n }, outs[0].Shape.ToArray());
            var expected = new float[bsz * m * n];
            for (int bi = 0; bi < bsz; bi++)
            {
                Sgemm.Reference(m, n, k, x.AsSpan(bi * m * k), tx ? 1 : k, tx ? m : 1, y, ty ? 1 : n, ty ? k : 1, expected.AsSpan(bi * m * n), n);
            }
            NnHarness.Close(expected, outs[0].AsSpan<float>(), $"matmul_v2 tx={tx} ty={ty} const={constant}");
        }
    }

    [Fact]
    public void Fc_BiasRelu_MatchesReference()
    {
        var r = new Random(42);
        int m = 7, k = 15, n = 17;
        var x = NnHarness.RandomFloats(r, m * k);
        var w = NnHarness.RandomFloats(r, k * n);
        var bias = NnHarness.RandomFloats(r, n);
        var outs = NnHarness.Run("fc", a => { a.Set("in_num_col_dims", 1L); a.Set("activation_type", "relu"); },
            [("Input", Tensor.FromSpan<float>(x, [m, k]), false), ("W", Tensor.FromSpan<float>(w, [k, n]), true), ("Bias", Tensor.FromSpan<float>(bias, [n]), true)], ["Out"]);
        var expected = new float[m * n];
        Sgemm.Reference(m, n, k, x, k, 1, w, n, 1, expected, n);
        for (int i = 0; i < expected.Length; i++) expected[i] = Math.Max(expected[i] + bias[i % n], 0f);
        NnHarness.Close(expected, outs[0].AsSpan<float>(), "fc");
    }
}

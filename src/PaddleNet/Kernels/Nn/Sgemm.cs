using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Single-precision GEMM shared by the Nn family (conv2d via im2col, matmul/mul/fc/bmm):
/// C[M,N] (=|+=) A[M,K]·B[K,N] on operands packed into register-blocked panels.
/// A is packed into row blocks of <see cref="MR"/> rows (k-major: MR values per k), B into column
/// panels of <see cref="NR"/> columns (NR values per k); edges are zero-padded. The 6×32 tile runs
/// through one micro-kernel body written over <see cref="IVec{TSelf, T}"/>: one AVX-512 strip (12 zmm
/// accumulators), two Vector256 6×16 halves, two Vector128 6×16 halves (<c>SgemmWide.cs</c>, 32-register ISAs) or four Vector128 6×8 quarters (FMA when available), picked at run time; with AVX-512, pairs of full row blocks run as 12×32 tiles
/// in 24 zmm (<see cref="MicroPair512"/>) and edge panels as 12×32 or, up to 16 columns, 12×16 (<see cref="MicroPairNarrow512"/>); the K loop is blocked by
/// <see cref="KC"/> so a B panel slice stays in L1 while the row blocks stream past it.
/// Every element of C is a sum over k in increasing order, whatever the blocking.
/// </summary>
internal static unsafe partial class Sgemm
{
    public const int MR = 6;
    public const int NR = 32;
    public const int KC = 256;

    public static int RowBlocks(int m) => (m + MR - 1) / MR;

    /// <summary>
    /// A split over filter row blocks handed out in the 512-bit kernel's pairs: item i of the pool call is row blocks
    /// [2i, 2i + 2) (the last item may be one block), so no chunk boundary cuts a 12-row pair into two 6-row calls (a
    /// guided chunk of odd size left a lone 6-row block, at half the pair's accumulators, at every boundary).
    /// </summary>
    internal struct RowPairs<T> : IParallelBody
        where T : struct, IParallelBody
    {
        public T Body;
        public int Blocks;

        public static int Count(int blocks) => (blocks + 1) / 2;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end) => Body.Run(2 * start, Math.Min(2 * end, Blocks));
    }

    public static int Panels(int n) => (n + NR - 1) / NR;

    public static int PackedASize(int m, int k) => RowBlocks(m) * MR * k;

    public static int PackedBSize(int k, int n) => Panels(n) * NR * k;

    /// <summary>
    /// Packs A where a(i,k) = <paramref name="a"/>[i·rs + k·cs] into MR-row blocks, k-block major: the KC-deep
    /// slices of all row blocks for one k block are contiguous (slice (ib, k0) at k0·MR·blocks + ib·MR·kc), so
    /// <see cref="Compute"/> streams a large packed A sequentially, k block after k block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(float* a, long rs, long cs, int m, int k, float* dst)
    {
        int blocks = RowBlocks(m);
        for (int k0 = 0; k0 < k; k0 += KC)
        {
            int kc = Math.Min(KC, k - k0);
            for (int ib = 0; ib < blocks; ib++)
            {
                float* d = dst + ASlice(blocks, k0, kc, ib);
                int i0 = ib * MR;
                int rows = Math.Min(MR, m - i0);
                for (int r = 0; r < MR; r++)
                {
                    if (r >= rows)
                    {
                        for (int kk = 0; kk < kc; kk++) d[kk * MR + r] = 0f;
                        continue;
                    }
                    float* src = a + (i0 + r) * rs + k0 * cs;
                    for (int kk = 0; kk < kc; kk++) d[kk * MR + r] = src[kk * cs];
                }
            }
        }
    }

    /// <summary>
    /// <see cref="PackA"/>'s layout, row blocks [<paramref name="ib0"/>, <paramref name="ib1"/>), for A = the pixels of NCHW
    /// planes as rows and their channels as columns: a(i, kk) = x[(i / hw)·imageStride + kk·hw + i mod hw], times
    /// scale[(i / hw)·scaleStride + kk] when a scale is given (the product rounded as the regular 1×1 im2col rounds it).
    /// A block whose six pixels lie in one plane copies six contiguous floats per channel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackAPlanes(float* x, int hw, long imageStride, int m, int k, float* dst, int ib0, int ib1, float* scale = null, long scaleStride = 0)
    {
        int blocks = RowBlocks(m);
        for (int k0 = 0; k0 < k; k0 += KC)
        {
            int kc = Math.Min(KC, k - k0);
            for (int ib = ib0; ib < ib1; ib++)
            {
                float* d = dst + ASlice(blocks, k0, kc, ib);
                int i0 = ib * MR, img = i0 / hw, p0 = i0 - img * hw;
                if (p0 + MR <= hw && i0 + MR <= m)
                {
                    float* src = x + img * imageStride + (long)k0 * hw + p0;
                    if (scale == null)
                    {
                        for (int kk = 0; kk < kc; kk++, src += hw, d += MR)
                        {
                            Vector128.Store(Vector128.Load(src), d);
                            *(ulong*)(d + 4) = *(ulong*)(src + 4); // MR = 6: four, then two
                        }
                    }
                    else
                    {
                        float* sc = scale + img * scaleStride + k0;
                        for (int kk = 0; kk < kc; kk++, src += hw, d += MR)
                        {
                            float v = sc[kk];
                            for (int r = 0; r < MR; r++) d[r] = src[r] * v;
                        }
                    }
                    continue;
                }
                for (int r = 0; r < MR; r++)
                {
                    int i = i0 + r;
                    if (i >= m)
                    {
                        for (int kk = 0; kk < kc; kk++) d[kk * MR + r] = 0f;
                        continue;
                    }
                    int im = i / hw;
                    float* src = x + im * imageStride + (long)k0 * hw + (i - im * hw);
                    float* sc = scale == null ? null : scale + im * scaleStride + k0;
                    for (int kk = 0; kk < kc; kk++) d[kk * MR + r] = sc == null ? src[(long)kk * hw] : src[(long)kk * hw] * sc[kk];
                }
            }
        }
    }

    /// <summary>Offset of row block <paramref name="ib"/>'s slice for the k block starting at <paramref name="k0"/> (depth <paramref name="kc"/>) in a packed A.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long ASlice(int blocks, int k0, int kc, int ib) => (long)k0 * MR * blocks + (long)ib * MR * kc;

    /// <summary>Packs B where b(k,n) = <paramref name="b"/>[k·rs + n·cs] into NR-column panels.</summary>
    public static void PackB(float* b, long rs, long cs, int k, int n, float* dst)
    {
        int panels = Panels(n);
        for (int jb = 0; jb < panels; jb++) PackBPanel(b, rs, cs, k, n, jb, dst + (long)jb * NR * k);
    }

    /// <summary>Packs one NR-column panel <paramref name="jb"/> of B into <paramref name="d"/> (k·NR floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackBPanel(float* b, long rs, long cs, int k, int n, int jb, float* d)
    {
        int j0 = jb * NR;
        int cols = Math.Min(NR, n - j0);
        if (cs == 1 && cols == NR)
        {
            for (int kk = 0; kk < k; kk++)
            {
                float* src = b + kk * rs + j0;
                Buffer.MemoryCopy(src, d + kk * NR, NR * sizeof(float), NR * sizeof(float));
            }
            return;
        }
        for (int kk = 0; kk < k; kk++)
        {
            float* src = b + kk * rs;
            float* dd = d + kk * NR;
            int c = 0;
            for (; c < cols; c++) dd[c] = src[(j0 + c) * cs];
            for (; c < NR; c++) dd[c] = 0f;
        }
    }

    /// <summary>
    /// C = A·B (or C += A·B when <paramref name="accumulate"/>) over row blocks [ib0, ib1) and column
    /// panels [jb0, jb1); <paramref name="pa"/> is the whole packed A, <paramref name="pb"/> points at
    /// panel <paramref name="jb0"/>'s start when <paramref name="bPanelsRelative"/>, else at panel 0.
    /// <paramref name="path"/> forces one micro-kernel family (tests); <see cref="MicroPath.Best"/> picks at run time.
    /// <paramref name="ldb"/> ≠ 0: B is not packed but read in place, b(k, j) = <paramref name="pb"/>[k·ldb + j] (column 0 is
    /// panel jb0's first when <paramref name="bPanelsRelative"/>); then every panel in [jb0, jb1) must be full.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(int m, int n, int k, float* pa, float* pb, float* c, long ldc,
        int ib0, int ib1, int jb0, int jb1, bool accumulate, bool bPanelsRelative = false, MicroPath path = MicroPath.Best, long ldb = 0)
    {
        if (path == MicroPath.Best) path = BestPath;
        if (ldb != 0 && (long)jb1 * NR > n) throw new ArgumentOutOfRangeException(nameof(jb1), "an unpacked B needs full panels");
        // AVX-512 runs two adjacent row blocks per call (their packed A slices are adjacent): 12×32 tiles in 24 zmm,
        // edge panels too (through a scratch tile), those of at most 16 columns as 12×16, so a 4-column edge (14×14
        // planes) costs half a strip.
        bool pairs = path == MicroPath.V512;
        float* tile = stackalloc float[2 * MR * NR];
        int aBlocks = RowBlocks(m);
        // A partial last panel over several k blocks keeps each tile's sums in the scratch tile through all of them
        // (one load and one store of C per tile, not one per k block: on 7×7 planes, 17 of 49 columns, the per-block
        // scalar tile copies made the edge panel cost 1.3 full ones, measured with `--quick pwparts`). Same sums, same order.
        int edge = k > 0 && ldb == 0 && (long)jb1 * NR > n ? jb1 - 1 : -1;
        if (edge >= jb0) ComputeEdge(m, n, k, pa, pb + (bPanelsRelative ? (long)(edge - jb0) * NR * k : (long)edge * NR * k), c, ldc, ib0, ib1, edge, accumulate, path);
        for (int k0 = 0; k0 < k || (k == 0 && k0 == 0); k0 += KC)
        {
            int kc = Math.Min(KC, k - k0);
            bool acc = accumulate || k0 > 0;
            for (int jb = jb0; jb < jb1; jb++)
            {
                if (jb == edge) continue;
                float* bp = ldb != 0 ? pb + (long)(bPanelsRelative ? jb - jb0 : jb) * NR + k0 * ldb
                    : pb + (long)(bPanelsRelative ? jb - jb0 : jb) * NR * k + (long)k0 * NR;
                long bs = ldb != 0 ? ldb : NR;
                int j0 = jb * NR;
                int cols = Math.Min(NR, n - j0);
                for (int ib = ib0; ib < ib1; ib++)
                {
                    float* ap = pa + ASlice(aBlocks, k0, kc, ib);
                    int i0 = ib * MR;
                    int rows = Math.Min(MR, m - i0);
                    float* cp = c + i0 * ldc + j0;
                    if (pairs && cols == NR && ib + 1 < ib1 && m - i0 >= 2 * MR)
                    {
                        // Row block ib + 1's slice follows ib's in the same k block.
                        MicroPair512(kc, ap, ap + MR * kc, bp, cp, ldc, acc, bs);
                        ib++;
                    }
                    else if (cols == NR)
                    {
                        // Full width: partial row blocks load/store only their rows.
                        Micro(path, kc, ap, bp, cp, ldc, acc, rows, NR, bs);
                    }
                    else if (pairs)
                    {
                        // Edge panel through the 12-row scratch tile; a lone last block pairs with itself (its copy is
                        // computed, never stored).
                        bool two = ib + 1 < ib1;
                        int tr = two ? Math.Min(2 * MR, m - i0) : rows;
                        float* ap2 = two ? ap + MR * kc : ap;
                        LoadTile(cp, ldc, tile, tr, cols, acc);
                        if (cols <= Vec512<float>.Count) MicroPairNarrow512(kc, ap, ap2, bp, tile, NR);
                        else MicroPair512(kc, ap, ap2, bp, tile, NR, true);
                        StoreTile(cp, ldc, tile, tr, cols);
                        if (two) ib++;
                    }
                    else
                    {
                        LoadTile(cp, ldc, tile, rows, cols, acc);
                        Micro(path, kc, ap, bp, tile, NR, true, MR, cols);
                        StoreTile(cp, ldc, tile, rows, cols);
                    }
                }
            }
            if (k == 0) break;
        }
    }

    /// <summary>Row blocks per group of <see cref="ComputeEdge"/>: their tiles (12 KB) stay in L1 beside a k block of the edge panel.</summary>
    private const int EdgeGroup = 16;

    /// <summary>
    /// The partial panel <paramref name="jb"/> (B slice at <paramref name="bp"/>, packed) over row blocks [ib0, ib1), in
    /// groups of <see cref="EdgeGroup"/> row blocks whose scratch tiles hold the sums from the first k block to the last
    /// (each k block's kernel accumulates on them, as on C between blocks); row pairs with AVX-512, a lone last block
    /// paired with itself (its copy computed, never stored).
    /// </summary>
    [SkipLocalsInit]
    private static void ComputeEdge(int m, int n, int k, float* pa, float* bp, float* c, long ldc, int ib0, int ib1, int jb, bool accumulate, MicroPath path)
    {
        bool pairs = path == MicroPath.V512;
        int aBlocks = RowBlocks(m);
        int j0 = jb * NR, cols = n - j0;
        float* tiles = stackalloc float[EdgeGroup * MR * NR];
        for (int g0 = ib0; g0 < ib1; g0 += EdgeGroup)
        {
            int g1 = Math.Min(ib1, g0 + EdgeGroup);
            // Not accumulating, the first k block's kernels start from zero registers: no tile to clear and reload.
            if (accumulate)
            {
                for (int ib = g0; ib < g1; ib += 2) LoadTile(c + ib * MR * ldc + j0, ldc, tiles + (ib - g0) * MR * NR, Math.Min(2 * MR, m - ib * MR), cols, true);
            }
            for (int k0 = 0; k0 < k; k0 += KC)
            {
                int kc = Math.Min(KC, k - k0);
                bool acc = accumulate || k0 > 0;
                float* bk = bp + (long)k0 * NR;
                for (int ib = g0; ib < g1; ib++)
                {
                    float* ap = pa + ASlice(aBlocks, k0, kc, ib);
                    float* t = tiles + (ib - g0) * MR * NR;
                    if (pairs)
                    {
                        float* ap2 = ib + 1 < g1 ? ap + MR * kc : ap;
                        if (cols <= 4) MicroPairQuad512(kc, ap, ap2, bk, t, NR, acc);
                        else if (cols <= Vec512<float>.Count) MicroPairNarrow512(kc, ap, ap2, bk, t, NR, acc);
                        else MicroPair512(kc, ap, ap2, bk, t, NR, acc);
                        ib++;
                    }
                    else
                    {
                        Micro(path, kc, ap, bk, t, NR, acc, MR, cols);
                    }
                }
            }
            for (int ib = g0; ib < g1; ib++) StoreTile(c + ib * MR * ldc + j0, ldc, tiles + (ib - g0) * MR * NR, Math.Min(MR, m - ib * MR), cols);
        }
    }

    /// <summary>
    /// Rows [0, <paramref name="rows"/>) × columns [0, <paramref name="cols"/>) of C into the NR-wide scratch
    /// <paramref name="tile"/> (zeros when not accumulating), and zeros in every other column of those rows and of the
    /// rest of its 2·MR rows, so a micro-kernel can accumulate full rows there.
    /// </summary>
    private static void LoadTile(float* cp, long ldc, float* tile, int rows, int cols, bool acc)
    {
        for (int r = 0; r < 2 * MR; r++)
        {
            float* tr = tile + r * NR;
            if (acc && r < rows)
            {
                int q = 0;
                for (; q < cols; q++) tr[q] = cp[r * ldc + q];
                for (; q < NR; q++) tr[q] = 0f;
            }
            else
            {
                new Span<float>(tr, NR).Clear();
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StoreTile(float* cp, long ldc, float* tile, int rows, int cols)
    {
        switch (Simd.BestWidth)
        {
            case 512: StoreTile<Vec512<float>>(cp, ldc, tile, rows, cols); break;
            case 256: StoreTile<Vec256<float>>(cp, ldc, tile, rows, cols); break;
            case 128: StoreTile<Vec128<float>>(cp, ldc, tile, rows, cols); break;
            default: StoreTile<Winograd.Vec1>(cp, ldc, tile, rows, cols); break;
        }
    }

    /// <summary>Rows [0, rows) × columns [0, cols) of the tile into C: whole vectors, then one partial (masked) store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void StoreTile<TV>(float* cp, long ldc, float* tile, int rows, int cols)
        where TV : struct, IVec<TV, float>
    {
        int v = TV.Count;
        for (int r = 0; r < rows; r++)
        {
            float* src = tile + r * NR, dst = cp + r * ldc;
            int q = 0;
            for (; q + v <= cols; q += v) TV.Store(TV.Load(src + q), dst + q);
            if (q < cols) TV.StorePartial(TV.Load(src + q), dst + q, cols - q);
        }
    }

    /// <summary>Micro-kernel families; every one computes the same sums in the same k order (FMA where the hardware has it).</summary>
    public enum MicroPath
    {
        Best,
        Scalar,
        V128,
        V256,
        V512,

        /// <summary>128 bits in 6×16 strips of 24 accumulators (<see cref="MicroWide{TV}"/>): for 32-register ISAs.</summary>
        V128Wide,
    }

    /// <summary>
    /// The widest micro-kernel this process accelerates (the width <see cref="Simd.BestWidth"/> names): AVX-512 (6×32
    /// in 12 zmm), else Vector256 (two 6×16 halves), else Vector128 (6×16 strips with 32 registers, 6×8 with 16), else scalar.
    /// </summary>
    public static readonly MicroPath BestPath =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? MicroPath.V512
        : Vector256.IsHardwareAccelerated ? MicroPath.V256
        : Vector128.IsHardwareAccelerated ? (Has32VectorRegisters ? MicroPath.V128Wide : MicroPath.V128)
        : MicroPath.Scalar;

    /// <summary>Whether <paramref name="path"/> can run on this machine (tests skip the others).</summary>
    public static bool Supported(MicroPath path) => path switch
    {
        MicroPath.V512 => Avx512F.IsSupported,
        MicroPath.V256 => Vector256.IsHardwareAccelerated,
        MicroPath.V128 or MicroPath.V128Wide => Vector128.IsHardwareAccelerated,
        _ => true,
    };

    /// <summary>
    /// One 6×32 tile; <paramref name="cols"/> &lt; NR (a partial panel, computed into a scratch tile) skips the strips
    /// that hold no output column: at 128 bits a 4-column edge costs one 6×8 strip instead of four.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Micro(MicroPath path, int kc, float* a, float* b, float* c, long ldc, bool accumulate, int rows = MR, int cols = NR, long ldb = NR)
    {
        switch (path)
        {
            case MicroPath.V512: Tile<Vec512<float>>(kc, a, b, c, ldc, accumulate, rows, cols, ldb); break;
            case MicroPath.V256: Tile<Vec256<float>>(kc, a, b, c, ldc, accumulate, rows, cols, ldb); break;
            case MicroPath.V128: Tile<Vec128<float>>(kc, a, b, c, ldc, accumulate, rows, cols, ldb); break;
            case MicroPath.V128Wide: TileWide<Vec128<float>>(kc, a, b, c, ldc, accumulate, rows, cols, ldb); break;
            default: MicroScalar(kc, a, b, c, ldc, accumulate, rows, ldb); break;
        }
    }

    /// <summary>
    /// The 6×32 tile as NR / (2·lanes) column strips of <see cref="Micro{TV}"/> (one strip with AVX-512), only the
    /// strips starting before column <paramref name="cols"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Tile<TV>(int kc, float* a, float* b, float* c, long ldc, bool accumulate, int rows = MR, int cols = NR, long ldb = NR)
        where TV : struct, IVec<TV, float>
    {
        for (int q = 0; q < cols; q += 2 * TV.Count) Micro<TV>(kc, a, b + q, c + q, ldc, accumulate, rows, ldb);
    }

    /// <summary>
    /// <paramref name="p"/>[0] in every lane. With AVX but not AVX2 the JIT builds <c>Vector128.Create(*p)</c> as a
    /// scalar load plus a shuffle (vbroadcastss from a register is AVX2); AVX's memory form is one load, so the
    /// 128-bit no-FMA strip (12 multiplies + 12 adds per k on two ports) carries no shuffles beside them. Elsewhere
    /// the JIT already emits the best broadcast (AVX2's, or EVEX's folded into the FMA) and nothing changes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Splat<TV>(float* p)
        where TV : struct, IVec<TV, float>
    {
        if (typeof(TV) == typeof(Vec128<float>) && Avx.IsSupported && !Avx2.IsSupported)
        {
            var v = new Vec128<float>(Avx.BroadcastScalarToVector128(p));
            return Unsafe.As<Vec128<float>, TV>(ref v);
        }
        return TV.Create(*p);
    }

    /// <summary>
    /// A 6 × (2·lanes) strip of the tile in 12 accumulators: c[r, q] (+)= Σ_k a[k·MR + r]·b[k·NR + q] for the
    /// strip's columns (at <paramref name="b"/>/<paramref name="c"/>, B rows NR apart). One body for every width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Micro<TV>(int kc, float* a, float* b, float* c, long ldc, bool accumulate, int rows = MR, long ldb = NR)
        where TV : struct, IVec<TV, float>
    {
        int w = TV.Count;
        TV c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (accumulate && rows == MR)
        {
            c00 = TV.Load(c); c01 = TV.Load(c + w);
            c10 = TV.Load(c + ldc); c11 = TV.Load(c + ldc + w);
            c20 = TV.Load(c + 2 * ldc); c21 = TV.Load(c + 2 * ldc + w);
            c30 = TV.Load(c + 3 * ldc); c31 = TV.Load(c + 3 * ldc + w);
            c40 = TV.Load(c + 4 * ldc); c41 = TV.Load(c + 4 * ldc + w);
            c50 = TV.Load(c + 5 * ldc); c51 = TV.Load(c + 5 * ldc + w);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = TV.Zero;
        }
        if (accumulate && rows < MR)
        {
            // Rows past the edge start from zero and are never stored.
            if (rows > 0) { c00 = TV.Load(c); c01 = TV.Load(c + w); }
            if (rows > 1) { c10 = TV.Load(c + ldc); c11 = TV.Load(c + ldc + w); }
            if (rows > 2) { c20 = TV.Load(c + 2 * ldc); c21 = TV.Load(c + 2 * ldc + w); }
            if (rows > 3) { c30 = TV.Load(c + 3 * ldc); c31 = TV.Load(c + 3 * ldc + w); }
            if (rows > 4) { c40 = TV.Load(c + 4 * ldc); c41 = TV.Load(c + 4 * ldc + w); }
        }
        for (int kk = 0; kk < kc; kk++)
        {
            var b0 = TV.Load(b);
            var b1 = TV.Load(b + w);
            var a0 = Splat<TV>(a + 0);
            c00 = TV.MultiplyAdd(a0, b0, c00); c01 = TV.MultiplyAdd(a0, b1, c01);
            var a1 = Splat<TV>(a + 1);
            c10 = TV.MultiplyAdd(a1, b0, c10); c11 = TV.MultiplyAdd(a1, b1, c11);
            var a2 = Splat<TV>(a + 2);
            c20 = TV.MultiplyAdd(a2, b0, c20); c21 = TV.MultiplyAdd(a2, b1, c21);
            var a3 = Splat<TV>(a + 3);
            c30 = TV.MultiplyAdd(a3, b0, c30); c31 = TV.MultiplyAdd(a3, b1, c31);
            var a4 = Splat<TV>(a + 4);
            c40 = TV.MultiplyAdd(a4, b0, c40); c41 = TV.MultiplyAdd(a4, b1, c41);
            var a5 = Splat<TV>(a + 5);
            c50 = TV.MultiplyAdd(a5, b0, c50); c51 = TV.MultiplyAdd(a5, b1, c51);
            a += MR;
            b += ldb;
        }
        if (rows == MR)
        {
            TV.Store(c00, c); TV.Store(c01, c + w);
            TV.Store(c10, c + ldc); TV.Store(c11, c + ldc + w);
            TV.Store(c20, c + 2 * ldc); TV.Store(c21, c + 2 * ldc + w);
            TV.Store(c30, c + 3 * ldc); TV.Store(c31, c + 3 * ldc + w);
            TV.Store(c40, c + 4 * ldc); TV.Store(c41, c + 4 * ldc + w);
            TV.Store(c50, c + 5 * ldc); TV.Store(c51, c + 5 * ldc + w);
        }
        else
        {
            if (rows > 0) { TV.Store(c00, c); TV.Store(c01, c + w); }
            if (rows > 1) { TV.Store(c10, c + ldc); TV.Store(c11, c + ldc + w); }
            if (rows > 2) { TV.Store(c20, c + 2 * ldc); TV.Store(c21, c + 2 * ldc + w); }
            if (rows > 3) { TV.Store(c30, c + 3 * ldc); TV.Store(c31, c + 3 * ldc + w); }
            if (rows > 4) { TV.Store(c40, c + 4 * ldc); TV.Store(c41, c + 4 * ldc + w); }
        }
    }

    internal static void MicroScalar(int kc, float* a, float* b, float* c, long ldc, bool accumulate, int rows = MR, long ldb = NR)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int q = 0; q < NR; q++)
            {
                float s = accumulate ? c[r * ldc + q] : 0f;
                for (int kk = 0; kk < kc; kk++) s += a[kk * MR + r] * b[kk * ldb + q];
                c[r * ldc + q] = s;
            }
        }
    }

    /// <summary>Scalar reference: C[i·ldc + j] = Σ_k a(i,k)·b(k,j) with a(i,k) = a[i·ars + k·acs], b(k,j) = b[k·brs + j·bcs].</summary>
    public static void Reference(int m, int n, int k, ReadOnlySpan<float> a, int ars, int acs, ReadOnlySpan<float> b, int brs, int bcs, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float s = 0f;
                for (int kk = 0; kk < k; kk++) s += a[i * ars + kk * acs] * b[kk * brs + j * bcs];
                c[i * ldc + j] = s;
            }
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Winograd F(4×4, 3×3) for dense 3×3 stride-1 convs (Lavin &amp; Gray, points 0, ±1, ±2, ∞): each 4×4 output
/// tile is Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A over its 6×6 input window, so 36 GEMMs of [M, C]·[C, tiles] replace one
/// of [M, 9C]·[9C, pixels]: 36 multiplies per 4×4 tile and channel pair instead of 144. The filter side U = G g Gᵀ is computed once per filter (in
/// double) and packed as 36 Sgemm A operands. Tiles run in chunks of whole NR-column panels: a chunk's input
/// transform lands straight in packed-B layout (kept in L2), then per group of output channels its 36 GEMMs and at
/// once their output transform, so the GEMM output is read back from L2, never from memory; the fused epilogue
/// (bias, activation, residual) runs on the finished output rows, row pieces joined into runs. With fewer chunks than
/// threads the input transform runs over all tiles split by channels, then the groups are split over threads.
/// Every output is computed by the same operations whatever the split, so 1 and 2
/// threads give identical numbers. Transforms are written once over <see cref="IVec{TSelf, T}"/>, lanes = tiles
/// along a tile row (the input rows a chunk reads are first split by x mod 4 so tile columns become contiguous lanes);
/// <see cref="Reference"/> is the plain scalar form of the same algorithm.
/// </summary>
[SkipLocalsInit]
internal static unsafe class Winograd
{
    private const int NR = Sgemm.NR;

    /// <summary>Input channels and output channels from which a 3×3 conv takes this path (below it im2col wins; measured on ResNet18_vd / PP-OCRv4 layers).</summary>
    internal const int MinChannels = 16;

    /// <summary>Fewest tiles per image: below it the 36 small GEMMs and the 4× filter stream lose to im2col. Counted per
    /// image, not per batch, so an image takes the same path (and gives the same bits) alone or in a dynamic batch.</summary>
    internal const int MinTiles = 16;

    /// <summary>Panels (NR tiles each) per chunk in the fused path (tests pass other values to <see cref="Run"/>).</summary>
    internal const int ChunkPanels = 2;

    /// <summary>Whether a conv with this constant filter may run here (checked again per call with its geometry).</summary>
    public static bool Eligible(int kh, int kw, ReadOnlySpan<int> strides, ReadOnlySpan<int> dilations, int groups, int c, int m) =>
        kh == 3 && kw == 3 && strides[0] == 1 && strides[1] == 1 && dilations[0] == 1 && dilations[1] == 1 && groups == 1
        && c >= MinChannels && m >= MinChannels;

    /// <summary>Per call: the resolved geometry is 3×3 stride 1 dilation 1, and the plane yields enough tiles with little waste.</summary>
    public static bool Applies(in ConvGeometry g, int ho, int wo, int c, int m)
    {
        if (g.KH != 3 || g.KW != 3 || g.SH != 1 || g.SW != 1 || g.DH != 1 || g.DW != 1) return false;
        // Per image (not per batch): the choice, and so the bits, must not depend on what else is in the batch.
        long tiles = (long)((ho + 3) / 4) * ((wo + 3) / 4);
        // Tiles past the plane's edge compute discarded outputs: skip planes where they would exceed a third.
        long covered = tiles * 16;
        // A transformed filter of MBs (36·C·M floats) streams once per chunk: it needs several panels of tiles to pay.
        long minTiles = (long)c * m >= 131072 ? 2 * NR : MinTiles;
        return tiles >= minTiles && covered * 2 <= (long)ho * wo * 3;
    }

    /// <summary>Floats of one transformed position's packed filter (an Sgemm A operand [M, C]).</summary>
    public static int FilterStride(int m, int c) => Sgemm.PackedASize(m, c);

    /// <summary>U = G g Gᵀ for every (out, in) channel pair, packed per position t = 6i + j as Sgemm A [M, C]; 36 · <see cref="FilterStride"/> floats.</summary>
    public static float[] TransformFilter(ReadOnlySpan<float> f, int m, int c)
    {
        ReadOnlySpan<double> gm = [1.0 / 4, 0, 0, -1.0 / 6, -1.0 / 6, -1.0 / 6, -1.0 / 6, 1.0 / 6, -1.0 / 6, 1.0 / 24, 1.0 / 12, 1.0 / 6, 1.0 / 24, -1.0 / 12, 1.0 / 6, 0, 0, 1];
        var u = GC.AllocateUninitializedArray<float>(36 * m * c);
        Span<double> tmp = stackalloc double[18];
        for (int o = 0; o < m; o++)
        {
            for (int ci = 0; ci < c; ci++)
            {
                var g = f.Slice((o * c + ci) * 9, 9);
                // tmp = G g (6×3), then U = tmp Gᵀ (6×6).
                for (int i = 0; i < 6; i++)
                {
                    for (int b = 0; b < 3; b++) tmp[i * 3 + b] = gm[i * 3] * g[b] + gm[i * 3 + 1] * g[3 + b] + gm[i * 3 + 2] * g[6 + b];
                }
                for (int i = 0; i < 6; i++)
                {
                    for (int j = 0; j < 6; j++)
                    {
                        double s = tmp[i * 3] * gm[j * 3] + tmp[i * 3 + 1] * gm[j * 3 + 1] + tmp[i * 3 + 2] * gm[j * 3 + 2];
                        u[((i * 6 + j) * m + o) * c + ci] = (float)s;
                    }
                }
            }
        }
        int per = FilterStride(m, c);
        var packed = GC.AllocateUninitializedArray<float>(Math.Max(1, 36 * per), pinned: true);
        fixed (float* pu = u)
        fixed (float* pp = packed)
        {
            for (int t = 0; t < 36; t++) Sgemm.PackA(pu + (long)t * m * c, c, 1, m, c, pp + (long)t * per);
        }
        return packed;
    }

    /// <summary>
    /// y[N, M, Ho, Wo] = conv3×3(x[N, C, H, W]) (stride 1, the geometry's pads) with the filter transformed by
    /// <see cref="TransformFilter"/>, then the epilogue. <paramref name="maxBits"/> caps the vector width (tests; 0 = scalar lanes).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(IntraOpPool pool, RunScratch scratch, float* x, float* u, float* y, int n, int c, int h, int w, int m,
        in ConvGeometry geo, int ho, int wo, in ConvEpilogue ep, int maxBits = 512, int chunkPanels = ChunkPanels)
    {
        var job = new Job
        {
            X = x, U = u, Y = y, N = n, C = c, H = h, W = w, M = m, Ho = ho, Wo = wo, Pt = geo.PadTop, Pl = geo.PadLeft,
            Th = (ho + 3) / 4, Tw = (wo + 3) / 4, UStride = FilterStride(m, c), Ep = ep, Bits = Simd.Width(maxBits),
            S = scratch, GroupPairs = ChunkGroupPairs,
        };
        job.TImg = job.Th * job.Tw;
        job.Tiles = n * job.TImg;
        // Chunks of `chunkPanels` panels, or fewer when that gives every thread two chunks; on several threads, fewer
        // still when that shortens the busiest thread's share by a tenth (64@56: 196 tiles in 64-tile chunks split
        // 128 / 68, in 32-tile chunks 100 / 96). Chunks are whole panels: every output is the same operations.
        int best = 0;
        long bestSpan = long.MaxValue;
        for (int panels = chunkPanels; panels >= 1; panels--)
        {
            int chunkTiles = panels * NR;
            int chunks = (job.Tiles + chunkTiles - 1) / chunkTiles;
            if (pool.Threads == 1 ? chunks <= 1 : chunks < 2 * pool.Threads) continue;
            long span = Makespan(job.Tiles, chunkTiles, pool.Threads);
            if (best == 0 || span * 10 < bestSpan * 9)
            {
                best = panels;
                bestSpan = span;
            }
            if (pool.Threads == 1) break;
        }
        if (best > 0)
        {
            int chunkTiles = best * NR;
            pool.For((job.Tiles + chunkTiles - 1) / chunkTiles, new ChunkBody { J = job, ChunkTiles = chunkTiles });
            GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
            return;
        }
        // Few chunks: all tiles at once, the input transform split over channels, then one group of output channels
        // (GEMMs + output transform) per thread.
        job.Cols = Sgemm.Panels(job.Tiles) * NR;
        job.V = scratch.Shared(36 * job.VStride);
        job.G0 = 0;
        job.Count = job.Tiles;
        pool.For(c, new InputBody { J = job });
        job.GroupPairs = (Pairs(m) + pool.Threads - 1) / pool.Threads;
        pool.For((Pairs(m) + job.GroupPairs - 1) / job.GroupPairs, new GemmOutputBody { J = job });
        GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
    }

    /// <summary>Output channel blocks of <see cref="MB"/> rows (Sgemm row-block pairs).</summary>
    private static int Pairs(int m) => (m + MB - 1) / MB;

    /// <summary>
    /// Row pairs per GEMM + output transform group in the chunked path (72 output channels): the group's Mo (36·72·Cols
    /// floats, 660 KB at two panels) stays in L2 for the output transform, and each position's V panel is reused from
    /// L1 across the group's pairs (measured against 1 and 2 pairs per group: about as fast or faster on ResNet18_vd's layers).
    /// </summary>
    private const int ChunkGroupPairs = 6;

    /// <summary>Rows of one pair of Sgemm row blocks (its 12×32 AVX-512 tile): groups of output channels are whole pairs.</summary>
    private const int MB = 2 * Sgemm.MR;

    /// <summary>Tiles on the busiest of <paramref name="threads"/> threads taking chunks of <paramref name="chunkTiles"/> in turn (the last one partial).</summary>
    internal static long Makespan(int tiles, int chunkTiles, int threads)
    {
        int chunks = (tiles + chunkTiles - 1) / chunkTiles, rounds = (chunks + threads - 1) / threads;
        int last = tiles - (chunks - 1) * chunkTiles, inLastRound = chunks - (rounds - 1) * threads;
        return inLastRound >= 2 || last == chunkTiles ? (long)rounds * chunkTiles : (long)(rounds - 1) * chunkTiles + last;
    }

    /// <summary>Everything one call needs, copied into each parallel body.</summary>
    private struct Job
    {
        public float* X, U, Y, V, Mo;
        public RunScratch S;
        public int N, C, H, W, M, Ho, Wo, Pt, Pl, Th, Tw, TImg, Tiles, UStride, Bits;
        public int G0, Count, Cols; // the tiles [G0, G0 + Count) in V/Mo, Cols (a multiple of NR) columns
        public int GroupPairs; // row pairs per GemmOutput group

        public readonly int Groups => (Pairs(M) + GroupPairs - 1) / GroupPairs;
        public ConvEpilogue Ep;

        /// <summary>
        /// One position's transformed input: Cols/NR packed B panels of C rows, then a cache line of padding: the input
        /// transform stores to all 36 positions per channel, and unpadded strides (multiples of 4 KB) put those 36
        /// streams in one L1 set (measured: the input transform 1.7× slower at 64@56).
        /// </summary>
        public readonly long VStride => (long)Cols * C + 16;

        /// <summary>One position's GEMM output for a group of output channels [MB·GroupPairs, Cols], plus a cache line
        /// (the 36 positions' rows fall in different L1 sets; it is also the output transform's load slack).</summary>
        public readonly long MStride => (long)MB * GroupPairs * Cols + 16;

        /// <summary>Floats per phase row of the deinterleaved input: the tiles of a row and one more, in whole 16-float vectors.</summary>
        public readonly int PhaseRow => (Tw + 1 + 15) & ~15;

        /// <summary>
        /// Input transform of channel <paramref name="ci"/> over the job's tiles: per image, the input rows its tile rows read
        /// are split by x mod 4 once into <paramref name="deint"/> (<see cref="DeintSize"/>), then each tile-row segment is
        /// transformed from there; zeroes the last panel's unused columns.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Input(int ci, float* deint)
        {
            int sp = PhaseRow;
            for (int g = G0; g < G0 + Count;)
            {
                int img = g / TImg, ge = Math.Min(G0 + Count, (img + 1) * TImg);
                int ty0 = (g - img * TImg) / Tw, ty1 = (ge - 1 - img * TImg) / Tw;
                float* xc = X + ((long)img * C + ci) * H * W;
                Deinterleave(xc, H, W, Pt, Pl, 4 * ty0, 4 * (ty1 - ty0) + 6, sp, deint, Bits == 512, ci + 1 < C ? xc + (long)H * W : null);
                for (; g < ge;)
                {
                    int rem = g % TImg, ty = rem / Tw, tx0 = rem % Tw, cnt = Math.Min(Tw - tx0, ge - g);
                    float* rows = deint + (long)(ty - ty0) * 16 * sp + tx0;
                    switch (Bits)
                    {
                        case 512: InputSegment<Vec512<float>>(rows, sp, cnt, V, VStride, C, ci, g - G0); break;
                        case 256: InputSegment<Vec256<float>>(rows, sp, cnt, V, VStride, C, ci, g - G0); break;
                        case 128: InputSegment<Vec128<float>>(rows, sp, cnt, V, VStride, C, ci, g - G0); break;
                        default: InputSegment<Vec1>(rows, sp, cnt, V, VStride, C, ci, g - G0); break;
                    }
                    g += cnt;
                }
            }
            int used = Count % NR;
            if (used != 0)
            {
                // Unused columns of the last panel: zeros, so no stale denormal or NaN slows the GEMM.
                long at = (long)(Count / NR) * NR * C + (long)ci * NR + used;
                for (int t = 0; t < 36; t++) new Span<float>(V + t * VStride + at, NR - used).Clear();
            }
        }

        /// <summary>
        /// Output channels [MB·GroupPairs·<paramref name="group"/>, +MB·GroupPairs): their 36 GEMMs into Mo, then their
        /// output transform and epilogue while Mo is still in L2. The transformed input V stays in L2 across the groups.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void GemmOutput(int group)
        {
            int blocks = Sgemm.RowBlocks(M), ib0 = 2 * GroupPairs * group, ib1 = Math.Min(blocks, ib0 + 2 * GroupPairs);
            int r0 = ib0 * Sgemm.MR, r1 = Math.Min(M, r0 + MB * GroupPairs);
            for (int t = 0; t < 36; t++)
            {
                // Compute writes row i of C at c + i·ldc: shift Mo back so row r0 lands on its first row. Only the chunk's
                // Count columns are asked for, so a partial last panel runs Sgemm's edge kernels (4 tiles: a 4-column kernel,
                // not a 32-column one; 64@56 alone 0.63 → 0.60 ms). Its columns past Count are left as they were: the output
                // transform's vectors read them (as they read the load slack) but never store them. Left stale, not zeroed
                // (a per-row clear cost about what the edge kernel saves): a stale denormal there would only slow those lanes.
                Sgemm.Compute(M, Count, C, U + (long)t * UStride, V + t * VStride, Mo + t * MStride - (long)r0 * Cols, Cols, ib0, ib1, 0, Cols / NR, false);
            }
            int img0 = G0 / TImg, img1 = (G0 + Count - 1) / TImg;
            for (int img = img0; img <= img1; img++)
            {
                for (int o = r0; o < r1; o++) Output(img, o, r0);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void Segment<TEpi>(float* mo, int ty, int tx0, int cnt, float* yo, TEpi epi)
            where TEpi : struct, ILaneEpilogue
        {
            switch (Bits)
            {
                case 512: OutputSegment<Vec512<float>, TEpi>(mo, MStride, ty, tx0, cnt, yo, Ho, Wo, epi); break;
                case 256: OutputSegment<Vec256<float>, TEpi>(mo, MStride, ty, tx0, cnt, yo, Ho, Wo, epi); break;
                case 128: OutputSegment<Vec128<float>, TEpi>(mo, MStride, ty, tx0, cnt, yo, Ho, Wo, epi); break;
                default: OutputSegment<Vec1, TEpi>(mo, MStride, ty, tx0, cnt, yo, Ho, Wo, epi); break;
            }
        }

        /// <summary>Output transform + epilogue of output channel <paramref name="o"/> (of the block starting at <paramref name="r0"/>) of image <paramref name="img"/> over the job's tiles of that image.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Output(int img, int o, int r0)
        {
            int gs = Math.Max(G0, img * TImg), ge = Math.Min(G0 + Count, (img + 1) * TImg);
            float* yo = Y + ((long)img * M + o) * Ho * Wo;
            long run0 = 0, run1 = 0; // the epilogue's pending run [run0, run1) of yo
            // Bias + none/relu/relu6 run on the transform's lanes; a residual, an affine or another activation on the stored rows.
            bool lanes = Ep.Active && Ep.Residual == null && !Ep.Affine.Active
                && (Ep.Act is FusedActivation.None or FusedActivation.Relu || (Ep.Act == FusedActivation.Relu6 && Ep.Alpha == 6f));
            for (int g = gs; g < ge;)
            {
                int rem = g % TImg, ty = rem / Tw, tx0 = rem % Tw, cnt = Math.Min(Tw - tx0, ge - g);
                float* mo = Mo + (long)(o - r0) * Cols + (g - G0);
                if (lanes)
                {
                    bool hb = Ep.Bias != null;
                    float bias = hb ? Ep.Bias[o] : 0f;
                    switch (Ep.Act)
                    {
                        case FusedActivation.Relu: Segment(mo, ty, tx0, cnt, yo, new BiasActivation<Activations.ReluOp> { HasBias = hb, Bias = bias }); break;
                        case FusedActivation.Relu6: Segment(mo, ty, tx0, cnt, yo, new BiasActivation<Activations.Relu6Op> { HasBias = hb, Bias = bias }); break;
                        default: Segment(mo, ty, tx0, cnt, yo, new BiasActivation<ConvEpilogue.IdentityOp> { HasBias = hb, Bias = bias }); break;
                    }
                    g += cnt;
                    continue;
                }
                Segment(mo, ty, tx0, cnt, yo, default(NoEpilogue));
                if (Ep.Active)
                {
                    // Row pieces join into runs where they meet in memory (a full tile row is 4 whole rows): the
                    // epilogue's per-call dispatch and scalar tail then come once per run.
                    int x0 = tx0 * 4, x1 = Math.Min((tx0 + cnt) * 4, Wo);
                    for (int r = ty * 4; r < Math.Min(ty * 4 + 4, Ho); r++)
                    {
                        long a = (long)r * Wo + x0;
                        if (a != run1)
                        {
                            if (run1 > run0) Ep.Apply(yo + run0, (int)(run1 - run0), o);
                            run0 = a;
                        }
                        run1 = (long)r * Wo + x1;
                    }
                }
                g += cnt;
            }
            if (run1 > run0) Ep.Apply(yo + run0, (int)(run1 - run0), o);
        }
    }

    /// <summary>Floats of deinterleave scratch: every padded input row of an image (4·tile rows + 2) × 4 phases, then a vector of slack.</summary>
    private static long DeintSize(in Job j) => (4L * j.Th + 2) * 4 * j.PhaseRow + 16;

    private struct ChunkBody : IParallelBody
    {
        public Job J;
        public int ChunkTiles;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            var j = J;
            j.Cols = ChunkTiles;
            j.V = j.S.B(36 * j.VStride);
            j.Mo = j.S.C(36 * j.MStride);
            float* deint = j.S.A(DeintSize(j));
            for (int k = start; k < end; k++)
            {
                j.G0 = k * ChunkTiles;
                j.Count = Math.Min(ChunkTiles, j.Tiles - j.G0);
                j.Cols = Sgemm.Panels(j.Count) * NR;
                for (int ci = 0; ci < j.C; ci++) j.Input(ci, deint);
                for (int p = 0; p < j.Groups; p++) j.GemmOutput(p);
            }
        }
    }

    private struct InputBody : IParallelBody
    {
        public Job J;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            float* deint = J.S.A(DeintSize(J));
            for (int ci = start; ci < end; ci++) J.Input(ci, deint);
        }
    }

    private struct GemmOutputBody : IParallelBody
    {
        public Job J;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            var j = J;
            j.Mo = j.S.C(36 * j.MStride);
            for (int p = start; p < end; p++) j.GemmOutput(p);
        }
    }

    /// <summary>Bᵀ of one 6-vector: t = Bᵀ d, lanes [0, <paramref name="lanes"/>) of each stored at o + k·stride.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputRow<TV>(TV d0, TV d1, TV d2, TV d3, TV d4, TV d5, float* o, long stride, int lanes)
        where TV : struct, IVec<TV, float>
    {
        var four = TV.Create(4f);
        var mfour = TV.Create(-4f);
        var mfive = TV.Create(-5f);
        var a = TV.MultiplyAdd(d2, mfour, d4);
        var b = TV.MultiplyAdd(d1, mfour, d3);
        var cc = d4 - d2;
        var e = d3 - d1;
        e += e;
        Put(TV.MultiplyAdd(d0, four, TV.MultiplyAdd(d2, mfive, d4)), o, lanes);
        Put(a + b, o + stride, lanes);
        Put(a - b, o + 2 * stride, lanes);
        Put(cc + e, o + 3 * stride, lanes);
        Put(cc - e, o + 4 * stride, lanes);
        Put(TV.MultiplyAdd(d1, four, TV.MultiplyAdd(d3, mfive, d5)), o + 5 * stride, lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<TV>(TV v, float* p, int lanes)
        where TV : struct, IVec<TV, float>
    {
        if (lanes == TV.Count) TV.Store(v, p);
        else TV.StorePartial(v, p, lanes);
    }

    /// <summary>
    /// Rows [<paramref name="r0"/>, +<paramref name="nrows"/>) of one channel plane padded by (<paramref name="pt"/>,
    /// <paramref name="pl"/>), split by x mod 4: dst[(k·4 + j)·sp + u] = x[r0 + k − pt, 4u + j − pl] (0 outside the
    /// plane) for u &lt; <paramref name="sp"/>, then 16 zeros (<paramref name="next"/>: the next plane, prefetched row by row), so a tile's 6×6 window is 6 loads per row at tile-indexed lanes.
    /// With AVX-512, 16 tiles at a time: masked loads (the plane's edges) and two rounds of even/odd splits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Deinterleave(float* xc, int h, int w, int pt, int pl, int r0, int nrows, int sp, float* dst, bool wide, float* next = null)
    {
        wide &= Avx512F.IsSupported;
        var ev = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var od = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
        var iota = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var wv = Vector512.Create(w);
        for (int k = 0; k < nrows; k++)
        {
            int iy = r0 + k - pt;
            float* dr = dst + (long)k * 4 * sp;
            if ((uint)iy >= (uint)h)
            {
                new Span<float>(dr, 4 * sp).Clear();
                continue;
            }
            float* row = xc + (long)iy * w;
            if (next != null && Sse.IsSupported)
            {
                // The next channel's same row, a cache line at a time: planes larger than L2 otherwise arrive one
                // demand miss per line (short rows are too short for the hardware prefetcher to catch).
                float* nr = next + (long)iy * w;
                for (int q = 0; q < w; q += 16) Sse.Prefetch0(nr + q);
            }
            if (wide)
            {
                for (int u = 0; u < sp; u += 16)
                {
                    int x0 = 4 * u - pl;
                    Vector512<float> a, b, c2, d;
                    if (x0 >= 0 && x0 + 64 <= w)
                    {
                        a = Vector512.Load(row + x0); b = Vector512.Load(row + x0 + 16); c2 = Vector512.Load(row + x0 + 32); d = Vector512.Load(row + x0 + 48);
                    }
                    else
                    {
                        // Lanes outside [0, w) are neither read nor kept (masked loads).
                        a = Edge(row, x0, iota, wv);
                        b = Edge(row, x0 + 16, iota, wv);
                        c2 = Edge(row, x0 + 32, iota, wv);
                        d = Edge(row, x0 + 48, iota, wv);
                    }
                    var e0 = Avx512F.PermuteVar16x32x2(a, ev, b);
                    var o0 = Avx512F.PermuteVar16x32x2(a, od, b);
                    var e1 = Avx512F.PermuteVar16x32x2(c2, ev, d);
                    var o1 = Avx512F.PermuteVar16x32x2(c2, od, d);
                    Vector512.Store(Avx512F.PermuteVar16x32x2(e0, ev, e1), dr + u);
                    Vector512.Store(Avx512F.PermuteVar16x32x2(o0, ev, o1), dr + sp + u);
                    Vector512.Store(Avx512F.PermuteVar16x32x2(e0, od, e1), dr + 2 * sp + u);
                    Vector512.Store(Avx512F.PermuteVar16x32x2(o0, od, o1), dr + 3 * sp + u);
                }
                continue;
            }
            for (int j = 0; j < 4; j++)
            {
                // Lanes u with 0 ≤ 4u + j − pl < w are copied, the others are pads: the bounds leave the copy loop
                // (this is the 256/128-bit and ARM path, where the per-element test cost as much as the copy).
                float* dj = dr + j * sp;
                int off = j - pl;
                int lo = Math.Min(sp, Math.Max(0, (3 - off) >> 2));
                int hi = Math.Max(lo, Math.Min(sp, w - 1 - off >= 0 ? ((w - 1 - off) >> 2) + 1 : 0));
                for (int u = 0; u < lo; u++) dj[u] = 0f;
                float* src = row + off;
                for (int u = lo; u < hi; u++) dj[u] = src[4 * u];
                for (int u = hi; u < sp; u++) dj[u] = 0f;
            }
        }
        new Span<float>(dst + (long)nrows * 4 * sp, 16).Clear();
    }

    /// <summary>row[x0 … x0 + 15] with zeros outside [0, w).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Edge(float* row, int x0, Vector512<int> iota, Vector512<int> wv)
    {
        var ix = iota + Vector512.Create(x0);
        var inside = (Vector512.GreaterThanOrEqual(ix, Vector512<int>.Zero) & Vector512.LessThan(ix, wv)).AsSingle();
        // Two AVX masked loads (the portable API has no 512-bit one): masked-off lanes read as 0 and never fault.
        return Vector512.Create(Avx.MaskLoad(row + x0, inside.GetLower()), Avx.MaskLoad(row + x0 + 8, inside.GetUpper()));
    }

    /// <summary>
    /// Input transform of one tile-row segment of <paramref name="cnt"/> tiles of one channel, its 6 deinterleaved
    /// input rows at <paramref name="rows"/> (<see cref="Deinterleave"/>; row r at r·4·sp, phase j at j·sp, lane u =
    /// the segment's tile u), into position t's packed B panels at columns gl0 …: V[t][(col / NR)·NR·C + ci·NR + col % NR].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void InputSegment<TV>(float* rows, int sp, int cnt, float* v, long vStride, int c, int ci, int gl0)
        where TV : struct, IVec<TV, float>
    {
        int vl = TV.Count;
        float* hb = stackalloc float[36 * vl]; // h[r][j], one vector each
        float* vb = stackalloc float[36 * vl]; // V[i][j]
        for (int u = 0; u < cnt; u += vl)
        {
            for (int r = 0; r < 6; r++)
            {
                float* dr = rows + r * 4 * sp + u;
                InputRow(TV.Load(dr), TV.Load(dr + sp), TV.Load(dr + 2 * sp), TV.Load(dr + 3 * sp), TV.Load(dr + 1), TV.Load(dr + sp + 1), hb + r * 6 * vl, vl, vl);
            }
            int lanes = Math.Min(vl, cnt - u);
            int col = gl0 + u;
            int inPanel = col % NR;
            long at = (long)(col / NR) * NR * c + (long)ci * NR + inPanel;
            int rs = 6 * vl;
            if (inPanel + lanes <= NR)
            {
                // Column j's 6 results are positions 6i + j: straight into their panels.
                for (int j = 0; j < 6; j++)
                {
                    float* hj = hb + j * vl;
                    InputRow(TV.Load(hj), TV.Load(hj + rs), TV.Load(hj + 2 * rs), TV.Load(hj + 3 * rs), TV.Load(hj + 4 * rs), TV.Load(hj + 5 * rs), v + j * vStride + at, 6 * vStride, lanes);
                }
            }
            else
            {
                for (int j = 0; j < 6; j++)
                {
                    float* hj = hb + j * vl;
                    InputRow(TV.Load(hj), TV.Load(hj + rs), TV.Load(hj + 2 * rs), TV.Load(hj + 3 * rs), TV.Load(hj + 4 * rs), TV.Load(hj + 5 * rs), vb + j * vl, 6 * vl, vl);
                }
                // The lanes straddle two panels: the first part ends this panel, the rest opens the next.
                int first = NR - inPanel;
                long next = at + first + (long)NR * c - NR;
                for (int t = 0; t < 36; t++)
                {
                    float* s = vb + t * vl;
                    float* d = v + t * vStride;
                    for (int q = 0; q < first; q++) d[at + q] = s[q];
                    for (int q = first; q < lanes; q++) d[next + q - first] = s[q];
                }
            }
        }
    }

    /// <summary>Aᵀ of one 6-vector (m0 … m5 at <paramref name="m"/>, <paramref name="s"/> apart): the 4 values Aᵀ m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputCol<TV>(float* m, long s, out TV q0, out TV q1, out TV q2, out TV q3)
        where TV : struct, IVec<TV, float> =>
        OutputRow(TV.Load(m), TV.Load(m + s), TV.Load(m + 2 * s), TV.Load(m + 3 * s), TV.Load(m + 4 * s), TV.Load(m + 5 * s), out q0, out q1, out q2, out q3);

    /// <summary>Aᵀ of one 6-vector: the 4 values Aᵀ m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputRow<TV>(TV m0, TV m1, TV m2, TV m3, TV m4, TV m5, out TV q0, out TV q1, out TV q2, out TV q3)
        where TV : struct, IVec<TV, float>
    {
        var s12 = m1 + m2;
        var d12 = m1 - m2;
        var s34 = m3 + m4;
        var d34 = m3 - m4;
        q0 = m0 + s12 + s34;
        q1 = TV.MultiplyAdd(d34, TV.Create(2f), d12);
        q2 = TV.MultiplyAdd(s34, TV.Create(4f), s12);
        q3 = TV.MultiplyAdd(d34, TV.Create(8f), d12) + m5;
    }

    /// <summary>An elementwise epilogue applied to the output transform's lanes before they are stored.</summary>
    internal interface ILaneEpilogue
    {
        TV Apply<TV>(TV v)
            where TV : struct, IVec<TV, float>;
    }

    /// <summary>No epilogue (or one applied afterwards on the stored rows).</summary>
    internal struct NoEpilogue : ILaneEpilogue
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly TV Apply<TV>(TV v)
            where TV : struct, IVec<TV, float> => v;
    }

    /// <summary>act(v + bias): <see cref="ConvEpilogue.Run{TOp, TV}"/>'s operations, on the lanes instead of the stored row.</summary>
    internal struct BiasActivation<TOp> : ILaneEpilogue
        where TOp : struct, Activations.IVectorUnaryOp
    {
        public bool HasBias;
        public float Bias;
        public TOp Op;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly TV Apply<TV>(TV v)
            where TV : struct, IVec<TV, float> => Op.Invoke(HasBias ? v + TV.Create(Bias) : v);
    }

    /// <summary>
    /// Output transform of one output channel over tiles (ty, tx0 … tx0 + cnt − 1), position t's GEMM output at
    /// <paramref name="mo"/> + t·<paramref name="mStride"/>, each output lane through <paramref name="epi"/>. The 4×6
    /// intermediate and each output row stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void OutputSegment<TV, TEpi>(float* mo, long mStride, int ty, int tx0, int cnt, float* yo, int ho, int wo, TEpi epi)
        where TV : struct, IVec<TV, float>
        where TEpi : struct, ILaneEpilogue
    {
        int vl = TV.Count;
        float* ob = stackalloc float[64]; // one output row: Y[r][s] for the scalar interleave, or a short interleaved row
        int rows = Math.Min(4, ho - ty * 4);
        long rs = 6 * mStride;
        for (int u = 0; u < cnt; u += vl)
        {
            // q[r][j] = (Aᵀ M)[r][j], column j from positions 6i + j.
            float* m = mo + u;
            OutputCol(m, rs, out TV q00, out TV q10, out TV q20, out TV q30);
            OutputCol(m + mStride, rs, out TV q01, out TV q11, out TV q21, out TV q31);
            OutputCol(m + 2 * mStride, rs, out TV q02, out TV q12, out TV q22, out TV q32);
            OutputCol(m + 3 * mStride, rs, out TV q03, out TV q13, out TV q23, out TV q33);
            OutputCol(m + 4 * mStride, rs, out TV q04, out TV q14, out TV q24, out TV q34);
            OutputCol(m + 5 * mStride, rs, out TV q05, out TV q15, out TV q25, out TV q35);
            int lanes = Math.Min(vl, cnt - u);
            int xs = (tx0 + u) * 4;
            float* yr = yo + (long)ty * 4 * wo + xs;
            OutputRow(q00, q01, q02, q03, q04, q05, out TV y0, out TV y1, out TV y2, out TV y3);
            StoreRow(y0, y1, y2, y3, yr, lanes, wo - xs, ob, epi);
            if (rows > 1)
            {
                OutputRow(q10, q11, q12, q13, q14, q15, out y0, out y1, out y2, out y3);
                StoreRow(y0, y1, y2, y3, yr + wo, lanes, wo - xs, ob, epi);
            }
            if (rows > 2)
            {
                OutputRow(q20, q21, q22, q23, q24, q25, out y0, out y1, out y2, out y3);
                StoreRow(y0, y1, y2, y3, yr + 2 * wo, lanes, wo - xs, ob, epi);
            }
            if (rows > 3)
            {
                OutputRow(q30, q31, q32, q33, q34, q35, out y0, out y1, out y2, out y3);
                StoreRow(y0, y1, y2, y3, yr + 3 * wo, lanes, wo - xs, ob, epi);
            }
        }
    }

    /// <summary>
    /// One output row of <paramref name="lanes"/> tiles, y<i>s</i> = column s of each tile, interleaved into
    /// <paramref name="yr"/>[4·lane + s] for the <paramref name="room"/> floats left in the row, each lane through
    /// <paramref name="epi"/> first. Its own method, optimised from the first call: inside <see cref="OutputSegment"/> the
    /// JIT inlined neither it nor the epilogue (its budget spent), and called epi.Apply once per vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StoreRow<TV, TEpi>(TV y0, TV y1, TV y2, TV y3, float* yr, int lanes, int room, float* ob, TEpi epi)
        where TV : struct, IVec<TV, float>
        where TEpi : struct, ILaneEpilogue
    {
        y0 = epi.Apply(y0);
        y1 = epi.Apply(y1);
        y2 = epi.Apply(y2);
        y3 = epi.Apply(y3);
        if (typeof(TV) == typeof(Vec512<float>) && Avx512F.IsSupported)
        {
            // Two rounds of lane interleaves write the 16 tiles' 4 columns as 64 contiguous floats.
            var lo = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
            var hi = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
            Vector512<float> v0 = Unsafe.As<TV, Vector512<float>>(ref y0), v1 = Unsafe.As<TV, Vector512<float>>(ref y1);
            Vector512<float> v2 = Unsafe.As<TV, Vector512<float>>(ref y2), v3 = Unsafe.As<TV, Vector512<float>>(ref y3);
            var a = Avx512F.PermuteVar16x32x2(v0, lo, v2);
            var a2 = Avx512F.PermuteVar16x32x2(v0, hi, v2);
            var b = Avx512F.PermuteVar16x32x2(v1, lo, v3);
            var b2 = Avx512F.PermuteVar16x32x2(v1, hi, v3);
            int n = Math.Min(4 * lanes, room);
            // A short row goes through the stack, copied by inline loops: a call (Buffer.MemoryCopy) here would spill
            // every live vector of the caller.
            float* dst = n == 64 ? yr : ob;
            Vector512.Store(Avx512F.PermuteVar16x32x2(a, lo, b), dst);
            Vector512.Store(Avx512F.PermuteVar16x32x2(a, hi, b), dst + 16);
            Vector512.Store(Avx512F.PermuteVar16x32x2(a2, lo, b2), dst + 32);
            Vector512.Store(Avx512F.PermuteVar16x32x2(a2, hi, b2), dst + 48);
            if (n < 64)
            {
                int k = 0;
                for (; k + 16 <= n; k += 16) Vector512.Store(Vector512.Load(ob + k), yr + k);
                for (; k < n; k++) yr[k] = ob[k];
            }
            return;
        }
        int vl = TV.Count;
        TV.Store(y0, ob);
        TV.Store(y1, ob + vl);
        TV.Store(y2, ob + 2 * vl);
        TV.Store(y3, ob + 3 * vl);
        int full = Math.Min(lanes, room / 4); // tiles whose 4 columns all lie inside the plane
        for (int q = 0; q < full; q++)
        {
            yr[4 * q] = ob[q]; yr[4 * q + 1] = ob[vl + q]; yr[4 * q + 2] = ob[2 * vl + q]; yr[4 * q + 3] = ob[3 * vl + q];
        }
        for (int q = full; q < lanes; q++)
        {
            for (int sc = 0; sc < 4 && 4 * q + sc < room; sc++) yr[4 * q + sc] = ob[sc * vl + q];
        }
    }

    /// <summary>
    /// Scalar reference of the same algorithm, written from the matrices: per tile and channel pair, U = G g Gᵀ,
    /// V = Bᵀ d B, Y = Aᵀ(Σ_c U ⊙ V)A, in double. No bias or activation.
    /// </summary>
    public static void Reference(ReadOnlySpan<float> x, int n, int c, int h, int w, ReadOnlySpan<float> f, int m, in ConvGeometry geo, Span<float> y)
    {
        double[,] bt = { { 4, 0, -5, 0, 1, 0 }, { 0, -4, -4, 1, 1, 0 }, { 0, 4, -4, -1, 1, 0 }, { 0, -2, -1, 2, 1, 0 }, { 0, 2, -1, -2, 1, 0 }, { 0, 4, 0, -5, 0, 1 } };
        double[,] gm = { { 1.0 / 4, 0, 0 }, { -1.0 / 6, -1.0 / 6, -1.0 / 6 }, { -1.0 / 6, 1.0 / 6, -1.0 / 6 }, { 1.0 / 24, 1.0 / 12, 1.0 / 6 }, { 1.0 / 24, -1.0 / 12, 1.0 / 6 }, { 0, 0, 1 } };
        double[,] at = { { 1, 1, 1, 1, 1, 0 }, { 0, 1, -1, 2, -2, 0 }, { 0, 1, 1, 4, 4, 0 }, { 0, 1, -1, 8, -8, 1 } };
        int ho = geo.OutH(h), wo = geo.OutW(w);
        var acc = new double[6, 6];
        var d = new double[6, 6];
        for (int i = 0; i < n; i++)
        {
            for (int o = 0; o < m; o++)
            {
                for (int ty = 0; ty * 4 < ho; ty++)
                {
                    for (int tx = 0; tx * 4 < wo; tx++)
                    {
                        Array.Clear(acc);
                        for (int ci = 0; ci < c; ci++)
                        {
                            for (int r = 0; r < 6; r++)
                            {
                                for (int s = 0; s < 6; s++)
                                {
                                    int iy = ty * 4 - geo.PadTop + r, ix = tx * 4 - geo.PadLeft + s;
                                    d[r, s] = (uint)iy < (uint)h && (uint)ix < (uint)w ? x[((i * c + ci) * h + iy) * w + ix] : 0.0;
                                }
                            }
                            for (int a = 0; a < 6; a++)
                            {
                                for (int b = 0; b < 6; b++)
                                {
                                    double uv = 0, vv = 0;
                                    for (int p = 0; p < 3; p++)
                                    {
                                        for (int q = 0; q < 3; q++) uv += gm[a, p] * f[((o * c + ci) * 3 + p) * 3 + q] * gm[b, q];
                                    }
                                    for (int p = 0; p < 6; p++)
                                    {
                                        for (int q = 0; q < 6; q++) vv += bt[a, p] * d[p, q] * bt[b, q];
                                    }
                                    acc[a, b] += uv * vv;
                                }
                            }
                        }
                        for (int r = 0; r < 4 && ty * 4 + r < ho; r++)
                        {
                            for (int s = 0; s < 4 && tx * 4 + s < wo; s++)
                            {
                                double sum = 0;
                                for (int a = 0; a < 6; a++)
                                {
                                    for (int b = 0; b < 6; b++) sum += at[r, a] * acc[a, b] * at[s, b];
                                }
                                y[((i * m + o) * ho + ty * 4 + r) * wo + tx * 4 + s] = (float)sum;
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>One lane: the scalar width of the transforms (no hardware vectors), so their body is written once.</summary>
    internal readonly struct Vec1 : IVec<Vec1, float>
    {
        private readonly float _v;

        private Vec1(float v) => _v = v;

        public static int Count => 1;

        public static bool IsAccelerated => true;

        public static Vec1 Zero => default;

        public static Vec1 One => new(1f);

        public static Vec1 Create(float value) => new(value);

        public static Vec1 Load(float* p) => new(*p);

        public static void Store(Vec1 v, float* p) => *p = v._v;

        public static void StorePartial(Vec1 v, float* p, int n)
        {
            if (n > 0) *p = v._v;
        }

        public static Vec1 operator +(Vec1 a, Vec1 b) => new(a._v + b._v);

        public static Vec1 operator -(Vec1 a, Vec1 b) => new(a._v - b._v);

        public static Vec1 operator *(Vec1 a, Vec1 b) => new(a._v * b._v);

        public static Vec1 operator /(Vec1 a, Vec1 b) => new(a._v / b._v);

        public static Vec1 MultiplyAdd(Vec1 a, Vec1 b, Vec1 c) => new(a._v * b._v + c._v);

        public static Vec1 Min(Vec1 a, Vec1 b) => new(MathF.Min(a._v, b._v));

        public static Vec1 Max(Vec1 a, Vec1 b) => new(MathF.Max(a._v, b._v));

        public static Vec1 GreaterOf(Vec1 a, Vec1 b) => a._v > b._v ? a : b;

        public static Vec1 Evens(Vec1 lo, Vec1 hi) => lo;

        public static Vec1 Odds(Vec1 lo, Vec1 hi) => hi;

        public static Vec1 GreaterThan(Vec1 a, Vec1 b) => new(a._v > b._v ? BitConverter.Int32BitsToSingle(-1) : 0f);

        public static Vec1 LessThan(Vec1 a, Vec1 b) => new(a._v < b._v ? BitConverter.Int32BitsToSingle(-1) : 0f);

        public static Vec1 Select(Vec1 mask, Vec1 ifTrue, Vec1 ifFalse) => BitConverter.SingleToInt32Bits(mask._v) != 0 ? ifTrue : ifFalse;

        public static Vec1 Abs(Vec1 a) => new(MathF.Abs(a._v));

        public static Vec1 Sqrt(Vec1 a) => new(MathF.Sqrt(a._v));

        public static Vec1 Floor(Vec1 a) => new(MathF.Floor(a._v));

        public static Vec1 Ceiling(Vec1 a) => new(MathF.Ceiling(a._v));

        public static float Sum(Vec1 a) => a._v;
    }
}

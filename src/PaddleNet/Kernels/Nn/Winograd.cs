using System.Runtime.CompilerServices;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Winograd F(4×4, 3×3) for dense 3×3 stride-1 convs (Lavin &amp; Gray, points 0, ±1, ±2, ∞): each 4×4 output
/// tile is Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A over its 6×6 input window, so 36 GEMMs of [M, C]·[C, tiles] replace one
/// of [M, 9C]·[9C, pixels]: 2.25× fewer multiplies. The filter side U = G g Gᵀ is computed once at load (in
/// double) and packed as 36 Sgemm A operands. Tiles run in chunks of whole NR-column panels: a chunk's input
/// transform lands straight in packed-B layout, its 36 GEMMs and its output transform follow while it is hot,
/// and the fused epilogue (bias, activation, residual) runs on the finished output rows. With fewer chunks than
/// threads the three phases run one after the other over all tiles, each split over threads (channels, the 36
/// GEMMs, output channels). Every output is computed by the same operations whatever the split, so 1 and 2
/// threads give identical numbers. Transforms are written once over <see cref="IVec{TSelf, T}"/>, lanes = tiles
/// along a tile row (the input rows are first split by x mod 4 so tile columns become contiguous lanes);
/// <see cref="Reference"/> is the plain scalar form of the same algorithm.
/// </summary>
internal static unsafe class Winograd
{
    private const int NR = Sgemm.NR;

    /// <summary>Input channels and output channels from which a 3×3 conv takes this path (below it im2col wins; measured on ResNet18_vd / PP-OCRv4 layers).</summary>
    internal static int MinChannels = 16;

    /// <summary>Fewest tiles (all images) per call: below it the 36 small GEMMs and the 4× filter stream lose to im2col.</summary>
    internal static int MinTiles = 16;

    /// <summary>Panels (NR tiles each) per chunk in the fused path.</summary>
    internal static int ChunkPanels = 1;

    /// <summary>Whether a conv with this constant filter may run here (checked again per call with its geometry).</summary>
    public static bool Eligible(int kh, int kw, ReadOnlySpan<int> strides, ReadOnlySpan<int> dilations, int groups, int c, int m) =>
        kh == 3 && kw == 3 && strides[0] == 1 && strides[1] == 1 && dilations[0] == 1 && dilations[1] == 1 && groups == 1
        && c >= MinChannels && m >= MinChannels;

    /// <summary>Per call: the resolved geometry is 3×3 stride 1 dilation 1, and the plane yields enough tiles with little waste.</summary>
    public static bool Applies(in ConvGeometry g, int n, int ho, int wo)
    {
        if (g.KH != 3 || g.KW != 3 || g.SH != 1 || g.SW != 1 || g.DH != 1 || g.DW != 1) return false;
        long tiles = (long)n * ((ho + 3) / 4) * ((wo + 3) / 4);
        // Tiles past the plane's edge compute discarded outputs: skip planes where they would exceed a third.
        long covered = tiles * 16;
        return tiles >= MinTiles && covered * 2 <= (long)n * ho * wo * 3;
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
    public static void Run(IntraOpPool pool, RunScratch scratch, float* x, float* u, float* y, int n, int c, int h, int w, int m,
        in ConvGeometry geo, int ho, int wo, in ConvEpilogue ep, int maxBits = 512)
    {
        var job = new Job
        {
            X = x, U = u, Y = y, N = n, C = c, H = h, W = w, M = m, Ho = ho, Wo = wo, Pt = geo.PadTop, Pl = geo.PadLeft,
            Th = (ho + 3) / 4, Tw = (wo + 3) / 4, UStride = FilterStride(m, c), Ep = ep, Bits = Simd.Width(maxBits),
            S = scratch,
        };
        job.TImg = job.Th * job.Tw;
        job.Tiles = n * job.TImg;
        int chunkTiles = ChunkPanels * NR;
        int chunks = (job.Tiles + chunkTiles - 1) / chunkTiles;
        if (chunks >= 2 * pool.Threads || (pool.Threads == 1 && chunks > 1))
        {
            pool.For(chunks, new ChunkBody { J = job, ChunkTiles = chunkTiles });
            return;
        }
        // Few chunks: all tiles at once, phases split over threads.
        job.Cols = Sgemm.Panels(job.Tiles) * NR;
        long vSize = job.VStride, mSize = job.MStride;
        float* buf = scratch.Shared(36 * (vSize + mSize));
        job.V = buf;
        job.Mo = buf + 36 * vSize;
        job.G0 = 0;
        job.Count = job.Tiles;
        pool.For(c, new InputBody { J = job });
        pool.For(36, new GemmBody { J = job });
        pool.For(n * m, new OutputBody { J = job });
    }

    /// <summary>Everything one call needs, copied into each parallel body.</summary>
    private struct Job
    {
        public float* X, U, Y, V, Mo;
        public RunScratch S;
        public int N, C, H, W, M, Ho, Wo, Pt, Pl, Th, Tw, TImg, Tiles, UStride, Bits;
        public int G0, Count, Cols; // the tiles [G0, G0 + Count) in V/Mo, Cols (a multiple of NR) columns
        public ConvEpilogue Ep;

        /// <summary>One position's transformed input: Cols/NR packed B panels of C rows.</summary>
        public readonly long VStride => (long)Cols * C;

        /// <summary>One position's GEMM output [M, Cols], plus a vector of slack for the output transform's last loads.</summary>
        public readonly long MStride => (long)M * Cols + 16;

        /// <summary>Input transform of channel <paramref name="ci"/> over the job's tiles; zeroes the last panel's unused columns.</summary>
        public readonly void Input(int ci, float* deint)
        {
            for (int g = G0; g < G0 + Count;)
            {
                int img = g / TImg;
                int rem = g % TImg, ty = rem / Tw, tx0 = rem % Tw, cnt = Math.Min(Tw - tx0, G0 + Count - g);
                float* xc = X + ((long)img * C + ci) * H * W;
                switch (Bits)
                {
                    case 512: InputSegment<Vec512<float>>(xc, H, W, Pt, Pl, ty, tx0, cnt, deint, V, VStride, C, ci, g - G0); break;
                    case 256: InputSegment<Vec256<float>>(xc, H, W, Pt, Pl, ty, tx0, cnt, deint, V, VStride, C, ci, g - G0); break;
                    case 128: InputSegment<Vec128<float>>(xc, H, W, Pt, Pl, ty, tx0, cnt, deint, V, VStride, C, ci, g - G0); break;
                    default: InputSegment<Vec1>(xc, H, W, Pt, Pl, ty, tx0, cnt, deint, V, VStride, C, ci, g - G0); break;
                }
                g += cnt;
            }
            int used = Count % NR;
            if (used != 0)
            {
                // Unused columns of the last panel: zeros, so no stale denormal or NaN slows the GEMM.
                long at = (long)(Count / NR) * NR * C + (long)ci * NR + used;
                for (int t = 0; t < 36; t++) new Span<float>(V + t * VStride + at, NR - used).Clear();
            }
        }

        public readonly void Gemm(int t) =>
            Sgemm.Compute(M, Cols, C, U + (long)t * UStride, V + t * VStride, Mo + t * MStride, Cols, 0, Sgemm.RowBlocks(M), 0, Cols / NR, false);

        /// <summary>Output transform + epilogue of output channel <paramref name="o"/> of image <paramref name="img"/> over the job's tiles of that image.</summary>
        public readonly void Output(int img, int o)
        {
            int gs = Math.Max(G0, img * TImg), ge = Math.Min(G0 + Count, (img + 1) * TImg);
            float* yo = Y + ((long)img * M + o) * Ho * Wo;
            for (int g = gs; g < ge;)
            {
                int rem = g % TImg, ty = rem / Tw, tx0 = rem % Tw, cnt = Math.Min(Tw - tx0, ge - g);
                float* mo = Mo + (long)o * Cols + (g - G0);
                switch (Bits)
                {
                    case 512: OutputSegment<Vec512<float>>(mo, MStride, ty, tx0, cnt, yo, Ho, Wo); break;
                    case 256: OutputSegment<Vec256<float>>(mo, MStride, ty, tx0, cnt, yo, Ho, Wo); break;
                    case 128: OutputSegment<Vec128<float>>(mo, MStride, ty, tx0, cnt, yo, Ho, Wo); break;
                    default: OutputSegment<Vec1>(mo, MStride, ty, tx0, cnt, yo, Ho, Wo); break;
                }
                if (Ep.Active)
                {
                    int x0 = tx0 * 4, x1 = Math.Min((tx0 + cnt) * 4, Wo);
                    for (int r = ty * 4; r < Math.Min(ty * 4 + 4, Ho); r++) Ep.Apply(yo + (long)r * Wo + x0, x1 - x0, o);
                }
                g += cnt;
            }
        }
    }

    /// <summary>Floats of deinterleave scratch per call: 6 rows × 4 phases × (tiles per row + a vector + 1).</summary>
    private static long DeintSize(int tw) => 24L * (tw + 18);

    private struct ChunkBody : IParallelBody
    {
        public Job J;
        public int ChunkTiles;

        public readonly void Run(int start, int end)
        {
            var j = J;
            j.Cols = ChunkTiles;
            j.V = j.S.B(36 * j.VStride);
            j.Mo = j.S.C(36 * j.MStride);
            float* deint = j.S.A(DeintSize(j.Tw));
            for (int k = start; k < end; k++)
            {
                j.G0 = k * ChunkTiles;
                j.Count = Math.Min(ChunkTiles, j.Tiles - j.G0);
                j.Cols = Sgemm.Panels(j.Count) * NR;
                for (int ci = 0; ci < j.C; ci++) j.Input(ci, deint);
                for (int t = 0; t < 36; t++) j.Gemm(t);
                int img0 = j.G0 / j.TImg, img1 = (j.G0 + j.Count - 1) / j.TImg;
                for (int img = img0; img <= img1; img++)
                {
                    for (int o = 0; o < j.M; o++) j.Output(img, o);
                }
            }
        }
    }

    private struct InputBody : IParallelBody
    {
        public Job J;

        public readonly void Run(int start, int end)
        {
            float* deint = J.S.A(DeintSize(J.Tw));
            for (int ci = start; ci < end; ci++) J.Input(ci, deint);
        }
    }

    private struct GemmBody : IParallelBody
    {
        public Job J;

        public readonly void Run(int start, int end)
        {
            for (int t = start; t < end; t++) J.Gemm(t);
        }
    }

    private struct OutputBody : IParallelBody
    {
        public Job J;

        public readonly void Run(int start, int end)
        {
            for (int k = start; k < end; k++) J.Output(k / J.M, k % J.M);
        }
    }

    /// <summary>Bᵀ of one 6-vector: t = Bᵀ d.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputRow<TV>(TV d0, TV d1, TV d2, TV d3, TV d4, TV d5, float* o, int stride)
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
        TV.Store(TV.MultiplyAdd(d0, four, TV.MultiplyAdd(d2, mfive, d4)), o);
        TV.Store(a + b, o + stride);
        TV.Store(a - b, o + 2 * stride);
        TV.Store(cc + e, o + 3 * stride);
        TV.Store(cc - e, o + 4 * stride);
        TV.Store(TV.MultiplyAdd(d1, four, TV.MultiplyAdd(d3, mfive, d5)), o + 5 * stride);
    }

    /// <summary>
    /// Input transform of one channel plane over tiles (ty, tx0 … tx0 + cnt − 1), into position t's packed B panels
    /// at columns gl0 …: V[t][(col / NR)·NR·C + ci·NR + col % NR].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void InputSegment<TV>(float* xc, int h, int w, int pt, int pl, int ty, int tx0, int cnt, float* deint, float* v, long vStride, int c, int ci, int gl0)
        where TV : struct, IVec<TV, float>
    {
        int vl = TV.Count;
        int sp = cnt + 1 + vl; // one phase row: tiles + the next tile's first columns + a vector of slack
        // Rows of the 6×(4·cnt + 2) window split by x mod 4: deint[(r·4 + j)·sp + u] = x[iy(r), 4(tx0 + u) + j − pl] (0 outside).
        for (int r = 0; r < 6; r++)
        {
            int iy = ty * 4 - pt + r;
            float* dr = deint + r * 4 * sp;
            if ((uint)iy >= (uint)h)
            {
                new Span<float>(dr, 4 * sp).Clear();
                continue;
            }
            float* row = xc + (long)iy * w;
            int xb = tx0 * 4 - pl;
            for (int u = 0; u <= cnt; u++)
            {
                int x0 = xb + 4 * u;
                if (x0 >= 0 && x0 + 3 < w)
                {
                    dr[u] = row[x0]; dr[sp + u] = row[x0 + 1]; dr[2 * sp + u] = row[x0 + 2]; dr[3 * sp + u] = row[x0 + 3];
                }
                else
                {
                    for (int j = 0; j < 4; j++) dr[j * sp + u] = (uint)(x0 + j) < (uint)w ? row[x0 + j] : 0f;
                }
            }
            for (int j = 0; j < 4; j++) new Span<float>(dr + j * sp + cnt + 1, vl).Clear();
        }
        float* hb = stackalloc float[36 * vl]; // h[r][j], one vector each
        float* vb = stackalloc float[36 * vl]; // V[i][j]
        for (int u = 0; u < cnt; u += vl)
        {
            for (int r = 0; r < 6; r++)
            {
                float* dr = deint + r * 4 * sp + u;
                InputRow(TV.Load(dr), TV.Load(dr + sp), TV.Load(dr + 2 * sp), TV.Load(dr + 3 * sp), TV.Load(dr + 1), TV.Load(dr + sp + 1), hb + r * 6 * vl, vl);
            }
            for (int j = 0; j < 6; j++)
            {
                float* hj = hb + j * vl;
                int rs = 6 * vl;
                InputRow(TV.Load(hj), TV.Load(hj + rs), TV.Load(hj + 2 * rs), TV.Load(hj + 3 * rs), TV.Load(hj + 4 * rs), TV.Load(hj + 5 * rs), vb + j * vl, 6 * vl);
            }
            int lanes = Math.Min(vl, cnt - u);
            int col = gl0 + u;
            int inPanel = col % NR;
            long at = (long)(col / NR) * NR * c + (long)ci * NR + inPanel;
            if (inPanel + lanes <= NR)
            {
                for (int t = 0; t < 36; t++) TV.StorePartial(TV.Load(vb + t * vl), v + t * vStride + at, lanes);
            }
            else
            {
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

    /// <summary>Aᵀ of one 6-vector: the 4 values Aᵀ m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputRow<TV>(TV m0, TV m1, TV m2, TV m3, TV m4, TV m5, float* o, int stride)
        where TV : struct, IVec<TV, float>
    {
        var s12 = m1 + m2;
        var d12 = m1 - m2;
        var s34 = m3 + m4;
        var d34 = m3 - m4;
        TV.Store(m0 + s12 + s34, o);
        TV.Store(TV.MultiplyAdd(d34, TV.Create(2f), d12), o + stride);
        TV.Store(TV.MultiplyAdd(s34, TV.Create(4f), s12), o + 2 * stride);
        TV.Store(TV.MultiplyAdd(d34, TV.Create(8f), d12) + m5, o + 3 * stride);
    }

    /// <summary>Output transform of one output channel over tiles (ty, tx0 … tx0 + cnt − 1), position t's GEMM output at <paramref name="mo"/> + t·<paramref name="mStride"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void OutputSegment<TV>(float* mo, long mStride, int ty, int tx0, int cnt, float* yo, int ho, int wo)
        where TV : struct, IVec<TV, float>
    {
        int vl = TV.Count;
        float* qb = stackalloc float[24 * vl]; // q[r][j] = (Aᵀ M)[r][j]
        float* ob = stackalloc float[16 * vl]; // Y[r][s]
        int rows = Math.Min(4, ho - ty * 4);
        for (int u = 0; u < cnt; u += vl)
        {
            for (int j = 0; j < 6; j++)
            {
                float* mj = mo + u + j * mStride;
                long rs = 6 * mStride;
                OutputRow(TV.Load(mj), TV.Load(mj + rs), TV.Load(mj + 2 * rs), TV.Load(mj + 3 * rs), TV.Load(mj + 4 * rs), TV.Load(mj + 5 * rs), qb + j * vl, 6 * vl);
            }
            for (int r = 0; r < rows; r++)
            {
                float* qr = qb + r * 6 * vl;
                OutputRow(TV.Load(qr), TV.Load(qr + vl), TV.Load(qr + 2 * vl), TV.Load(qr + 3 * vl), TV.Load(qr + 4 * vl), TV.Load(qr + 5 * vl), ob + r * 4 * vl, vl);
            }
            int lanes = Math.Min(vl, cnt - u);
            int xs = (tx0 + u) * 4;
            for (int r = 0; r < rows; r++)
            {
                float* yr = yo + (long)(ty * 4 + r) * wo + xs;
                float* o0 = ob + r * 4 * vl;
                int full = Math.Min(lanes, (wo - xs) / 4); // tiles whose 4 columns all lie inside the plane
                for (int q = 0; q < full; q++)
                {
                    yr[4 * q] = o0[q]; yr[4 * q + 1] = o0[vl + q]; yr[4 * q + 2] = o0[2 * vl + q]; yr[4 * q + 3] = o0[3 * vl + q];
                }
                for (int q = full; q < lanes; q++)
                {
                    for (int s = 0; s < 4 && xs + 4 * q + s < wo; s++) yr[4 * q + s] = o0[s * vl + q];
                }
            }
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

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Channel-blocked depthwise conv (channel multiplier 1) for planes where one row fills a vector badly (narrow planes,
/// stride 2): L = vector-width channels of one image run together, one lane per channel. Input rows are transposed into
/// a ring of (KH − 1)·DH + 1 zero-bordered rows laid out [column][lane], so every tap is one vector load and one FMA over
/// L channels whatever the width, stride and padding; each input row is transposed once. Output rows are gathered in a
/// strip [pixel][lane], transposed back into the NCHW planes, and the conv epilogue runs on the strip while it is in L1.
/// Each output is the chain of <see cref="DepthwiseConv2D"/>'s planes (0, then + x·f per tap in (ky, kx) order, fused
/// multiply-add), so the results are bit-identical to them at the same vector width. One body for every width
/// (<see cref="IVec{TSelf, T}"/>); the transposes are 8×8 (AVX) or 4×4 (SSE) register shuffles, pure data movement.
/// </summary>
internal static unsafe class DepthwiseBlocked
{
    /// <summary>Lanes (channels per item) this machine runs at <paramref name="maxVector"/>, 0 when the blocked kernel is unavailable.</summary>
    public static int Lanes(int maxVector)
    {
        if (maxVector >= 16 && Vector512.IsHardwareAccelerated && Avx512F.IsSupported) return 16;
        if (maxVector >= 8 && Vector256.IsHardwareAccelerated && Avx.IsSupported) return 8;
        if (maxVector >= 4 && Vector128.IsHardwareAccelerated && Sse.IsSupported) return 4;
        return 0;
    }

    /// <summary><paramref name="p"/> rounded up to a 64-byte boundary (the caller asked for 16 floats more).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float* Align64(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    /// <summary>Output pixels per strip (transposed back and run through the epilogue together): 16 KB at 16 lanes.</summary>
    internal const int StripPixels = 256;

    /// <summary>Runs the layer (multiplier 1, <paramref name="lanes"/> from <see cref="Lanes"/>, not 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(IntraOpPool pool, RunScratch scratch, float* x, float* f, float* y, int n, int c, int h, int w, in ConvGeometry g, int ho, int wo,
        in ConvEpilogue ep, int lanes)
    {
        int blocks = (c + lanes - 1) / lanes;
        // Few blocks (wide early layers): split each block's rows too so two threads both get work; the split changes no sum.
        int parts = Math.Clamp(8 / Math.Max(1, n * blocks), 1, Math.Max(1, ho / 4));
        long work = (long)ho * wo * g.KH * g.KW * lanes / parts;
        int minChunk = (int)Math.Clamp(32768L / Math.Max(1L, work), 1, int.MaxValue);
        switch (lanes)
        {
            case 16: pool.For(n * blocks * parts, new Body<Vec512<float>> { S = scratch, X = x, F = f, Y = y, C = c, H = h, W = w, Ho = ho, Wo = wo, G = g, Ep = ep, Blocks = blocks, Parts = parts }, minChunk); break;
            case 8: pool.For(n * blocks * parts, new Body<Vec256<float>> { S = scratch, X = x, F = f, Y = y, C = c, H = h, W = w, Ho = ho, Wo = wo, G = g, Ep = ep, Blocks = blocks, Parts = parts }, minChunk); break;
            case 4: pool.For(n * blocks * parts, new Body<Vec128<float>> { S = scratch, X = x, F = f, Y = y, C = c, H = h, W = w, Ho = ho, Wo = wo, G = g, Ep = ep, Blocks = blocks, Parts = parts }, minChunk); break;
            default: throw new ArgumentException($"no blocked depthwise body for {lanes} lanes");
        }
        GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
    }

    private struct Body<TV> : IParallelBody
        where TV : struct, IVec<TV, float>
    {
        public RunScratch S;
        public float* X, F, Y;
        public int C, H, W, Ho, Wo, Blocks, Parts;
        public ConvGeometry G;
        public ConvEpilogue Ep;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            // Bias + activation run on each strip row as it is computed (per lane, the epilogue's own vector op: the same bits
            // as applying it to the planes); with a fused residual or scalar affine the whole epilogue runs on the planes after
            // each strip is transposed back.
            if (!Ep.Active || Ep.Residual != null || Ep.Affine.Active)
            {
                Items(start, end, default(ConvEpilogue.IdentityOp), false);
                return;
            }
            switch (Ep.Act)
            {
                case FusedActivation.None: Items(start, end, default(ConvEpilogue.IdentityOp), true); break;
                case FusedActivation.Relu: Items(start, end, default(Activations.ReluOp), true); break;
                case FusedActivation.Relu6 when Ep.Alpha == 6f: Items(start, end, default(Activations.Relu6Op), true); break;
                case FusedActivation.Relu6: Items(start, end, new ConvEpilogue.ClipOp { Max = Ep.Alpha }, true); break;
                case FusedActivation.LeakyRelu: Items(start, end, new Activations.LeakyReluOp { Alpha = Ep.Alpha }, true); break;
                case FusedActivation.HardSwish: Items(start, end, default(Activations.HardSwishOp), true); break;
                case FusedActivation.HardSigmoid: Items(start, end, new Activations.HardSigmoidOp { Slope = Ep.Alpha, Offset = Ep.Beta }, true); break;
                default: throw new ArgumentException($"no fused form of activation {Ep.Act}");
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        [SkipLocalsInit]
        private readonly void Items<TOp>(int start, int end, TOp op, bool fused)
            where TOp : struct, Activations.IVectorUnaryOp
        {
            int L = TV.Count;
            var g = G;
            int taps = g.KH * g.KW;
            int ringRows = (g.KH - 1) * g.DH + 1;
            int colsP = (Wo - 1) * g.SW + (g.KW - 1) * g.DW + 1;
            // Every input column has a slot (columns past the padded extent are never read), and rows under eight wide a group of eight from pl.
            // Grouped rows below eight wide still run one group of eight: its extra outputs read zeroed columns (2·7 + KW of them at stride 2).
            int colsB = Math.Max(Math.Max(colsP, W + g.PadLeft + (W < 8 ? 8 - W : 0)), Grouped ? 8 + g.KW - 1 : GroupedS2 ? 2 * 7 + g.KW : 0);
            long slot = (long)colsB * L;
            int strip = Math.Clamp(StripPixels / Wo, 1, Ho);
            // 64-byte aligned (scratch arrays are only 16-aligned): a 512-bit pixel vector that straddles two cache lines costs two accesses.
            float* ring = Align64(S.C(ringRows * slot + (long)(taps + 1) * L + 16));
            float* ft = ring + ringRows * slot;
            float* bias = ft + (long)taps * L;
            float* obuf = Align64(S.B(((long)strip * Wo + 8) * L + 16)); // + a group's spare outputs past the last row
            int hw = Ho * Wo, plane = H * W;
            bool hasBias = fused && Ep.Bias != null;
            float** rows = stackalloc float*[g.KH];
            for (int item = start; item < end; item++)
            {
                int part = item % Parts, ib = item / Parts;
                int i = ib / Blocks, c0 = (ib % Blocks) * L;
                int lanes = Math.Min(L, C - c0);
                int oyBegin = (int)((long)Ho * part / Parts), oyEnd = (int)((long)Ho * (part + 1) / Parts);
                float* x0 = X + ((long)i * C + c0) * plane;
                float* y0 = Y + ((long)i * C + c0) * hw;
                // Filters [lane][tap] to [tap][lane] with the register transposes (a scalar loop here cost as much as a 7×7 block's epilogue).
                TransposeIn(F + (long)c0 * taps, taps, taps, ft, lanes, L);
                for (int l = 0; l < lanes; l++) bias[l] = hasBias ? Ep.Bias[c0 + l] : 0f;
                // Lanes past C: zero filter and bias (their slots hold stale data; those outputs are never stored).
                for (int l = lanes; l < L; l++)
                {
                    for (int t = 0; t < taps; t++) ft[t * L + l] = 0f;
                    bias[l] = 0f;
                }
                int next = oyBegin * g.SH; // next padded row to bring into the ring
                for (int oy0 = oyBegin; oy0 < oyEnd; oy0 += strip)
                {
                    int rowsHere = Math.Min(strip, oyEnd - oy0);
                    for (int r = 0; r < rowsHere; r++)
                    {
                        int top = (oy0 + r) * g.SH;
                        for (; next < top + ringRows; next++)
                        {
                            // A padded row no output of this part reads (stride > ring) is skipped.
                            if (next < top) continue;
                            LoadRow(x0, plane, lanes, next - g.PadTop, ring + next % ringRows * slot, colsB);
                        }
                        for (int ky = 0; ky < g.KH; ky++) rows[ky] = ring + (top + ky * g.DH) % ringRows * slot;
                        ComputeRow(rows, ft, obuf + (long)r * Wo * L);
                        if (fused) Epilogue(obuf + (long)r * Wo * L, Wo, hasBias, bias, op);
                    }
                    TransposeOut(obuf, y0 + (long)oy0 * Wo, hw, rowsHere * Wo, lanes, L, L);
                    if (!fused && Ep.Active)
                    {
                        for (int l = 0; l < lanes; l++) Ep.Apply(y0 + (long)l * hw + (long)oy0 * Wo, rowsHere * Wo, c0 + l);
                    }
                }
            }
        }

        /// <summary>o = act(o + bias) over <paramref name="pixels"/> pixels of L lanes: <see cref="ConvEpilogue"/>'s vector form per element.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Epilogue<TOp>(float* o, int pixels, bool hasBias, float* bias, TOp op)
            where TOp : struct, Activations.IVectorUnaryOp
        {
            int L = TV.Count;
            var vb = TV.Load(bias);
            if (hasBias)
            {
                for (int p = 0; p < pixels; p++) TV.Store(op.Invoke(TV.Load(o + (long)p * L) + vb), o + (long)p * L);
            }
            else
            {
                for (int p = 0; p < pixels; p++) TV.Store(op.Invoke(TV.Load(o + (long)p * L)), o + (long)p * L);
            }
        }

        /// <summary>Whether output rows run in groups of eight that load each input vector once per row (column stride and dilation 1, 3 or 5 taps).</summary>
        private readonly bool Grouped => G.SW == 1 && G.DW == 1 && G.KW is 3 or 5;

        /// <summary>Whether output rows run in groups of eight at column stride 2 (dilation 1, 3 or 5 taps): <see cref="RowS2"/>.</summary>
        private readonly bool GroupedS2 => G.SW == 2 && G.DW == 1 && G.KW is 3 or 5;

        /// <summary>Padded row <paramref name="iy"/> + pad (input row iy, zeros when outside) into a ring slot, [column][lane].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private readonly void LoadRow(float* x0, int plane, int lanes, int iy, float* d, int colsB)
        {
            int L = TV.Count;
            if ((uint)iy >= (uint)H)
            {
                ZeroPixels(d, colsB);
                return;
            }
            int pl = G.PadLeft, g = L >= 8 ? 8 : 4;
            float* src = x0 + (long)iy * W;
            // Rows narrower than a transpose group (7×7 planes) would go scalar: transpose a whole group of columns instead, the
            // extra ones taken from the next row (or, for the plane's last row, the row before: the group then ends at the row's
            // end and its extra columns land in the left pad); the pads are cleared after, so the slot holds what it always did.
            if (W < g && (long)iy * W + g <= plane) TransposeIn(src, plane, g, d + (long)pl * L, lanes, L);
            else if (W < g && pl + W >= g && (long)(iy + 1) * W >= g) TransposeIn(src + W - g, plane, g, d + (long)(pl + W - g) * L, lanes, L);
            else TransposeIn(src, plane, W, d + (long)pl * L, lanes, L);
            ZeroPixels(d, pl);
            ZeroPixels(d + (long)(pl + W) * L, colsB - pl - W);
        }

        /// <summary>Zeroes <paramref name="pixels"/> whole pixel vectors (a few pad columns: vector stores, no call into Span.Clear).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ZeroPixels(float* d, int pixels)
        {
            for (int i = 0; i < pixels; i++) TV.Store(TV.Zero, d + (long)i * TV.Count);
        }

        /// <summary>Eight outputs at ox, column stride and dilation 1, 3 taps per row: each input vector is loaded once per row and feeds every output that reads it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Group8K3(float** rows, int kh, float* ft, float* op, int ox)
        {
            int L = TV.Count;
            TV a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero, a4 = TV.Zero, a5 = TV.Zero, a6 = TV.Zero, a7 = TV.Zero;
            float* fp = ft;
            for (int ky = 0; ky < kh; ky++, fp += 3 * L)
            {
                float* q = rows[ky] + (long)ox * L;
                var v0 = TV.Load(q + 0 * L); var v1 = TV.Load(q + 1 * L); var v2 = TV.Load(q + 2 * L); var v3 = TV.Load(q + 3 * L); var v4 = TV.Load(q + 4 * L); var v5 = TV.Load(q + 5 * L); var v6 = TV.Load(q + 6 * L); var v7 = TV.Load(q + 7 * L); var v8 = TV.Load(q + 8 * L); var v9 = TV.Load(q + 9 * L);
                var f0 = TV.Load(fp + 0 * L);
                a0 = TV.MultiplyAdd(v0, f0, a0); a1 = TV.MultiplyAdd(v1, f0, a1); a2 = TV.MultiplyAdd(v2, f0, a2); a3 = TV.MultiplyAdd(v3, f0, a3); a4 = TV.MultiplyAdd(v4, f0, a4); a5 = TV.MultiplyAdd(v5, f0, a5); a6 = TV.MultiplyAdd(v6, f0, a6); a7 = TV.MultiplyAdd(v7, f0, a7);
                var f1 = TV.Load(fp + 1 * L);
                a0 = TV.MultiplyAdd(v1, f1, a0); a1 = TV.MultiplyAdd(v2, f1, a1); a2 = TV.MultiplyAdd(v3, f1, a2); a3 = TV.MultiplyAdd(v4, f1, a3); a4 = TV.MultiplyAdd(v5, f1, a4); a5 = TV.MultiplyAdd(v6, f1, a5); a6 = TV.MultiplyAdd(v7, f1, a6); a7 = TV.MultiplyAdd(v8, f1, a7);
                var f2 = TV.Load(fp + 2 * L);
                a0 = TV.MultiplyAdd(v2, f2, a0); a1 = TV.MultiplyAdd(v3, f2, a1); a2 = TV.MultiplyAdd(v4, f2, a2); a3 = TV.MultiplyAdd(v5, f2, a3); a4 = TV.MultiplyAdd(v6, f2, a4); a5 = TV.MultiplyAdd(v7, f2, a5); a6 = TV.MultiplyAdd(v8, f2, a6); a7 = TV.MultiplyAdd(v9, f2, a7);
            }
            TV.Store(a0, op); TV.Store(a1, op + L); TV.Store(a2, op + 2 * L); TV.Store(a3, op + 3 * L);
            TV.Store(a4, op + 4 * L); TV.Store(a5, op + 5 * L); TV.Store(a6, op + 6 * L); TV.Store(a7, op + 7 * L);
        }

        /// <summary>Eight outputs at ox, column stride and dilation 1, 5 taps per row: each input vector is loaded once per row and feeds every output that reads it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Group8K5(float** rows, int kh, float* ft, float* op, int ox)
        {
            int L = TV.Count;
            TV a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero, a4 = TV.Zero, a5 = TV.Zero, a6 = TV.Zero, a7 = TV.Zero;
            float* fp = ft;
            for (int ky = 0; ky < kh; ky++, fp += 5 * L)
            {
                float* q = rows[ky] + (long)ox * L;
                var v0 = TV.Load(q + 0 * L); var v1 = TV.Load(q + 1 * L); var v2 = TV.Load(q + 2 * L); var v3 = TV.Load(q + 3 * L); var v4 = TV.Load(q + 4 * L); var v5 = TV.Load(q + 5 * L); var v6 = TV.Load(q + 6 * L); var v7 = TV.Load(q + 7 * L); var v8 = TV.Load(q + 8 * L); var v9 = TV.Load(q + 9 * L); var v10 = TV.Load(q + 10 * L); var v11 = TV.Load(q + 11 * L);
                var f0 = TV.Load(fp + 0 * L);
                a0 = TV.MultiplyAdd(v0, f0, a0); a1 = TV.MultiplyAdd(v1, f0, a1); a2 = TV.MultiplyAdd(v2, f0, a2); a3 = TV.MultiplyAdd(v3, f0, a3); a4 = TV.MultiplyAdd(v4, f0, a4); a5 = TV.MultiplyAdd(v5, f0, a5); a6 = TV.MultiplyAdd(v6, f0, a6); a7 = TV.MultiplyAdd(v7, f0, a7);
                var f1 = TV.Load(fp + 1 * L);
                a0 = TV.MultiplyAdd(v1, f1, a0); a1 = TV.MultiplyAdd(v2, f1, a1); a2 = TV.MultiplyAdd(v3, f1, a2); a3 = TV.MultiplyAdd(v4, f1, a3); a4 = TV.MultiplyAdd(v5, f1, a4); a5 = TV.MultiplyAdd(v6, f1, a5); a6 = TV.MultiplyAdd(v7, f1, a6); a7 = TV.MultiplyAdd(v8, f1, a7);
                var f2 = TV.Load(fp + 2 * L);
                a0 = TV.MultiplyAdd(v2, f2, a0); a1 = TV.MultiplyAdd(v3, f2, a1); a2 = TV.MultiplyAdd(v4, f2, a2); a3 = TV.MultiplyAdd(v5, f2, a3); a4 = TV.MultiplyAdd(v6, f2, a4); a5 = TV.MultiplyAdd(v7, f2, a5); a6 = TV.MultiplyAdd(v8, f2, a6); a7 = TV.MultiplyAdd(v9, f2, a7);
                var f3 = TV.Load(fp + 3 * L);
                a0 = TV.MultiplyAdd(v3, f3, a0); a1 = TV.MultiplyAdd(v4, f3, a1); a2 = TV.MultiplyAdd(v5, f3, a2); a3 = TV.MultiplyAdd(v6, f3, a3); a4 = TV.MultiplyAdd(v7, f3, a4); a5 = TV.MultiplyAdd(v8, f3, a5); a6 = TV.MultiplyAdd(v9, f3, a6); a7 = TV.MultiplyAdd(v10, f3, a7);
                var f4 = TV.Load(fp + 4 * L);
                a0 = TV.MultiplyAdd(v4, f4, a0); a1 = TV.MultiplyAdd(v5, f4, a1); a2 = TV.MultiplyAdd(v6, f4, a2); a3 = TV.MultiplyAdd(v7, f4, a3); a4 = TV.MultiplyAdd(v8, f4, a4); a5 = TV.MultiplyAdd(v9, f4, a5); a6 = TV.MultiplyAdd(v10, f4, a6); a7 = TV.MultiplyAdd(v11, f4, a7);
            }
            TV.Store(a0, op); TV.Store(a1, op + L); TV.Store(a2, op + 2 * L); TV.Store(a3, op + 3 * L);
            TV.Store(a4, op + 4 * L); TV.Store(a5, op + 5 * L); TV.Store(a6, op + 6 * L); TV.Store(a7, op + 7 * L);
        }

        /// <summary>A grouped row of 3-tap rows: groups of eight, the last overlapping the one before (recomputing a few outputs, same bits), so no latency-bound tail; below eight wide one group runs, its outputs past <paramref name="wo"/> reading zeroed ring columns and landing where the next row (computed after) or the strip's spare tail goes. Its own method: ~2–3% less CPU time than inlined into <see cref="ComputeRow"/> (perf stat).</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void RowK3(float** rows, int kh, float* ft, float* o, int wo)
        {
            for (int g0 = 0; ; g0 += 8)
            {
                if (g0 + 8 > wo) g0 = Math.Max(0, wo - 8);
                Group8K3(rows, kh, ft, o + (long)g0 * TV.Count, g0);
                if (g0 + 8 >= wo) return;
            }
        }

        /// <summary>A grouped row of 5-tap rows.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void RowK5(float** rows, int kh, float* ft, float* o, int wo)
        {
            for (int g0 = 0; ; g0 += 8)
            {
                if (g0 + 8 > wo) g0 = Math.Max(0, wo - 8);
                Group8K5(rows, kh, ft, o + (long)g0 * TV.Count, g0);
                if (g0 + 8 >= wo) return;
            }
        }

        /// <summary>Eight outputs at ox, column stride 2 and dilation 1, 3 taps per row: the 17 input columns a row of them reads are each loaded once, in ascending order, and feed every output that reads them (each output still adds its taps in (ky, kx) order).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Group8S2K3(float** rows, int kh, float* ft, float* op, int ox)
        {
            int L = TV.Count;
            TV a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero, a4 = TV.Zero, a5 = TV.Zero, a6 = TV.Zero, a7 = TV.Zero;
            float* fp = ft;
            for (int ky = 0; ky < kh; ky++, fp += 3 * L)
            {
                float* q = rows[ky] + (long)ox * 2 * L;
                var f0 = TV.Load(fp + 0 * L); var f1 = TV.Load(fp + 1 * L); var f2 = TV.Load(fp + 2 * L);
                TV v;
                v = TV.Load(q + 0 * L); a0 = TV.MultiplyAdd(v, f0, a0);
                v = TV.Load(q + 1 * L); a0 = TV.MultiplyAdd(v, f1, a0);
                v = TV.Load(q + 2 * L); a0 = TV.MultiplyAdd(v, f2, a0); a1 = TV.MultiplyAdd(v, f0, a1);
                v = TV.Load(q + 3 * L); a1 = TV.MultiplyAdd(v, f1, a1);
                v = TV.Load(q + 4 * L); a1 = TV.MultiplyAdd(v, f2, a1); a2 = TV.MultiplyAdd(v, f0, a2);
                v = TV.Load(q + 5 * L); a2 = TV.MultiplyAdd(v, f1, a2);
                v = TV.Load(q + 6 * L); a2 = TV.MultiplyAdd(v, f2, a2); a3 = TV.MultiplyAdd(v, f0, a3);
                v = TV.Load(q + 7 * L); a3 = TV.MultiplyAdd(v, f1, a3);
                v = TV.Load(q + 8 * L); a3 = TV.MultiplyAdd(v, f2, a3); a4 = TV.MultiplyAdd(v, f0, a4);
                v = TV.Load(q + 9 * L); a4 = TV.MultiplyAdd(v, f1, a4);
                v = TV.Load(q + 10 * L); a4 = TV.MultiplyAdd(v, f2, a4); a5 = TV.MultiplyAdd(v, f0, a5);
                v = TV.Load(q + 11 * L); a5 = TV.MultiplyAdd(v, f1, a5);
                v = TV.Load(q + 12 * L); a5 = TV.MultiplyAdd(v, f2, a5); a6 = TV.MultiplyAdd(v, f0, a6);
                v = TV.Load(q + 13 * L); a6 = TV.MultiplyAdd(v, f1, a6);
                v = TV.Load(q + 14 * L); a6 = TV.MultiplyAdd(v, f2, a6); a7 = TV.MultiplyAdd(v, f0, a7);
                v = TV.Load(q + 15 * L); a7 = TV.MultiplyAdd(v, f1, a7);
                v = TV.Load(q + 16 * L); a7 = TV.MultiplyAdd(v, f2, a7);
            }
            TV.Store(a0, op); TV.Store(a1, op + L); TV.Store(a2, op + 2 * L); TV.Store(a3, op + 3 * L);
            TV.Store(a4, op + 4 * L); TV.Store(a5, op + 5 * L); TV.Store(a6, op + 6 * L); TV.Store(a7, op + 7 * L);
        }

        /// <summary>Eight outputs at ox, column stride 2 and dilation 1, 5 taps per row: the 19 input columns a row of them reads are each loaded once, in ascending order, and feed every output that reads them (each output still adds its taps in (ky, kx) order).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Group8S2K5(float** rows, int kh, float* ft, float* op, int ox)
        {
            int L = TV.Count;
            TV a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero, a4 = TV.Zero, a5 = TV.Zero, a6 = TV.Zero, a7 = TV.Zero;
            float* fp = ft;
            for (int ky = 0; ky < kh; ky++, fp += 5 * L)
            {
                float* q = rows[ky] + (long)ox * 2 * L;
                var f0 = TV.Load(fp + 0 * L); var f1 = TV.Load(fp + 1 * L); var f2 = TV.Load(fp + 2 * L); var f3 = TV.Load(fp + 3 * L); var f4 = TV.Load(fp + 4 * L);
                TV v;
                v = TV.Load(q + 0 * L); a0 = TV.MultiplyAdd(v, f0, a0);
                v = TV.Load(q + 1 * L); a0 = TV.MultiplyAdd(v, f1, a0);
                v = TV.Load(q + 2 * L); a0 = TV.MultiplyAdd(v, f2, a0); a1 = TV.MultiplyAdd(v, f0, a1);
                v = TV.Load(q + 3 * L); a0 = TV.MultiplyAdd(v, f3, a0); a1 = TV.MultiplyAdd(v, f1, a1);
                v = TV.Load(q + 4 * L); a0 = TV.MultiplyAdd(v, f4, a0); a1 = TV.MultiplyAdd(v, f2, a1); a2 = TV.MultiplyAdd(v, f0, a2);
                v = TV.Load(q + 5 * L); a1 = TV.MultiplyAdd(v, f3, a1); a2 = TV.MultiplyAdd(v, f1, a2);
                v = TV.Load(q + 6 * L); a1 = TV.MultiplyAdd(v, f4, a1); a2 = TV.MultiplyAdd(v, f2, a2); a3 = TV.MultiplyAdd(v, f0, a3);
                v = TV.Load(q + 7 * L); a2 = TV.MultiplyAdd(v, f3, a2); a3 = TV.MultiplyAdd(v, f1, a3);
                v = TV.Load(q + 8 * L); a2 = TV.MultiplyAdd(v, f4, a2); a3 = TV.MultiplyAdd(v, f2, a3); a4 = TV.MultiplyAdd(v, f0, a4);
                v = TV.Load(q + 9 * L); a3 = TV.MultiplyAdd(v, f3, a3); a4 = TV.MultiplyAdd(v, f1, a4);
                v = TV.Load(q + 10 * L); a3 = TV.MultiplyAdd(v, f4, a3); a4 = TV.MultiplyAdd(v, f2, a4); a5 = TV.MultiplyAdd(v, f0, a5);
                v = TV.Load(q + 11 * L); a4 = TV.MultiplyAdd(v, f3, a4); a5 = TV.MultiplyAdd(v, f1, a5);
                v = TV.Load(q + 12 * L); a4 = TV.MultiplyAdd(v, f4, a4); a5 = TV.MultiplyAdd(v, f2, a5); a6 = TV.MultiplyAdd(v, f0, a6);
                v = TV.Load(q + 13 * L); a5 = TV.MultiplyAdd(v, f3, a5); a6 = TV.MultiplyAdd(v, f1, a6);
                v = TV.Load(q + 14 * L); a5 = TV.MultiplyAdd(v, f4, a5); a6 = TV.MultiplyAdd(v, f2, a6); a7 = TV.MultiplyAdd(v, f0, a7);
                v = TV.Load(q + 15 * L); a6 = TV.MultiplyAdd(v, f3, a6); a7 = TV.MultiplyAdd(v, f1, a7);
                v = TV.Load(q + 16 * L); a6 = TV.MultiplyAdd(v, f4, a6); a7 = TV.MultiplyAdd(v, f2, a7);
                v = TV.Load(q + 17 * L); a7 = TV.MultiplyAdd(v, f3, a7);
                v = TV.Load(q + 18 * L); a7 = TV.MultiplyAdd(v, f4, a7);
            }
            TV.Store(a0, op); TV.Store(a1, op + L); TV.Store(a2, op + 2 * L); TV.Store(a3, op + 3 * L);
            TV.Store(a4, op + 4 * L); TV.Store(a5, op + 5 * L); TV.Store(a6, op + 6 * L); TV.Store(a7, op + 7 * L);
        }

        /// <summary>A row at column stride 2 (3 or 5 taps per row): groups of eight, the last overlapping the one before (same bits); below eight wide one group runs, its extra outputs reading zeroed ring columns (see <see cref="RowK3"/>).</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void RowS2(float** rows, int kh, int kw, float* ft, float* o, int wo)
        {
            for (int g0 = 0; ; g0 += 8)
            {
                if (g0 + 8 > wo) g0 = Math.Max(0, wo - 8);
                if (kw == 3) Group8S2K3(rows, kh, ft, o + (long)g0 * TV.Count, g0);
                else Group8S2K5(rows, kh, ft, o + (long)g0 * TV.Count, g0);
                if (g0 + 8 >= wo) return;
            }
        }

        /// <summary>One output row, [pixel][lane]: eight pixels at a time (independent chains), then four, then one.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void ComputeRow(float** rows, float* ft, float* o)
        {
            int L = TV.Count, kh = G.KH, kw = G.KW;
            long ps = (long)G.SW * L, dx = (long)G.DW * L;
            if (Grouped)
            {
                if (kw == 3) RowK3(rows, kh, ft, o, Wo);
                else RowK5(rows, kh, ft, o, Wo);
                return;
            }
            if (GroupedS2)
            {
                RowS2(rows, kh, kw, ft, o, Wo);
                return;
            }
            int ox = 0;
            for (; ox + 8 <= Wo; ox += 8)
            {
                TV a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero, a4 = TV.Zero, a5 = TV.Zero, a6 = TV.Zero, a7 = TV.Zero;
                float* fp = ft;
                for (int ky = 0; ky < kh; ky++)
                {
                    float* q = rows[ky] + ox * ps;
                    for (int kx = 0; kx < kw; kx++, q += dx, fp += L)
                    {
                        var fv = TV.Load(fp);
                        a0 = TV.MultiplyAdd(TV.Load(q), fv, a0);
                        a1 = TV.MultiplyAdd(TV.Load(q + ps), fv, a1);
                        a2 = TV.MultiplyAdd(TV.Load(q + 2 * ps), fv, a2);
                        a3 = TV.MultiplyAdd(TV.Load(q + 3 * ps), fv, a3);
                        a4 = TV.MultiplyAdd(TV.Load(q + 4 * ps), fv, a4);
                        a5 = TV.MultiplyAdd(TV.Load(q + 5 * ps), fv, a5);
                        a6 = TV.MultiplyAdd(TV.Load(q + 6 * ps), fv, a6);
                        a7 = TV.MultiplyAdd(TV.Load(q + 7 * ps), fv, a7);
                    }
                }
                float* op = o + (long)ox * L;
                TV.Store(a0, op); TV.Store(a1, op + L); TV.Store(a2, op + 2 * L); TV.Store(a3, op + 3 * L);
                TV.Store(a4, op + 4 * L); TV.Store(a5, op + 5 * L); TV.Store(a6, op + 6 * L); TV.Store(a7, op + 7 * L);
            }
            // The tail: groups of four, the last overlapping the one before (same bits); single outputs only below four wide.
            for (; Wo >= 4 && ox < Wo; ox += 4)
            {
                if (ox + 4 > Wo) ox = Wo - 4;
                TV a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero;
                float* fp = ft;
                for (int ky = 0; ky < kh; ky++)
                {
                    float* q = rows[ky] + ox * ps;
                    for (int kx = 0; kx < kw; kx++, q += dx, fp += L)
                    {
                        var fv = TV.Load(fp);
                        a0 = TV.MultiplyAdd(TV.Load(q), fv, a0);
                        a1 = TV.MultiplyAdd(TV.Load(q + ps), fv, a1);
                        a2 = TV.MultiplyAdd(TV.Load(q + 2 * ps), fv, a2);
                        a3 = TV.MultiplyAdd(TV.Load(q + 3 * ps), fv, a3);
                    }
                }
                float* op = o + (long)ox * L;
                TV.Store(a0, op); TV.Store(a1, op + L); TV.Store(a2, op + 2 * L); TV.Store(a3, op + 3 * L);
            }
            for (; ox < Wo; ox++)
            {
                TV a0 = TV.Zero;
                float* fp = ft;
                for (int ky = 0; ky < kh; ky++)
                {
                    float* q = rows[ky] + ox * ps;
                    for (int kx = 0; kx < kw; kx++, q += dx, fp += L) a0 = TV.MultiplyAdd(TV.Load(q), TV.Load(fp), a0);
                }
                TV.Store(a0, o + (long)ox * L);
            }
        }

    }

    /// <summary>
    /// d[p·L + l] = src[l·stride + p] for p &lt; count, l &lt; lanes ≤ L (16/8/4): 8×8 (4×4) register transposes over whole
    /// groups of channels, the last pixel group overlapping the one before, scalar for the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void TransposeIn(float* src, long stride, int count, float* d, int lanes, int L)
    {
        int g = L >= 8 ? 8 : 4;
        for (int c0 = 0; c0 < lanes; c0 += g)
        {
            float* s = src + c0 * stride;
            float* dd = d + c0;
            if (L == 16 && c0 + 16 <= lanes && count >= 8 && Avx512F.IsSupported)
            {
                // Both eight-lane halves at once: zmm row l holds channels l and l + 8, and each 256-bit half transposes as the
                // ymm form does (a third fewer shuffles, whole-pixel stores).
                for (int p = 0; ; p += 8)
                {
                    if (p + 8 > count) p = count - 8;
                    float* q = s + p;
                    float* q8 = q + 8 * stride;
                    var r0 = Vector512.Create(Vector256.Load(q), Vector256.Load(q8)); var r1 = Vector512.Create(Vector256.Load(q + stride), Vector256.Load(q8 + stride));
                    var r2 = Vector512.Create(Vector256.Load(q + 2 * stride), Vector256.Load(q8 + 2 * stride)); var r3 = Vector512.Create(Vector256.Load(q + 3 * stride), Vector256.Load(q8 + 3 * stride));
                    var r4 = Vector512.Create(Vector256.Load(q + 4 * stride), Vector256.Load(q8 + 4 * stride)); var r5 = Vector512.Create(Vector256.Load(q + 5 * stride), Vector256.Load(q8 + 5 * stride));
                    var r6 = Vector512.Create(Vector256.Load(q + 6 * stride), Vector256.Load(q8 + 6 * stride)); var r7 = Vector512.Create(Vector256.Load(q + 7 * stride), Vector256.Load(q8 + 7 * stride));
                    Transpose8Pair(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
                    float* o = dd + (long)p * 16;
                    Vector512.Store(r0, o); Vector512.Store(r1, o + 16); Vector512.Store(r2, o + 32); Vector512.Store(r3, o + 48);
                    Vector512.Store(r4, o + 64); Vector512.Store(r5, o + 80); Vector512.Store(r6, o + 96); Vector512.Store(r7, o + 112);
                    if (p + 8 >= count) break;
                }
                c0 += 8;
                continue;
            }
            if (c0 + g <= lanes && count >= g)
            {
                if (g == 8)
                {
                    for (int p = 0; ; p += 8)
                    {
                        if (p + 8 > count) p = count - 8;
                        float* q = s + p;
                        var r0 = Vector256.Load(q); var r1 = Vector256.Load(q + stride);
                        var r2 = Vector256.Load(q + 2 * stride); var r3 = Vector256.Load(q + 3 * stride);
                        var r4 = Vector256.Load(q + 4 * stride); var r5 = Vector256.Load(q + 5 * stride);
                        var r6 = Vector256.Load(q + 6 * stride); var r7 = Vector256.Load(q + 7 * stride);
                        Transpose8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
                        float* o = dd + (long)p * L;
                        Vector256.Store(r0, o); Vector256.Store(r1, o + L); Vector256.Store(r2, o + 2 * L); Vector256.Store(r3, o + 3 * L);
                        Vector256.Store(r4, o + 4 * L); Vector256.Store(r5, o + 5 * L); Vector256.Store(r6, o + 6 * L); Vector256.Store(r7, o + 7 * L);
                        if (p + 8 >= count) break;
                    }
                }
                else
                {
                    for (int p = 0; ; p += 4)
                    {
                        if (p + 4 > count) p = count - 4;
                        float* q = s + p;
                        var r0 = Vector128.Load(q); var r1 = Vector128.Load(q + stride);
                        var r2 = Vector128.Load(q + 2 * stride); var r3 = Vector128.Load(q + 3 * stride);
                        Transpose4(ref r0, ref r1, ref r2, ref r3);
                        float* o = dd + (long)p * L;
                        Vector128.Store(r0, o); Vector128.Store(r1, o + L); Vector128.Store(r2, o + 2 * L); Vector128.Store(r3, o + 3 * L);
                        if (p + 4 >= count) break;
                    }
                }
                continue;
            }
            for (int l = 0; l < Math.Min(g, lanes - c0); l++)
            {
                float* sl = s + l * stride;
                for (int p = 0; p < count; p++) dd[(long)p * L + l] = sl[p];
            }
        }
    }

    /// <summary>
    /// y[l·stride + p] = src[p·ps + l] for p &lt; count, l &lt; lanes: the inverse of <see cref="TransposeIn"/> (ps = L), or
    /// rows of a wider pixel-major block (ps &gt; L, lanes up to ps: the swapped 1×1 conv's output panel).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void TransposeOut(float* src, float* y, long stride, int count, int lanes, int L, int ps)
    {
        int g = L >= 8 ? 8 : 4;
        for (int c0 = 0; c0 < lanes; c0 += g)
        {
            float* s = src + c0;
            float* yy = y + c0 * stride;
            if (L == 16 && c0 + 16 <= lanes && count >= 8 && Avx512F.IsSupported)
            {
                // Both halves at once (see TransposeIn): zmm row j ends as channel j's pixels (low half) and channel j + 8's (high half).
                for (int p = 0; ; p += 8)
                {
                    if (p + 8 > count) p = count - 8;
                    float* q = s + (long)p * ps;
                    var r0 = Vector512.Load(q); var r1 = Vector512.Load(q + ps); var r2 = Vector512.Load(q + 2 * ps); var r3 = Vector512.Load(q + 3 * ps);
                    var r4 = Vector512.Load(q + 4 * ps); var r5 = Vector512.Load(q + 5 * ps); var r6 = Vector512.Load(q + 6 * ps); var r7 = Vector512.Load(q + 7 * ps);
                    Transpose8Pair(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
                    float* o = yy + p;
                    float* o8 = o + 8 * stride;
                    Vector256.Store(r0.GetLower(), o); Vector256.Store(r0.GetUpper(), o8);
                    Vector256.Store(r1.GetLower(), o + stride); Vector256.Store(r1.GetUpper(), o8 + stride);
                    Vector256.Store(r2.GetLower(), o + 2 * stride); Vector256.Store(r2.GetUpper(), o8 + 2 * stride);
                    Vector256.Store(r3.GetLower(), o + 3 * stride); Vector256.Store(r3.GetUpper(), o8 + 3 * stride);
                    Vector256.Store(r4.GetLower(), o + 4 * stride); Vector256.Store(r4.GetUpper(), o8 + 4 * stride);
                    Vector256.Store(r5.GetLower(), o + 5 * stride); Vector256.Store(r5.GetUpper(), o8 + 5 * stride);
                    Vector256.Store(r6.GetLower(), o + 6 * stride); Vector256.Store(r6.GetUpper(), o8 + 6 * stride);
                    Vector256.Store(r7.GetLower(), o + 7 * stride); Vector256.Store(r7.GetUpper(), o8 + 7 * stride);
                    if (p + 8 >= count) break;
                }
                c0 += 8;
                continue;
            }
            if (c0 + g <= lanes && count >= g)
            {
                if (g == 8)
                {
                    for (int p = 0; ; p += 8)
                    {
                        if (p + 8 > count) p = count - 8;
                        float* q = s + (long)p * ps;
                        var r0 = Vector256.Load(q); var r1 = Vector256.Load(q + ps); var r2 = Vector256.Load(q + 2 * ps); var r3 = Vector256.Load(q + 3 * ps);
                        var r4 = Vector256.Load(q + 4 * ps); var r5 = Vector256.Load(q + 5 * ps); var r6 = Vector256.Load(q + 6 * ps); var r7 = Vector256.Load(q + 7 * ps);
                        Transpose8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
                        float* o = yy + p;
                        Vector256.Store(r0, o); Vector256.Store(r1, o + stride); Vector256.Store(r2, o + 2 * stride); Vector256.Store(r3, o + 3 * stride);
                        Vector256.Store(r4, o + 4 * stride); Vector256.Store(r5, o + 5 * stride); Vector256.Store(r6, o + 6 * stride); Vector256.Store(r7, o + 7 * stride);
                        if (p + 8 >= count) break;
                    }
                }
                else
                {
                    for (int p = 0; ; p += 4)
                    {
                        if (p + 4 > count) p = count - 4;
                        float* q = s + (long)p * ps;
                        var r0 = Vector128.Load(q); var r1 = Vector128.Load(q + ps); var r2 = Vector128.Load(q + 2 * ps); var r3 = Vector128.Load(q + 3 * ps);
                        Transpose4(ref r0, ref r1, ref r2, ref r3);
                        float* o = yy + p;
                        Vector128.Store(r0, o); Vector128.Store(r1, o + stride); Vector128.Store(r2, o + 2 * stride); Vector128.Store(r3, o + 3 * stride);
                        if (p + 4 >= count) break;
                    }
                }
                continue;
            }
            for (int l = 0; l < Math.Min(g, lanes - c0); l++)
            {
                float* yl = yy + l * stride;
                for (int p = 0; p < count; p++) yl[p] = s[(long)p * ps + l];
            }
        }
    }

    /// <summary>In-place 8×8 transpose: afterwards r_j holds column j of the original rows (pure data movement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8(ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2, ref Vector256<float> r3,
        ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7)
    {
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        r0 = Avx.Permute2x128(s0, s4, 0x20); r1 = Avx.Permute2x128(s1, s5, 0x20);
        r2 = Avx.Permute2x128(s2, s6, 0x20); r3 = Avx.Permute2x128(s3, s7, 0x20);
        r4 = Avx.Permute2x128(s0, s4, 0x31); r5 = Avx.Permute2x128(s1, s5, 0x31);
        r6 = Avx.Permute2x128(s2, s6, 0x31); r7 = Avx.Permute2x128(s3, s7, 0x31);
    }

    /// <summary>
    /// <see cref="Transpose8"/> on each 256-bit half of eight zmm rows at once (the per-128-bit-lane unpacks and shuffles act on
    /// both halves alike; the last stage picks 128-bit lanes within each half with a two-source permute). Pure data movement.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8Pair(ref Vector512<float> r0, ref Vector512<float> r1, ref Vector512<float> r2, ref Vector512<float> r3,
        ref Vector512<float> r4, ref Vector512<float> r5, ref Vector512<float> r6, ref Vector512<float> r7)
    {
        var t0 = Avx512F.UnpackLow(r0, r1); var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3); var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5); var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7); var t7 = Avx512F.UnpackHigh(r6, r7);
        var s0 = Avx512F.Shuffle(t0, t2, 0x44); var s1 = Avx512F.Shuffle(t0, t2, 0xEE);
        var s2 = Avx512F.Shuffle(t1, t3, 0x44); var s3 = Avx512F.Shuffle(t1, t3, 0xEE);
        var s4 = Avx512F.Shuffle(t4, t6, 0x44); var s5 = Avx512F.Shuffle(t4, t6, 0xEE);
        var s6 = Avx512F.Shuffle(t5, t7, 0x44); var s7 = Avx512F.Shuffle(t5, t7, 0xEE);
        // Within each half: [a.lane0, b.lane0] and [a.lane1, b.lane1] (128-bit lanes), as Permute2x128 0x20 / 0x31.
        var lo = Vector512.Create(0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
        var hi = Vector512.Create(4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
        r0 = Avx512F.PermuteVar16x32x2(s0, lo, s4); r1 = Avx512F.PermuteVar16x32x2(s1, lo, s5);
        r2 = Avx512F.PermuteVar16x32x2(s2, lo, s6); r3 = Avx512F.PermuteVar16x32x2(s3, lo, s7);
        r4 = Avx512F.PermuteVar16x32x2(s0, hi, s4); r5 = Avx512F.PermuteVar16x32x2(s1, hi, s5);
        r6 = Avx512F.PermuteVar16x32x2(s2, hi, s6); r7 = Avx512F.PermuteVar16x32x2(s3, hi, s7);
    }

    /// <summary>In-place 4×4 transpose (SSE unpacks and moves; pure data movement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose4(ref Vector128<float> r0, ref Vector128<float> r1, ref Vector128<float> r2, ref Vector128<float> r3)
    {
        var t0 = Sse.UnpackLow(r0, r1); var t1 = Sse.UnpackHigh(r0, r1);
        var t2 = Sse.UnpackLow(r2, r3); var t3 = Sse.UnpackHigh(r2, r3);
        r0 = Sse.MoveLowToHigh(t0, t2); r1 = Sse.MoveHighToLow(t2, t0);
        r2 = Sse.MoveLowToHigh(t1, t3); r3 = Sse.MoveHighToLow(t3, t1);
    }
}

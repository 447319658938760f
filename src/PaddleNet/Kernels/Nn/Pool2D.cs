using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>pool2d</c> (NCHW, float32): X [N,C,H,W] → Out [N,C,Ho,Wo], exactly formats.md §5.4.
/// Attributes: pooling_type "max"|"avg", ksize, strides [1,1], paddings [0,0] (2 or 4 values
/// [top,bottom,left,right]), global_pooling false, ceil_mode false, exclusive true, adaptive false,
/// padding_algorithm "EXPLICIT", data_format "NCHW".
/// Window (non-adaptive): hs = oy·s − pt, he = min(hs + k, H + pt), pool_size = (he−hs)(we−ws) before
/// clipping to the input; max = y > x ? y : x from −FLT_MAX; avg divides by the clipped area
/// (exclusive) or pool_size. Adaptive avg: [floor(i·H/o), ceil((i+1)·H/o)). Adaptive MAX in paddle 3.3.1
/// CPU keeps the output size = ksize but uses the plain strided windows (hs = oy·s, he = min(hs+k, H)),
/// not adaptive bins — proven by ops/pool2d/max_adaptive_3_odd. Parallel over planes.
/// </summary>
internal sealed class Pool2DKernel : Kernel
{
    private readonly int _x, _y;
    private readonly bool _max, _global, _ceil, _exclusive, _adaptive;
    private readonly int[] _ksize, _strides, _pads;
    private readonly PadAlgorithm _alg;

    private Pool2DKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _y = b.RequiredOutput("Out");
        ConvGeometry.CheckNchw(b);
        var type = b.Attrs.GetString("pooling_type", "max");
        _max = type switch { "max" => true, "avg" => false, _ => throw b.Unsupported($"pooling_type '{type}'") };
        _ksize = ConvGeometry.ParsePair(b, "ksize", 1);
        _strides = ConvGeometry.ParsePair(b, "strides", 1);
        _pads = ConvGeometry.ParsePads(b);
        _alg = ConvGeometry.ParseAlgorithm(b);
        _global = b.Attrs.GetBool("global_pooling", false);
        _ceil = b.Attrs.GetBool("ceil_mode", false);
        _exclusive = b.Attrs.GetBool("exclusive", true);
        _adaptive = b.Attrs.GetBool("adaptive", false);
        if (b.Input("ksize") >= 0 || b.Input("KernelSize") >= 0) throw b.Unsupported("ksize given as a tensor");
        if (!_adaptive && !_global && (_strides[0] <= 0 || _strides[1] <= 0)) throw b.Unsupported("non-positive strides");
    }

    public static Kernel Create(KernelBuilder b) => new Pool2DKernel(b);

    /// <summary>Resolved pooling window parameters for one input extent.</summary>
    internal struct Params
    {
        public bool Max, Exclusive, Adaptive;
        public int KH, KW, SH, SW, PadTop, PadBottom, PadLeft, PadRight, Ho, Wo;
    }

    internal static Params Resolve(int h, int w, bool max, ReadOnlySpan<int> ksize, ReadOnlySpan<int> strides, ReadOnlySpan<int> pads,
        PadAlgorithm alg, bool global, bool ceil, bool exclusive, bool adaptive)
    {
        var p = new Params { Max = max, Exclusive = exclusive, Adaptive = adaptive, KH = ksize[0], KW = ksize[1], SH = strides[0], SW = strides[1] };
        Span<int> one = stackalloc int[] { 1, 1 };
        var g = ConvGeometry.Resolve(h, w, p.KH, p.KW, strides, one, pads, alg);
        p.PadTop = g.PadTop; p.PadBottom = g.PadBottom; p.PadLeft = g.PadLeft; p.PadRight = g.PadRight;
        if (global || adaptive) p.PadTop = p.PadBottom = p.PadLeft = p.PadRight = 0;
        if (global) { p.KH = h; p.KW = w; }
        if (adaptive)
        {
            p.Ho = p.KH; p.Wo = p.KW;
        }
        else if (global)
        {
            p.Ho = p.Wo = 1;
        }
        else
        {
            int eh = ceil ? p.SH - 1 : 0, ew = ceil ? p.SW - 1 : 0;
            p.Ho = FloorDiv(h - p.KH + p.PadTop + p.PadBottom + eh, p.SH) + 1;
            p.Wo = FloorDiv(w - p.KW + p.PadLeft + p.PadRight + ew, p.SW) + 1;
        }
        return p;
    }

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        if (xs.Length != 4) throw new ShapeMismatchException("pool2d X", "rank 4 (NCHW)", $"rank {xs.Length}");
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3];
        var p = Resolve(h, w, _max, _ksize, _strides, _pads, _alg, _global, _ceil, _exclusive, _adaptive);
        if (p.Ho <= 0 || p.Wo <= 0) throw new ShapeMismatchException("pool2d output", "positive spatial size", $"{p.Ho}x{p.Wo}");
        Span<int> shape = stackalloc int[4];
        shape[0] = n; shape[1] = c; shape[2] = p.Ho; shape[3] = p.Wo;
        var y = ctx.Allocate<float>(_y, shape);
        var x = ctx.Read<float>(_x);
        unsafe
        {
            fixed (float* px = x)
            fixed (float* py = y)
            {
                var body = new Body { S = ctx.Scratch, X = px, Y = py, H = h, W = w, P = p };
                int planes = n * c, minChunk = (int)Math.Clamp(16384L / Math.Max(1L, (long)h * w), 1, int.MaxValue);
                if (WholePlane(p, h, w))
                {
                    // Split in whole groups of GlobalGroup planes, so no thread runs a short tail group of its own.
                    int groups = (planes + GlobalGroup - 1) / GlobalGroup;
                    ctx.Pool.For(groups, new GlobalBody { X = px, Y = py, Plane = h * w, Planes = planes, Max = p.Max }, Math.Max(1, minChunk / GlobalGroup));
                }
                else
                {
                    ctx.Pool.For(planes, body, minChunk);
                }
            }
        }
    }

    private unsafe struct Body : IParallelBody
    {
        public RunScratch S;
        public float* X, Y;
        public int H, W;
        public Params P;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            int plane = H * W, oplane = P.Ho * P.Wo;
            for (int i = start; i < end; i++)
            {
                if (!FastPlane(S, X + (long)i * plane, H, W, P, Y + (long)i * oplane, 16))
                {
                    Plane(new ReadOnlySpan<float>(X + (long)i * plane, plane), H, W, P, new Span<float>(Y + (long)i * oplane, oplane));
                }
            }
        }
    }

    /// <summary>Groups [start, end) of <see cref="GlobalGroup"/> planes (the last group may be short).</summary>
    private unsafe struct GlobalBody : IParallelBody
    {
        public float* X, Y;
        public int Plane, Planes;
        public bool Max;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end) =>
            GlobalPlanes(X, Plane, start * GlobalGroup, Math.Min(end * GlobalGroup, Planes), Max, Y);
    }

    /// <summary>Planes <see cref="GlobalPlanes"/> runs interleaved.</summary>
    internal const int GlobalGroup = 8;

    /// <summary>One output per plane whose window is the whole plane (global pooling, adaptive avg to 1×1).</summary>
    internal static bool WholePlane(in Params p, int h, int w) =>
        p.Ho == 1 && p.Wo == 1 && h * w > 0
        && ((p.Adaptive && !p.Max) || (!p.Adaptive && p.PadTop == 0 && p.PadBottom == 0 && p.PadLeft == 0 && p.PadRight == 0 && p.KH >= h && p.KW >= w));

    /// <summary>
    /// Whole-plane max/avg of planes [start, end): the reference's sequential per-plane order (sum or
    /// r = r &gt; v ? r : v over the flat plane), <see cref="GlobalGroup"/> planes interleaved so eight independent chains
    /// run at once instead of one latency-bound chain. A last group of fewer planes repeats its last plane in the free
    /// chains (computed, not stored): one plane alone cost as much as a group. Bit-identical to <see cref="Point"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void GlobalPlanes(float* x, int plane, int start, int end, bool max, float* y)
    {
        float div = plane;
        float* r = stackalloc float[GlobalGroup];
        for (int i = start; i < end; i += GlobalGroup)
        {
            int k = Math.Min(GlobalGroup, end - i);
            float* p0 = x + (long)i * plane;
            float* p1 = x + (long)(i + Math.Min(1, k - 1)) * plane, p2 = x + (long)(i + Math.Min(2, k - 1)) * plane;
            float* p3 = x + (long)(i + Math.Min(3, k - 1)) * plane, p4 = x + (long)(i + Math.Min(4, k - 1)) * plane;
            float* p5 = x + (long)(i + Math.Min(5, k - 1)) * plane, p6 = x + (long)(i + Math.Min(6, k - 1)) * plane;
            float* p7 = x + (long)(i + Math.Min(7, k - 1)) * plane;
            if (max)
            {
                float r0 = -float.MaxValue, r1 = r0, r2 = r0, r3 = r0, r4 = r0, r5 = r0, r6 = r0, r7 = r0;
                for (int j = 0; j < plane; j++)
                {
                    float v0 = p0[j], v1 = p1[j], v2 = p2[j], v3 = p3[j], v4 = p4[j], v5 = p5[j], v6 = p6[j], v7 = p7[j];
                    r0 = r0 > v0 ? r0 : v0; r1 = r1 > v1 ? r1 : v1; r2 = r2 > v2 ? r2 : v2; r3 = r3 > v3 ? r3 : v3;
                    r4 = r4 > v4 ? r4 : v4; r5 = r5 > v5 ? r5 : v5; r6 = r6 > v6 ? r6 : v6; r7 = r7 > v7 ? r7 : v7;
                }
                r[0] = r0; r[1] = r1; r[2] = r2; r[3] = r3; r[4] = r4; r[5] = r5; r[6] = r6; r[7] = r7;
            }
            else
            {
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
                for (int j = 0; j < plane; j++)
                {
                    s0 += p0[j]; s1 += p1[j]; s2 += p2[j]; s3 += p3[j];
                    s4 += p4[j]; s5 += p5[j]; s6 += p6[j]; s7 += p7[j];
                }
                r[0] = s0 / div; r[1] = s1 / div; r[2] = s2 / div; r[3] = s3 / div;
                r[4] = s4 / div; r[5] = s5 / div; r[6] = s6 / div; r[7] = s7 / div;
            }
            for (int t = 0; t < k; t++) y[i + t] = r[t];
        }
    }

    /// <summary>
    /// Fast plane for non-adaptive windows, from the input split into SW column phases (unit-stride loads for any
    /// stride), with the reference's exact per-output operation order (max: r = r &gt; v ? r : v from −FLT_MAX; avg: a
    /// sum in (ky, kx) order divided as the reference divides) over each window clipped to the plane: columns whose
    /// window rows lie inside the plane run <paramref name="maxVector"/> at a time, border columns one by one
    /// (<see cref="EdgeDirect"/>). Returns false when not applicable.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe bool FastPlane(RunScratch scratch, float* x, int h, int w, in Params p, float* y, int maxVector)
    {
        if (p.Adaptive || p.KH * p.KW <= 1 || p.SH <= 0 || p.SW <= 0) return false;
        int oyLo = (p.PadTop + p.SH - 1) / p.SH, oyHi = FloorDiv(h + p.PadTop - p.KH, p.SH);
        int oxLo = (p.PadLeft + p.SW - 1) / p.SW, oxHi = FloorDiv(w + p.PadLeft - p.KW, p.SW);
        oyHi = Math.Min(oyHi, p.Ho - 1);
        oxHi = Math.Min(oxHi, p.Wo - 1);
        if (oyHi < oyLo || oxHi - oxLo + 1 < 4) return false;
        if (StrideTwoPlane(x, h, w, p, y, maxVector)) return true;
        var g = new ConvGeometry { KH = p.KH, KW = p.KW, SH = p.SH, SW = p.SW, DH = 1, DW = 1, PadTop = p.PadTop, PadLeft = p.PadLeft, PadBottom = p.PadBottom, PadRight = p.PadRight };
        int s = p.SW;
        int rowsP = (p.Ho - 1) * p.SH + p.KH;
        int colsP = (p.Wo - 1) * s + p.KW;
        int phaseLen = (colsP + s - 1) / s;
        float* buf = scratch.C((long)rowsP * s * phaseLen + DepthwiseConv2D.Slack);
        DepthwiseConv2D.BorderFast(x, h, w, g, rowsP, phaseLen, buf, maxVector);
        // Every tap's phase-buffer offset, in (ky, kx) order, once per plane (a row's clipped window is a contiguous run
        // of it; the divisions by the stride, per row, cost as much as the row's interior).
        int* tapAll = stackalloc int[p.KH * p.KW];
        for (int ky = 0, t = 0; ky < p.KH; ky++)
        {
            for (int kx = 0; kx < p.KW; kx++) tapAll[t++] = (ky * s + kx % s) * phaseLen + kx / s;
        }
        var xs = new ReadOnlySpan<float>(x, h * w);
        long rowStep = (long)p.SH * s * phaseLen;
        for (int oy = 0; oy < p.Ho; oy++)
        {
            float* yr = y + (long)oy * p.Wo;
            if (!RowWindow(xs, h, w, p, oy, yr, out int iy0, out int kyLo, out int kyHi, out int poolH)) continue;
            int* tapOff = tapAll + kyLo * p.KW;
            int taps = (kyHi - kyLo) * p.KW;
            float* rb = buf + oy * rowStep;
            for (int ox = 0; ox < oxLo; ox++) yr[ox] = EdgeDirect(x, w, p, iy0, kyLo, kyHi, poolH, ox);
            int o = oxLo;
            // The widest width the interior run fills, its last vector overlapping the one before (those outputs are
            // recomputed identically) instead of a narrower or scalar tail (one body, specialised per width).
            // Interior columns: clipped area (kyHi − kyLo)·kw when exclusive, else the window's rows before clipping · kw.
            int end = oxHi + 1;
            float area = p.Exclusive ? (kyHi - kyLo) * p.KW : poolH * p.KW;
            if (maxVector >= 16 && Vector512.IsHardwareAccelerated && end - o >= 16) o = Interior<Vec512<float>>(rb, tapOff, taps, p.Max, area, yr, o, end);
            else if (maxVector >= 8 && Vector256.IsHardwareAccelerated && end - o >= 8) o = Interior<Vec256<float>>(rb, tapOff, taps, p.Max, area, yr, o, end);
            else if (maxVector >= 4 && Vector128.IsHardwareAccelerated && end - o >= 4) o = Interior<Vec128<float>>(rb, tapOff, taps, p.Max, area, yr, o, end);
            for (; o < p.Wo; o++) yr[o] = EdgeDirect(x, w, p, iy0, kyLo, kyHi, poolH, o);
        }
        GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
        return true;
    }

    /// <summary>
    /// Output row <paramref name="oy"/>'s window rows inside the plane, [iy0 + kyLo, iy0 + kyHi): the taps of the others are
    /// skipped, as the reference clips them (padding rows are read from nowhere, so the per-output order and the divisor
    /// stay the reference's). A window with no row inside is written by <see cref="Point"/> and false returned.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe bool RowWindow(ReadOnlySpan<float> xs, int h, int w, in Params p, int oy, float* yr, out int iy0, out int kyLo, out int kyHi, out int poolH)
    {
        iy0 = oy * p.SH - p.PadTop;
        kyLo = Math.Max(0, -iy0);
        kyHi = Math.Min(p.KH, h - iy0);
        poolH = Math.Min(iy0 + p.KH, h + p.PadTop) - iy0;
        if (kyHi > kyLo) return true;
        for (int ox = 0; ox < p.Wo; ox++) yr[ox] = Point(xs, h, w, p, oy, ox);
        return false;
    }

    /// <summary>
    /// <see cref="FastPlane"/> for column stride 2 (ResNet stems' 3×3 max, the vd shortcuts' 2×2 avg) reading the input rows
    /// in place: a tap's outputs are the even or odd lanes of two adjacent loads (<see cref="IVec{TSelf, T}.Evens"/>,
    /// <see cref="IVec{TSelf, T}.Odds"/>), so the plane is not first copied into column phases (that copy took half of
    /// ResNet18_vd's 112×112 max pool). Same operations per output, in the same order, as the phase path and the reference.
    /// False when no vector fits between the borders (the phase path then runs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe bool StrideTwoPlane(float* x, int h, int w, in Params p, float* y, int maxVector)
    {
        if (p.Adaptive || p.SW != 2 || p.KW < 2 || p.KH < 1 || p.SH <= 0) return false;
        int oxLo = (p.PadLeft + 1) / 2;
        // Vector outputs [oxLo, end): windows inside the row, and every register read inside it too. Tap 0 reads two
        // registers from column 2·ox − PadLeft (their even lanes), tap kx ≥ 1 two from 2·ox − PadLeft + kx − 1 (odd
        // lanes), so the last vector's reads end at column 2·end − PadLeft + KW − 3 ≤ w − 1.
        int end = Math.Min(Math.Min(FloorDiv(w + p.PadLeft - p.KW, 2), p.Wo - 1) + 1, FloorDiv(w + 2 + p.PadLeft - p.KW, 2));
        int span = end - oxLo;
        if (maxVector >= 16 && Vector512.IsHardwareAccelerated && span >= 16) StrideTwoRows<Vec512<float>>(x, h, w, p, y, oxLo, end);
        else if (maxVector >= 8 && Vector256.IsHardwareAccelerated && span >= 8) StrideTwoRows<Vec256<float>>(x, h, w, p, y, oxLo, end);
        else if (maxVector >= 4 && Vector128.IsHardwareAccelerated && span >= 4) StrideTwoRows<Vec128<float>>(x, h, w, p, y, oxLo, end);
        else return false;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void StrideTwoRows<TV>(float* x, int h, int w, in Params p, float* y, int oxLo, int end)
        where TV : struct, IVec<TV, float>
    {
        var xs = new ReadOnlySpan<float>(x, h * w);
        for (int oy = 0; oy < p.Ho; oy++)
        {
            float* yr = y + (long)oy * p.Wo;
            if (!RowWindow(xs, h, w, p, oy, yr, out int iy0, out int kyLo, out int kyHi, out int poolH)) continue;
            for (int ox = 0; ox < oxLo; ox++) yr[ox] = EdgeDirect(x, w, p, iy0, kyLo, kyHi, poolH, ox);
            float area = p.Exclusive ? (kyHi - kyLo) * p.KW : poolH * p.KW;
            StrideTwoInterior<TV>(x + (long)iy0 * w - p.PadLeft, w, kyLo, kyHi, p.KW, p.Max, area, yr, oxLo, end);
            for (int ox = end; ox < p.Wo; ox++) yr[ox] = EdgeDirect(x, w, p, iy0, kyLo, kyHi, poolH, ox);
        }
    }

    /// <summary>
    /// Interior outputs [o, end) of one row, four registers at a time like <see cref="Interior{TV}"/>; <paramref name="rb"/> is the
    /// window's first row (ky = 0) shifted by −PadLeft, so output ox's tap (ky, kx) is rb[ky·w + 2·ox + kx].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void StrideTwoInterior<TV>(float* rb, int w, int kyLo, int kyHi, int kw, bool max, float area, float* yr, int o, int end)
        where TV : struct, IVec<TV, float>
    {
        int n = TV.Count, last = end - n;
        for (; o < end; o += 4 * n)
        {
            int o0 = Math.Min(o, last), o1 = Math.Min(o + n, last), o2 = Math.Min(o + 2 * n, last), o3 = Math.Min(o + 3 * n, last);
            TV r0 = max ? TV.Create(-float.MaxValue) : TV.Zero, r1 = r0, r2 = r0, r3 = r0;
            for (int ky = kyLo; ky < kyHi; ky++)
            {
                float* row = rb + (long)ky * w;
                float* b0 = row + 2 * o0, b1 = row + 2 * o1, b2 = row + 2 * o2, b3 = row + 2 * o3;
                // Taps 0 and 1: the even and the odd lanes of the two registers at 2·ox; tap kx ≥ 2: the odd lanes of
                // those at 2·ox + kx − 1.
                TV l0 = TV.Load(b0), h0 = TV.Load(b0 + n), l1 = TV.Load(b1), h1 = TV.Load(b1 + n);
                TV l2 = TV.Load(b2), h2 = TV.Load(b2 + n), l3 = TV.Load(b3), h3 = TV.Load(b3 + n);
                Tap(max, ref r0, ref r1, ref r2, ref r3, TV.Evens(l0, h0), TV.Evens(l1, h1), TV.Evens(l2, h2), TV.Evens(l3, h3));
                Tap(max, ref r0, ref r1, ref r2, ref r3, TV.Odds(l0, h0), TV.Odds(l1, h1), TV.Odds(l2, h2), TV.Odds(l3, h3));
                for (int at = 1; at < kw - 1; at++)
                {
                    Tap(max, ref r0, ref r1, ref r2, ref r3, TV.Odds(TV.Load(b0 + at), TV.Load(b0 + at + n)), TV.Odds(TV.Load(b1 + at), TV.Load(b1 + at + n)),
                        TV.Odds(TV.Load(b2 + at), TV.Load(b2 + at + n)), TV.Odds(TV.Load(b3 + at), TV.Load(b3 + at + n)));
                }
            }
            StoreFour(max, area, yr, o0, o1, o2, o3, r0, r1, r2, r3);
        }
    }

    /// <summary>Four outputs' registers to the row: max as they are, avg divided by <paramref name="area"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreFour<TV>(bool max, float area, float* yr, int o0, int o1, int o2, int o3, TV r0, TV r1, TV r2, TV r3)
        where TV : struct, IVec<TV, float>
    {
        if (!max)
        {
            var div = TV.Create(area);
            r0 /= div; r1 /= div; r2 /= div; r3 /= div;
        }
        TV.Store(r0, yr + o0);
        TV.Store(r1, yr + o1);
        TV.Store(r2, yr + o2);
        TV.Store(r3, yr + o3);
    }

    /// <summary>One tap into four outputs' chains: r = r &gt; v ? r : v (max) or r + v (avg).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tap<TV>(bool max, ref TV r0, ref TV r1, ref TV r2, ref TV r3, TV v0, TV v1, TV v2, TV v3)
        where TV : struct, IVec<TV, float>
    {
        if (max)
        {
            r0 = TV.GreaterOf(r0, v0); r1 = TV.GreaterOf(r1, v1); r2 = TV.GreaterOf(r2, v2); r3 = TV.GreaterOf(r3, v3);
        }
        else
        {
            r0 += v0; r1 += v1; r2 += v2; r3 += v3;
        }
    }

    /// <summary>
    /// Output <paramref name="ox"/> of a row whose window rows inside the plane are [iy0 + kyLo, iy0 + kyHi), one by one from the
    /// input: the reference's operations over the window clipped to the plane (what <see cref="Point"/> computes, without its
    /// per-call window arithmetic: ~100 ns per border output made them 2/3 of ResNet18_vd's 112×112 max pool, measured with
    /// `PaddleNet.Benchmarks --quick maxpool`). kxHi − kxLo is the reference's clipped we − ws.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe float EdgeDirect(float* x, int w, in Params p, int iy0, int kyLo, int kyHi, int poolH, int ox)
    {
        int ix0 = ox * p.SW - p.PadLeft;
        int kxLo = Math.Max(0, -ix0), kxHi = Math.Min(p.KW, w - ix0);
        int poolW = Math.Min(ix0 + p.KW, w + p.PadLeft) - ix0;
        if (p.Max)
        {
            float r = -float.MaxValue;
            for (int ky = kyLo; ky < kyHi; ky++)
            {
                float* row = x + (long)(iy0 + ky) * w + ix0;
                for (int kx = kxLo; kx < kxHi; kx++)
                {
                    float v = row[kx];
                    r = r > v ? r : v;
                }
            }
            return r;
        }
        float sum = 0f;
        for (int ky = kyLo; ky < kyHi; ky++)
        {
            float* row = x + (long)(iy0 + ky) * w + ix0;
            for (int kx = kxLo; kx < kxHi; kx++) sum += row[kx];
        }
        int div = p.Exclusive ? (kyHi - kyLo) * (kxHi - kxLo) : poolH * poolW;
        return sum / div;
    }

    /// <summary>
    /// Interior outputs [o, end) of one row (at least one register's worth), four registers at a time, the last ones
    /// ending at <paramref name="end"/> (overlapping outputs are recomputed identically); returns <paramref name="end"/>.
    /// Max: r = r &gt; v ? r : v from −FLT_MAX (<see cref="IVec{TSelf, T}.GreaterOf"/>); avg: taps summed in order,
    /// divided by <paramref name="area"/>. Each output is one chain over the taps, so one register alone waits on its
    /// previous tap; four independent chains keep the pipeline full (one chain measured ~4× slower,
    /// `PaddleNet.Benchmarks --quick maxpool`).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int Interior<TV>(float* rb, int* tapOff, int taps, bool max, float area, float* yr, int o, int end)
        where TV : struct, IVec<TV, float>
    {
        int n = TV.Count, last = end - n;
        for (; o < end; o += 4 * n)
        {
            int o0 = Math.Min(o, last), o1 = Math.Min(o + n, last), o2 = Math.Min(o + 2 * n, last), o3 = Math.Min(o + 3 * n, last);
            TV r0 = max ? TV.Create(-float.MaxValue) : TV.Zero, r1 = r0, r2 = r0, r3 = r0;
            for (int t = 0; t < taps; t++)
            {
                float* at = rb + tapOff[t];
                Tap(max, ref r0, ref r1, ref r2, ref r3, TV.Load(at + o0), TV.Load(at + o1), TV.Load(at + o2), TV.Load(at + o3));
            }
            StoreFour(max, area, yr, o0, o1, o2, o3, r0, r1, r2, r3);
        }
        return end;
    }

    /// <summary>Scalar reference for one [H,W] plane (and the path for adaptive windows).</summary>
    internal static void Plane(ReadOnlySpan<float> x, int h, int w, in Params p, Span<float> y)
    {
        for (int oy = 0; oy < p.Ho; oy++)
        {
            for (int ox = 0; ox < p.Wo; ox++) y[oy * p.Wo + ox] = Point(x, h, w, p, oy, ox);
        }
    }

    /// <summary>The reference value of output (oy, ox).</summary>
    internal static float Point(ReadOnlySpan<float> x, int h, int w, in Params p, int oy, int ox)
    {
        int hs, he, poolH;
        if (p.Adaptive && !p.Max)
        {
            hs = (int)Math.Floor((double)oy * h / p.Ho);
            he = (int)Math.Ceiling((double)(oy + 1) * h / p.Ho);
            poolH = he - hs;
        }
        else
        {
            hs = oy * p.SH - p.PadTop;
            he = Math.Min(hs + p.KH, h + p.PadTop);
            poolH = he - hs;
            hs = Math.Max(hs, 0);
            he = Math.Min(he, h);
        }
        int ws, we, poolW;
        if (p.Adaptive && !p.Max)
        {
            ws = (int)Math.Floor((double)ox * w / p.Wo);
            we = (int)Math.Ceiling((double)(ox + 1) * w / p.Wo);
            poolW = we - ws;
        }
        else
        {
            ws = ox * p.SW - p.PadLeft;
            we = Math.Min(ws + p.KW, w + p.PadLeft);
            poolW = we - ws;
            ws = Math.Max(ws, 0);
            we = Math.Min(we, w);
        }
        if (p.Max)
        {
            float r = -float.MaxValue;
            for (int iy = hs; iy < he; iy++)
            {
                for (int ix = ws; ix < we; ix++)
                {
                    float v = x[iy * w + ix];
                    r = r > v ? r : v;
                }
            }
            return r;
        }
        float sum = 0f;
        for (int iy = hs; iy < he; iy++)
        {
            for (int ix = ws; ix < we; ix++) sum += x[iy * w + ix];
        }
        int div = p.Exclusive || p.Adaptive ? (he - hs) * (we - ws) : poolH * poolW;
        return sum / div;
    }
}

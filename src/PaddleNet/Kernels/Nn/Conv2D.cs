using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>conv2d</c> and <c>depthwise_conv2d</c> (NCHW): Input [N,C,H,W], Filter [M, C/groups, kh, kw]
/// (, Bias [M] in Lite/fused files) → Output [N,M,Ho,Wo],
/// y[n,o,oy,ox] = Σ_{c,ky,kx} x[n, g·C/groups + c, oy·sh − pt + ky·dh, ox·sw − pl + kx·dw]·f[o,c,ky,kx] (+ bias[o]), g = o / (M/groups).
/// Attributes: strides [1,1], paddings [0,0] (2 values symmetric, 4 = [top,bottom,left,right]),
/// padding_algorithm "EXPLICIT" (SAME: out = ceil(in/s), odd pad after, dilation 1; VALID: pads 0),
/// dilations [1,1], groups 1, data_format "NCHW"; Lite: with_act/act_type, fuse_relu. float32 only.
/// Fast path: depthwise (C/groups = 1, groups = C) runs a direct kernel; otherwise im2col panels
/// (plain copy for 1×1/s1/p0) feed the packed SGEMM with the filter packed once at load when constant;
/// constant dense 3×3 stride-1 filters also run Winograd F(4,3) on planes where it wins (<see cref="Winograd"/>; transformed once).
/// </summary>
internal sealed unsafe partial class Conv2DKernel : Kernel
{
    private readonly int _x, _w, _bias, _y, _groups, _residual, _inScale;
    private readonly bool _residualFirst;
    private readonly int[] _strides, _dilations, _pads;
    private readonly PadAlgorithm _alg;
    private readonly FusedActivation _act;
    private readonly float _alpha, _beta;
    private readonly ScalarAffine _affine;
    private readonly float[]? _packed; // per group, PackedASize(M/groups, K) floats each
    private readonly int[]? _packedShape;
    private readonly float[]? _packedT; // 1×1 ungrouped filters: W as the B operand [K, M] (NR-column panels over out channels)
    private readonly bool _winoEligible; // dense 3×3 stride-1 constant filter
    private float[]? _wino; // its Winograd F(4,3) transform (36 packed A operands), made by the first call that uses it
    private readonly bool _directEligible; // dense constant filter with more than one tap
    private float[]? _direct; // its DirectConv panels, made by the first call that uses them

    private Conv2DKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("Input");
        _w = b.RequiredInput("Filter");
        _bias = b.Input("Bias");
        _y = b.RequiredOutput("Output");
        if (b.Input("ResidualData") >= 0) throw b.Unsupported("ResidualData");
        _residual = b.Input(NnEpilogue.ResidualInput);
        _residualFirst = b.Attrs.GetBool(NnEpilogue.ResidualFirstAttr, false);
        _inScale = b.Input(NnEpilogue.InputScaleInput);
        ConvGeometry.CheckNchw(b);
        _strides = ConvGeometry.ParsePair(b, "strides", 1);
        _dilations = ConvGeometry.ParsePair(b, "dilations", 1);
        _pads = ConvGeometry.ParsePads(b);
        _alg = ConvGeometry.ParseAlgorithm(b);
        _groups = Math.Max(1, b.Attrs.GetInt("groups", 1));
        if (_strides[0] <= 0 || _strides[1] <= 0 || _dilations[0] <= 0 || _dilations[1] <= 0) throw b.Unsupported("non-positive strides/dilations");
        _act = NnEpilogue.ParseConvActivation(b, out _alpha, out _beta);
        _affine = NnEpilogue.ParseAffine(b);
        // Depthwise filters (C/groups = 1, groups > 1) run the direct kernel and need no packing.
        if (b.Constant(_w) is { } f && f.DataType == DataType.Float32 && f.Shape.Length == 4 && f.Shape[0] % _groups == 0 && !(f.Shape[1] == 1 && _groups > 1))
        {
            _packedShape = f.Shape.ToArray();
            _packed = PackFilter(f.AsSpan<float>(), _packedShape, _groups);
            if (_groups == 1 && f.Shape[2] == 1 && f.Shape[3] == 1)
            {
                int mm = f.Shape[0], kk = f.Shape[1];
                _packedT = GC.AllocateUninitializedArray<float>(Math.Max(1, Sgemm.PackedBSize(kk, mm)), pinned: true);
                fixed (float* src = f.AsSpan<float>())
                fixed (float* dst = _packedT)
                {
                    Sgemm.PackB(src, 1, kk, kk, mm, dst);
                }
            }
            _directEligible = DirectConv.Eligible(f.Shape[2], f.Shape[3], _groups);
            _winoEligible = Winograd.Eligible(f.Shape[2], f.Shape[3], _strides, _dilations, _groups, f.Shape[1], f.Shape[0]);
        }
    }

    public static Kernel Create(KernelBuilder b) => new Conv2DKernel(b);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] PackFilter(ReadOnlySpan<float> f, int[] shape, int groups)
    {
        int mg = shape[0] / groups, k = shape[1] * shape[2] * shape[3];
        int per = Sgemm.PackedASize(mg, k);
        var packed = GC.AllocateUninitializedArray<float>(Math.Max(1, per * groups), pinned: true);
        fixed (float* src = f)
        fixed (float* dst = packed)
        {
            for (int g = 0; g < groups; g++) Sgemm.PackA(src + (long)g * mg * k, k, 1, mg, k, dst + (long)g * per);
        }
        return packed;
    }

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        var ws = ctx.Shape(_w);
        if (xs.Length != 4) throw new ShapeMismatchException("conv2d Input", "rank 4 (NCHW)", $"rank {xs.Length}");
        if (ws.Length != 4) throw new ShapeMismatchException("conv2d Filter", "rank 4", $"rank {ws.Length}");
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3];
        int m = ws[0], cg = ws[1], kh = ws[2], kw = ws[3];
        if (cg * _groups != c) throw new ShapeMismatchException("conv2d Input channels", $"{cg * _groups} (Filter C/groups × groups)", $"{c}");
        if (m % _groups != 0) throw new ShapeMismatchException("conv2d Filter out channels", $"a multiple of groups {_groups}", $"{m}");
        var geo = ConvGeometry.Resolve(h, w, kh, kw, _strides, _dilations, _pads, _alg);
        int ho = geo.OutH(h), wo = geo.OutW(w);
        if (ho <= 0 || wo <= 0) throw new ShapeMismatchException("conv2d output", "positive spatial size", $"{ho}x{wo}");
        Span<int> shape = stackalloc int[4];
        shape[0] = n; shape[1] = m; shape[2] = ho; shape[3] = wo;
        var y = ctx.Allocate<float>(_y, shape);
        var x = ctx.Read<float>(_x);
        var f = ctx.Read<float>(_w);
        ReadOnlySpan<float> bias = default;
        if (_bias >= 0)
        {
            bias = ctx.Read<float>(_bias);
            if (bias.Length != m) throw new ShapeMismatchException("conv2d Bias", $"{m} elements", $"{bias.Length}");
        }
        ReadOnlySpan<float> residual = default;
        if (_residual >= 0)
        {
            if (!ctx.Shape(_residual).SequenceEqual(shape)) throw new ShapeMismatchException("conv2d fused residual", $"[{string.Join(", ", shape.ToArray())}] (the conv output's shape)", $"[{string.Join(", ", ctx.Shape(_residual).ToArray())}]");
            residual = ctx.Read<float>(_residual);
        }
        // A fused squeeze-excitation scale (see GraphPasses.FuseConvInputScale): [1 or N, C, 1, 1], 1×1 convs only.
        ReadOnlySpan<float> inScale = default;
        long inScaleStride = 0;
        if (_inScale >= 0)
        {
            var ss = ctx.Shape(_inScale);
            if (ss.Length != 4 || (ss[0] != n && ss[0] != 1) || ss[1] != c || ss[2] != 1 || ss[3] != 1 || kh != 1 || kw != 1 || _groups != 1)
                throw new ShapeMismatchException("conv2d fused input scale", $"[{n}, {c}, 1, 1] on a 1×1 ungrouped conv", $"[{string.Join(", ", ss.ToArray())}]");
            inScale = ctx.Read<float>(_inScale);
            inScaleStride = ss[0] == 1 ? 0 : c;
        }
        fixed (float* px = x)
        fixed (float* pf = f)
        fixed (float* py = y)
        fixed (float* pbias = bias)
        fixed (float* pres = residual)
        fixed (float* pscale = inScale)
        {
            var ep = new ConvEpilogue
            {
                Bias = _bias >= 0 ? pbias : null, Act = _act, Alpha = _alpha, Beta = _beta,
                Residual = _residual >= 0 ? pres : null, YBase = py, ResidualFirst = _residualFirst,
                Affine = _affine,
            };
            // Winograd's own test, asked once: the direct kernel defers to it on mid-sized stride-1 planes.
            bool wino = _winoEligible && PackedFor(ws) is not null && Winograd.Applies(geo, ho, wo, c, m);
            if (cg == 1 && _groups == c && _groups > 1)
            {
                DepthwiseConv2D.Run(ctx.Pool, ctx.Scratch, px, pf, py, n, c, h, w, m, geo, ho, wo, ep);
            }
            else if (_packedT is not null && PackedFor(ws) is not null && IsPointwise(geo) && SwapWins(ho * wo, m, n))
            {
                fixed (float* pt = _packedT) RunSwapped(ctx.Pool, ctx.Scratch, px, pt, py, n, c, m, ho * wo, ep, _inScale >= 0 ? pscale : null, inScaleStride);
            }
            else if (_inScale >= 0)
            {
                RunGemm(ctx.Pool, ctx.Scratch, px, pf, py, n, c, h, w, m, cg, geo, ho, wo, _groups, PackedFor(ws), ep, pscale, inScaleStride);
            }
            else if (_packedT is not null && PackedFor(ws) is not null && ho * wo <= Sgemm.MR && IsPointwise(geo))
            {
                fixed (float* pt = _packedT) RunSmallSpatial(ctx.Pool, ctx.Scratch, px, pt, py, n, c, m, ho * wo, ep);
            }
            else if (_directEligible && PackedFor(ws) is not null && DirectConv.Applies(geo, ho, wo, c, m, wino))
            {
                fixed (float* pd = DirectFilter(f, m, c * kh * kw)) DirectConv.Run(ctx.Pool, ctx.Scratch, px, pd, py, n, c, h, w, m, geo, ho, wo, ep);
            }
            else if (wino)
            {
                fixed (float* pu = WinogradFilter(f, m, c)) Winograd.Run(ctx.Pool, ctx.Scratch, px, pu, py, n, c, h, w, m, geo, ho, wo, ep);
            }
            else if (SmallInputConv.Applies(geo, c, _groups, wo))
            {
                SmallInputConv.Run(ctx.Pool, ctx.Scratch, px, pf, py, n, c, h, w, m, geo, ho, wo, ep);
            }
            else
            {
                RunGemm(ctx.Pool, ctx.Scratch, px, pf, py, n, c, h, w, m, cg, geo, ho, wo, _groups, PackedFor(ws), ep);
            }
        }
    }

    /// <summary>2·Cg·kh·kw per output element.</summary>
    public override double Flops(RunContext ctx)
    {
        var ws = ctx.Shape(_w);
        return ws.Length == 4 ? 2.0 * ctx.ElementCount(_y) * ws[1] * ws[2] * ws[3] : 0;
    }

    /// <summary>
    /// The constant filter's Winograd transform, made once by the first call whose plane uses it (deep layers that
    /// never do keep no 4× copy); concurrent first calls may both compute it, one result is published, both equal.
    /// </summary>
    private float[] WinogradFilter(ReadOnlySpan<float> f, int m, int c)
    {
        var u = Volatile.Read(ref _wino);
        if (u is not null) return u;
        u = Winograd.TransformFilter(f, m, c);
        return Interlocked.CompareExchange(ref _wino, u, null) ?? u;
    }

    /// <summary>The constant filter's <see cref="DirectConv"/> panels, made once by the first call that uses them (as <see cref="WinogradFilter"/>).</summary>
    private float[] DirectFilter(ReadOnlySpan<float> f, int m, int k)
    {
        var d = Volatile.Read(ref _direct);
        if (d is not null) return d;
        d = DirectConv.PackFilter(f, m, k);
        return Interlocked.CompareExchange(ref _direct, d, null) ?? d;
    }

    private float[]? PackedFor(ReadOnlySpan<int> ws) =>
        _packed is not null && _packedShape is not null && ws.SequenceEqual(_packedShape) ? _packed : null;

    private static bool IsPointwise(in ConvGeometry g) =>
        g.KH == 1 && g.KW == 1 && g.SH == 1 && g.SW == 1 && g.PadTop == 0 && g.PadLeft == 0 && g.PadBottom == 0 && g.PadRight == 0;

    /// <summary>
    /// 1×1 conv on a tiny plane (SE blocks, heads after global pooling: Ho·Wo ≤ MR) with roles swapped:
    /// out^T[HW, M] = X^T[HW, K] · W^T[K, M], so out channels fill the NR-wide panels instead of
    /// 1–6 pixels. Each output is the same FMA chain over k as the regular path (a·b = b·a), so the
    /// numbers are identical. Parallel over out-channel panels; planes of 2–6 pixels run <see cref="RunSwapped"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunSmallSpatial(IntraOpPool pool, RunScratch scratch, float* x, float* packedT, float* y, int n, int c, int m, int hw, in ConvEpilogue ep)
    {
        // All images' pixels are the rows of one GEMM, so the (often MBs) filter streams once per batch.
        int k = c, rows = n * hw;
        if (rows == 1)
        {
            // One pixel: x is the row, y the output row (the single-row kernel, same bits as a row of the GEMM; epilogue per chunk).
            GemmDriver.RunRow(pool, m, k, x, packedT, y, ep);
            return;
        }
        if (hw > 1)
        {
            // Several pixels per image: the swapped GEMM with its per-panel transpose back into the planes.
            RunSwapped(pool, scratch, x, packedT, y, n, c, m, hw, ep);
            return;
        }
        // One pixel per image: the GEMM's rows are the images and its output rows are already y's.
        float* pa = scratch.A(Sgemm.PackedASize(rows, k));
        Sgemm.PackAPlanes(x, 1, c, rows, k, pa, 0, Sgemm.RowBlocks(rows));
        var body = new SmallBody { A = pa, B = packedT, C = y, Rows = rows, M = m, K = k };
        pool.For(Sgemm.Panels(m), body, (int)Math.Clamp(32768L / Math.Max(1L, (long)k * Sgemm.NR * Sgemm.RowBlocks(rows)), 1, int.MaxValue));
        if (ep.Active)
        {
            for (int i = 0; i < n; i++) ep.ApplyColumns(y + (long)i * m, m, 0);
        }
        GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
    }

    /// <summary>Planes of at most this many pixels may run <see cref="RunSwapped"/> (7×7 and 8×8; larger planes waste little of their panels).</summary>
    internal const int SwapMaxHw = 64;

    /// <summary>Most pixels (images × plane) <see cref="RunSwapped"/> takes: its per-thread output block, 256 × NR floats, is 32 KB.</summary>
    internal const int SwapMaxRows = 256;

    /// <summary>
    /// Whether a 1×1 conv on an <paramref name="hw"/>-pixel plane with <paramref name="m"/> output channels runs with roles
    /// swapped (<see cref="RunSwapped"/>): the GEMM's padded work, out channels in MR-row blocks × pixels in NR-column panels
    /// (an edge of at most 16 columns at half cost, <see cref="Sgemm.MicroPairNarrow512"/>), exceeds pixels in row blocks ×
    /// out channels in panels by 15% or more. 7×7 with 160–960 channels: 49 pixels fill 64 columns, 54 rows swapped (−16%).
    /// Only for up to <see cref="SwapMaxRows"/> pixels in all: larger batches run <see cref="RunGemm"/>'s GEMM over all
    /// images' columns, which pads little, and a thread's [pixels, NR] block would outgrow L1. Both paths give the same
    /// bits, so the batch may decide.
    /// </summary>
    internal static bool SwapWins(int hw, int m, int n)
    {
        if (hw <= Sgemm.MR || hw > SwapMaxHw || (long)n * hw > SwapMaxRows) return false;
        static long Columns(int x) => (long)Sgemm.Panels(x) * Sgemm.NR - (x % Sgemm.NR is > 0 and <= 16 ? 16 : 0);
        static long Rows(int x) => (long)Sgemm.RowBlocks(x) * Sgemm.MR;
        return Rows(m) * Columns(hw) * 20 >= Rows(hw) * Columns(m) * 23;
    }

    /// <summary>
    /// 1×1 conv on a small plane whose pixels fill the GEMM's NR-wide column panels badly (7×7: 49 pixels in two 32-column
    /// panels), with roles swapped as in <see cref="RunSmallSpatial"/>: out^T[N·HW, M] = X^T · W^T, the images' pixels as
    /// MR-row blocks and the out channels as panels. A thread takes whole out-channel panels: each lands in its own
    /// [pixels, NR] block (in L1), is transposed into the NCHW output rows and gets the epilogue there. A fused
    /// squeeze-excitation scale is applied while packing X^T. Each output is the same FMA chain over k as in
    /// <see cref="RunGemm"/> (a·b = b·a, the same k blocks), so the numbers are identical.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunSwapped(IntraOpPool pool, RunScratch scratch, float* x, float* packedT, float* y, int n, int c, int m, int hw, in ConvEpilogue ep,
        float* inScale = null, long inScaleStride = 0, int maxBits = 512)
    {
        int k = c, rows = n * hw, blocks = Sgemm.RowBlocks(rows);
        float* pa = scratch.Shared(Sgemm.PackedASize(rows, k));
        pool.For(blocks, new PackPlanesBody { X = x, Hw = hw, ImageStride = (long)c * hw, Rows = rows, K = k, A = pa, Scale = inScale, ScaleStride = inScaleStride },
            (int)Math.Clamp(16384L / Math.Max(1L, (long)k * Sgemm.MR), 1, int.MaxValue));
        // Few out-channel panels that do not share out evenly (160 channels: 5 panels, 3 + 2 on two threads): each panel's
        // pixels in two parts of whole row-block pairs too.
        int panels = Sgemm.Panels(m);
        int parts = pool.Threads > 1 && panels % pool.Threads != 0 && panels < 4 * pool.Threads && blocks >= 4 ? 2 : 1;
        var body = new SwappedBody
        {
            S = scratch, A = pa, B = packedT, Y = y, N = n, Hw = hw, M = m, K = k, Ep = ep, Parts = parts, Split = blocks / 2 & ~1,
            Lanes = DepthwiseBlocked.Lanes(Simd.Width(maxBits) / 32),
        };
        pool.For(panels * parts, body, (int)Math.Clamp(32768L * parts / Math.Max(1L, (long)k * Sgemm.NR * blocks), 1, int.MaxValue));
        GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
    }

    private struct PackPlanesBody : IParallelBody
    {
        public float* X, A, Scale;
        public long ImageStride, ScaleStride;
        public int Hw, Rows, K;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end) => Sgemm.PackAPlanes(X, Hw, ImageStride, Rows, K, A, start, end, Scale, ScaleStride);
    }

    private struct SwappedBody : IParallelBody
    {
        public RunScratch S;
        public float* A, B, Y;
        public int N, Hw, M, K, Lanes, Parts, Split; // item = panel · Parts + part; part 1 starts at row block Split
        public ConvEpilogue Ep;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            int rows = N * Hw, blocks = Sgemm.RowBlocks(rows);
            float* strip = S.C((long)blocks * Sgemm.MR * Sgemm.NR);
            for (int item = start; item < end; item++)
            {
                int p = item / Parts, part = item % Parts;
                int ib0 = Parts == 1 || part == 0 ? 0 : Split, ib1 = Parts == 1 || part == 1 ? blocks : Split;
                // Compute writes column j of the panel at c + j: shift the block back so panel p's first column lands on its first float.
                Sgemm.Compute(rows, M, K, A, B, strip - (long)p * Sgemm.NR, Sgemm.NR, ib0, ib1, p, p + 1, false);
                int o0 = p * Sgemm.NR, cols = Math.Min(Sgemm.NR, M - o0);
                int r0 = ib0 * Sgemm.MR, r1 = Math.Min(rows, ib1 * Sgemm.MR);
                for (int i = r0 / Hw; i < N && i * Hw < r1; i++)
                {
                    // This image's pixels [q0, q1) among the rows computed.
                    int q0 = Math.Max(r0 - i * Hw, 0), q1 = Math.Min(r1 - i * Hw, Hw), count = q1 - q0;
                    float* yi = Y + ((long)i * M + o0) * Hw + q0;
                    float* si = strip + ((long)i * Hw + q0) * Sgemm.NR;
                    if (Lanes > 0)
                    {
                        DepthwiseBlocked.TransposeOut(si, yi, Hw, count, cols, Lanes, Sgemm.NR);
                    }
                    else
                    {
                        for (int o = 0; o < cols; o++)
                        {
                            for (int q = 0; q < count; q++) yi[(long)o * Hw + q] = si[(long)q * Sgemm.NR + o];
                        }
                    }
                    if (Ep.Active)
                    {
                        for (int o = 0; o < cols; o++) Ep.Apply(yi + (long)o * Hw, count, o0 + o);
                    }
                }
            }
        }
    }

    private struct SmallBody : IParallelBody
    {
        public float* A, B, C;
        public int Rows, M, K;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end) => Sgemm.Compute(Rows, M, K, A, B, C, M, 0, Sgemm.RowBlocks(Rows), start, end, false);
    }

    /// <summary>Grouped conv as GEMM per (image, group): out[Mg, Ho·Wo] = F_g[Mg, K] · im2col[K, Ho·Wo].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunGemm(IntraOpPool pool, RunScratch scratch, float* x, float* f, float* y, int n, int c, int h, int w, int m, int cg,
        ConvGeometry geo, int ho, int wo, int groups, float[]? packed, in ConvEpilogue epilogue = default, float* inScale = null, long inScaleStride = 0)
    {
        // The input scale is applied where 1×1 im2col copies channel rows (Im2ColPanel/Im2ColCols).
        if (inScale != null && !(IsPointwise(geo) && groups == 1)) throw new InvalidOperationException("an input scale needs a 1×1 stride-1 unpadded ungrouped conv");
        int mg = m / groups, k = cg * geo.KH * geo.KW, hw = ho * wo;
        int per = Sgemm.PackedASize(mg, k);
        fixed (float* pre = packed)
        {
            float* pa = pre;
            if (pa == null)
            {
                pa = scratch.A((long)per * groups);
                for (int g = 0; g < groups; g++) Sgemm.PackA(f + (long)g * mg * k, k, 1, mg, k, pa + (long)g * per);
            }
            int panels = Sgemm.Panels(hw);
            long panelWork = (long)Math.Max(mg, 1) * Math.Max(k, 1) * Sgemm.NR;
            int minChunk = (int)Math.Clamp(65536 / panelWork, 1, int.MaxValue);
            // B budget of 1 MiB per chunk: few-panel layers (deep, 7×7/14×14) run all panels per Compute call, so the
            // packed filter (MBs) streams from memory once per call rather than once per panel.
            int chunk = (int)Math.Clamp(262144 / ((long)Math.Max(k, 1) * Sgemm.NR), 1, 64);
            // A filter of MBs with few panels: all panels in one call, so the filter streams from memory once
            // (per k block its rows stay in L2 across the panels); the im2col block is then a few MB.
            if ((long)mg * k >= 262144 && panels <= 16) chunk = Math.Max(chunk, panels);
            // Few output panels (deep layers: 7×7, 14×14) and many filter rows: threads split the
            // filter rows instead, each im2col-ing all panels, so the (MBs) packed filter streams once.
            int rowBlocks = Sgemm.RowBlocks(mg);
            if (n > 1 && hw % Sgemm.NR != 0 && hw <= BatchedMaxHw)
            {
                // Small planes in a batch: the images' columns form one GEMM [Mg, N·Ho·Wo] (panels may straddle
                // images), one parallel call per group instead of one per image, and no per-image partial panels.
                int vPanels = Sgemm.Panels(n * hw);
                int vChunk = (int)Math.Clamp(262144 / ((long)Math.Max(k, 1) * Sgemm.NR), 1, 64);
                if ((long)mg * k >= 262144 && vPanels <= 16) vChunk = Math.Max(vChunk, vPanels);
                bool vOverRows = pool.Threads > 1 && vPanels < pool.Threads * IntraOpPool.ChunksPerThread && rowBlocks >= pool.Threads * 4;
                for (int g = 0; g < groups; g++)
                {
                    var bb = new BatchBody
                    {
                        S = scratch, Scale = inScale, ScaleStride = inScaleStride,
                        X = x + (long)g * cg * h * w, A = pa + (long)g * per, Y = y + (long)g * mg * hw,
                        XStride = (long)c * h * w, YStride = (long)m * hw, Geo = geo,
                        H = h, W = w, Wo = wo, Hw = hw, N = n, Cg = cg, K = k, Mg = mg, Chunk = vChunk,
                        Ep = epilogue, Channel0 = g * mg, Panels = vPanels, OverRows = vOverRows,
                    };
                    if (vOverRows) pool.For(Sgemm.RowPairs<BatchBody>.Count(rowBlocks), new Sgemm.RowPairs<BatchBody> { Body = bb, Blocks = rowBlocks });
                    else pool.For(vPanels, bb, minChunk);
                }
                GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
                return;
            }
            // Also over rows when the panels share out unevenly (14×14: 7 panels, 4:3 on 2 threads) and many rows do not (runs shared,
            // below; with few rows the shared im2col's hand-over between cores costs what the balance gains: measured).
            bool overRows = pool.Threads > 1 && rowBlocks >= pool.Threads * 4 && (panels < pool.Threads * IntraOpPool.ChunksPerThread
                || panels <= SharedMaxPanels && rowBlocks >= pool.Threads * 12 && IntraOpPool.SplitLoss(panels, pool.Threads) > IntraOpPool.SplitLoss(rowBlocks, pool.Threads) + 0.05);
            // Deep layers on several threads (few panels, a filter of MBs, enough filter rows): im2col every panel
            // once into one shared buffer (threads split the panels), then threads split the filter rows over all
            // panels, so each part of the packed filter streams once and no thread repeats another's im2col.
            bool shared = pool.Threads > 1 && k > 0 && panels <= SharedMaxPanels && rowBlocks >= pool.Threads * 4
                && (overRows || (long)mg * k >= 262144);
            if (shared)
            {
                float* sb = scratch.Shared((long)panels * Sgemm.NR * k);
                for (int i = 0; i < n; i++)
                {
                    for (int g = 0; g < groups; g++)
                    {
                        var sbody = new SharedBBody
                        {
                            X = x + ((long)i * c + (long)g * cg) * h * w,
                            A = pa + (long)g * per,
                            Y = y + ((long)i * m + (long)g * mg) * hw,
                            B = sb, Geo = geo, Scale = inScale == null ? null : inScale + i * inScaleStride,
                            H = h, W = w, Wo = wo, Hw = hw, Cg = cg, K = k, Mg = mg, Panels = panels,
                            Ep = epilogue, Channel0 = g * mg,
                        };
                        pool.For(panels, new SharedIm2ColBody { Body = sbody }, 1);
                        pool.For(Sgemm.RowPairs<SharedBBody>.Count(rowBlocks), new Sgemm.RowPairs<SharedBBody> { Body = sbody, Blocks = rowBlocks });
                    }
                }
                GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
                return;
            }
            for (int i = 0; i < n; i++)
            {
                for (int g = 0; g < groups; g++)
                {
                    var body = new GemmBody
                    {
                        S = scratch, Scale = inScale == null ? null : inScale + i * inScaleStride,
                        X = x + ((long)i * c + (long)g * cg) * h * w,
                        A = pa + (long)g * per,
                        Y = y + ((long)i * m + (long)g * mg) * hw,
                        Geo = geo,
                        H = h, W = w, Wo = wo, Hw = hw, Cg = cg, K = k, Mg = mg, Chunk = chunk,
                        Ep = epilogue, Channel0 = g * mg,
                    };
                    if (overRows)
                    {
                        pool.For(Sgemm.RowPairs<GemmRowsBody>.Count(rowBlocks), new Sgemm.RowPairs<GemmRowsBody> { Body = new GemmRowsBody { Body = body, Panels = panels }, Blocks = rowBlocks });
                    }
                    else
                    {
                        pool.For(panels, body, minChunk);
                    }
                }
            }
        }
        GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
    }

    private struct GemmBody : IParallelBody
    {
        public RunScratch S;
        public float* Scale; // per input channel of this image, or null
        public float* X, A, Y;
        public ConvGeometry Geo;
        public int H, W, Wo, Hw, Cg, K, Mg, Chunk, Channel0;
        public ConvEpilogue Ep;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            float* pb = S.B((long)Chunk * Sgemm.NR * Math.Max(K, 1));
            // 1×1 stride-1 unpadded, unscaled: full panels read the input rows in place (B row k = channel k, Hw apart);
            // only a partial last panel is packed (read in place it would run past the tensor). Only for rows a whole
            // number of cache lines long (14×14, 7×7 rows straddle lines: slower than packing) and planes up to 112×112
            // (`--quick pwparts`, RunGemm at 1 thread: 16→16 @112 60 → 43 µs, 32→64 @112 383–398 → 247, 64→64 @112
            // 755–761 → 502–525, 32→64 @96 299–311 → 199–218; but 24→96 @160 835 → 930–1039 and 8→16 @320 367–374 →
            // 428–431, rows 100–400 KB apart, so larger planes stay packed).
            int direct = IsPointwise(Geo) && Scale == null && K > 0 && Hw % 16 == 0 && Hw <= InPlaceMaxHw ? Hw / Sgemm.NR : 0;
            for (int p = start; p < end; p += Chunk)
            {
                int cnt = Math.Min(Chunk, end - p);
                int d1 = Math.Clamp(direct, p, p + cnt); // panels [p, d1) in place, [d1, p + cnt) packed
                if (d1 > p) Sgemm.Compute(Mg, Hw, K, A, X, Y, Hw, 0, Sgemm.RowBlocks(Mg), p, d1, false, ldb: Hw);
                if (d1 < p + cnt)
                {
                    Im2ColPanels(X, Geo, Cg, H, W, Wo, Hw, d1, p + cnt, pb, Scale);
                    Sgemm.Compute(Mg, Hw, K, A, pb, Y, Hw, 0, Sgemm.RowBlocks(Mg), d1, p + cnt, false, bPanelsRelative: true);
                }
                if (Ep.Active)
                {
                    int c0 = p * Sgemm.NR, len = Math.Min((p + cnt) * Sgemm.NR, Hw) - c0;
                    for (int o = 0; o < Mg; o++) Ep.Apply(Y + (long)o * Hw + c0, len, Channel0 + o);
                }
            }
        }
    }

    /// <summary>Largest plane (pixels) whose 1×1 conv reads B in place from the input rows (112×112; see <see cref="GemmBody"/>).</summary>
    internal const int InPlaceMaxHw = 112 * 112;

    /// <summary>Output planes up to this size run a batch as one GEMM over all images' columns.</summary>
    internal const int BatchedMaxHw = 256;

    /// <summary>
    /// A batch as one GEMM: virtual column v = image·Hw + pixel. Panels are im2col'd image segment by image
    /// segment, multiplied into a scratch tile [Mg, chunk·NR], then copied to each image's output (and the
    /// epilogue applied there). Each output is the same chain over k as the per-image path.
    /// Over panels (row blocks all) or, with few panels, over row blocks (panels all).
    /// </summary>
    private struct BatchBody : IParallelBody
    {
        public RunScratch S;
        public float* Scale; // per input channel of image 0, or null
        public long ScaleStride;
        public float* X, A, Y;
        public long XStride, YStride;
        public ConvGeometry Geo;
        public int H, W, Wo, Hw, N, Cg, K, Mg, Chunk, Channel0, Panels;
        public bool OverRows;
        public ConvEpilogue Ep;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            int p0 = OverRows ? 0 : start, p1 = OverRows ? Panels : end;
            int ib0 = OverRows ? start : 0, ib1 = OverRows ? end : Sgemm.RowBlocks(Mg);
            int r0 = ib0 * Sgemm.MR, r1 = Math.Min(ib1 * Sgemm.MR, Mg);
            float* pb = S.B((long)Chunk * Sgemm.NR * Math.Max(K, 1));
            long ldt = (long)Chunk * Sgemm.NR;
            float* tile = S.C((long)Sgemm.RowBlocks(Mg) * Sgemm.MR * ldt);
            int total = N * Hw;
            for (int p = p0; p < p1; p += Chunk)
            {
                int cnt = Math.Min(Chunk, p1 - p);
                for (int j = 0; j < cnt; j++)
                {
                    float* d = pb + (long)j * Sgemm.NR * K;
                    int v0 = (p + j) * Sgemm.NR, v1 = Math.Min(v0 + Sgemm.NR, total);
                    if (v1 - v0 < Sgemm.NR)
                    {
                        for (int kk = 0; kk < K; kk++) new Span<float>(d + (long)kk * Sgemm.NR + (v1 - v0), Sgemm.NR - (v1 - v0)).Clear();
                    }
                    for (int v = v0; v < v1;)
                    {
                        int img = v / Hw, px = v % Hw, len = Math.Min(Hw - px, v1 - v);
                        Im2ColCols(X + img * XStride, Geo, Cg, H, W, Wo, px, len, d, v - v0, Scale == null ? null : Scale + img * ScaleStride);
                        v += len;
                    }
                }
                Sgemm.Compute(Mg, cnt * Sgemm.NR, K, A, pb, tile, ldt, ib0, ib1, 0, cnt, false, bPanelsRelative: true);
                int c0 = p * Sgemm.NR, c1 = Math.Min((p + cnt) * Sgemm.NR, total);
                for (int v = c0; v < c1;)
                {
                    int img = v / Hw, px = v % Hw, len = Math.Min(Hw - px, c1 - v);
                    float* yi = Y + img * YStride + px;
                    float* ti = tile + (v - c0);
                    for (int o = r0; o < r1; o++)
                    {
                        new ReadOnlySpan<float>(ti + o * ldt, len).CopyTo(new Span<float>(yi + (long)o * Hw, len));
                        if (Ep.Active) Ep.Apply(yi + (long)o * Hw, len, Channel0 + o);
                    }
                    v += len;
                }
            }
        }
    }

    /// <summary>Most output panels for the shared-im2col path (its buffer holds them all).</summary>
    internal const int SharedMaxPanels = 16;

    /// <summary>Filter row blocks [start, end) over every panel of an im2col already in <see cref="B"/> (see <see cref="RunGemm"/>).</summary>
    private struct SharedBBody : IParallelBody
    {
        public float* X, A, Y, B;
        public float* Scale; // per input channel of this image, or null
        public ConvGeometry Geo;
        public int H, W, Wo, Hw, Cg, K, Mg, Panels, Channel0;
        public ConvEpilogue Ep;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            Sgemm.Compute(Mg, Hw, K, A, B, Y, Hw, start, end, 0, Panels, false);
            if (Ep.Active)
            {
                int r0 = start * Sgemm.MR, r1 = Math.Min(end * Sgemm.MR, Mg);
                for (int o = r0; o < r1; o++) Ep.Apply(Y + (long)o * Hw, Hw, Channel0 + o);
            }
        }
    }

    /// <summary>Panels [start, end) of the im2col into the shared buffer.</summary>
    private struct SharedIm2ColBody : IParallelBody
    {
        public SharedBBody Body;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            ref readonly var b = ref Body;
            Im2ColPanels(b.X, b.Geo, b.Cg, b.H, b.W, b.Wo, b.Hw, start, end, b.B + (long)start * Sgemm.NR * b.K, b.Scale);
        }
    }

    /// <summary>One range of filter row blocks over every output panel (see <see cref="RunGemm"/>).</summary>
    private struct GemmRowsBody : IParallelBody
    {
        public GemmBody Body;
        public int Panels;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            ref readonly var b = ref Body;
            float* pb = b.S.B((long)b.Chunk * Sgemm.NR * Math.Max(b.K, 1));
            int r0 = start * Sgemm.MR, r1 = Math.Min(end * Sgemm.MR, b.Mg);
            for (int p = 0; p < Panels; p += b.Chunk)
            {
                int cnt = Math.Min(b.Chunk, Panels - p);
                Im2ColPanels(b.X, b.Geo, b.Cg, b.H, b.W, b.Wo, b.Hw, p, p + cnt, pb, b.Scale);
                Sgemm.Compute(b.Mg, b.Hw, b.K, b.A, pb, b.Y, b.Hw, start, end, p, p + cnt, false, bPanelsRelative: true);
                if (b.Ep.Active)
                {
                    int c0 = p * Sgemm.NR, len = Math.Min((p + cnt) * Sgemm.NR, b.Hw) - c0;
                    for (int o = r0; o < r1; o++) b.Ep.Apply(b.Y + (long)o * b.Hw + c0, len, b.Channel0 + o);
                }
            }
        }
    }

    /// <summary>Scalar reference: the defining 7-loop sum in (c, ky, kx) order; no bias/activation.</summary>
    public static void Reference(ReadOnlySpan<float> x, int n, int c, int h, int w, ReadOnlySpan<float> f, int m, int kh, int kw,
        int groups, ConvGeometry g, Span<float> y)
    {
        int cg = c / groups, mg = m / groups;
        int ho = g.OutH(h), wo = g.OutW(w);
        for (int i = 0; i < n; i++)
        {
            for (int o = 0; o < m; o++)
            {
                int grp = o / mg;
                for (int oy = 0; oy < ho; oy++)
                {
                    for (int ox = 0; ox < wo; ox++)
                    {
                        float s = 0f;
                        for (int ci = 0; ci < cg; ci++)
                        {
                            for (int ky = 0; ky < kh; ky++)
                            {
                                int iy = oy * g.SH - g.PadTop + ky * g.DH;
                                if ((uint)iy >= (uint)h) continue;
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int ix = ox * g.SW - g.PadLeft + kx * g.DW;
                                    if ((uint)ix >= (uint)w) continue;
                                    s += x[((i * c + grp * cg + ci) * h + iy) * w + ix] * f[((o * cg + ci) * kh + ky) * kw + kx];
                                }
                            }
                        }
                        y[((i * m + o) * ho + oy) * wo + ox] = s;
                    }
                }
            }
        }
    }
}

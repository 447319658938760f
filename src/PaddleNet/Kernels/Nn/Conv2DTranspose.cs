using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>conv2d_transpose</c> and <c>depthwise_conv2d_transpose</c> (float32): Input [N,C,H,W],
/// Filter [C, M/groups, kh, kw] (, Bias [M]) → Output [N,M,Ho,Wo], the gradient of conv2d:
/// y[n,o,oy,ox] = Σ x[n,ci,iy,ix]·f[ci, o mod (M/groups), ky, kx] over iy·sh − pt + ky·dh = oy (ix likewise), ci in o's group.
/// Output size: (in−1)·s − pt − pb + d·(k−1) + 1 + output_padding, or output_size when given.
/// Attributes: strides, paddings (2/4 values), output_padding [], output_size [], padding_algorithm
/// (SAME pads from the input extent, dilation 1; VALID 0), groups 1, dilations [1,1], data_format NCHW
/// (or NHWC: Input [N,H,W,C] → Output [N,Ho,Wo,M], run as NCHW between two transposes in per-thread scratch);
/// load-time fused activation / Lite act_type as conv2d.
/// <para>
/// Fast path, per (image, group): cols[Mg·kh·kw, H·W] = Fᵀ[Mg·kh·kw, Cg] · X[Cg, H·W] on the packed SGEMM
/// (filter transposed and packed once at load), then col2im. The col2im adds into a phase-split copy of
/// each output plane (one sub-plane per (oy mod sh, ox mod sw)), where every (ky, kx) is a plain shift, so
/// the scatter is contiguous vector adds whatever the stride; the planes are interleaved back while the
/// bias/activation epilogue runs. Few input channels per group (depthwise) skip the GEMM and scatter
/// x·f directly. GEMM tiles and output planes split over the intra-op pool; every output is the same
/// sum in the same order for any thread count.
/// </para>
/// </summary>
internal sealed unsafe class Conv2DTransposeKernel : Kernel
{
    private readonly int _x, _w, _bias, _y, _groups;
    private readonly bool _nhwc;
    private readonly int[] _strides, _dilations, _pads, _outPad, _outSize;
    private readonly PadAlgorithm _alg;
    private readonly FusedActivation _act;
    private readonly float _alpha, _beta;
    private readonly ScalarAffine _affine;
    private readonly float[]? _packed; // per group, PackedASize(Mg·kh·kw, Cg) floats each
    private readonly int[]? _packedShape;

    /// <summary>Input channels per group below this scatter x·f directly instead of the GEMM + col2im.</summary>
    internal const int DirectMaxCg = 8;

    /// <summary>Largest cols block (floats) per GEMM + col2im step; taller inputs are processed in bands of input rows.</summary>
    internal const long ColsBudget = 1 << 20;

    private Conv2DTransposeKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("Input");
        _w = b.RequiredInput("Filter");
        _bias = b.Input("Bias");
        _y = b.RequiredOutput("Output");
        var format = b.Attrs.GetString("data_format", "NCHW");
        _nhwc = format == "NHWC";
        if (!_nhwc && format is not ("NCHW" or "AnyLayout" or "")) throw b.Unsupported($"data_format '{format}' (NCHW or NHWC)");
        if (b.Input("output_size") >= 0 || b.Input("OutputSize") >= 0) throw b.Unsupported("output_size given as a tensor");
        _strides = ConvGeometry.ParsePair(b, "strides", 1);
        _dilations = ConvGeometry.ParsePair(b, "dilations", 1);
        _pads = ConvGeometry.ParsePads(b);
        _alg = ConvGeometry.ParseAlgorithm(b);
        _groups = Math.Max(1, b.Attrs.GetInt("groups", 1));
        _outPad = b.Attrs.GetInts("output_padding");
        _outSize = b.Attrs.GetInts("output_size");
        if (_outPad.Length is not (0 or 2) || _outSize.Length is not (0 or 2)) throw b.Unsupported("output_padding/output_size must have 0 or 2 values");
        if (_strides[0] <= 0 || _strides[1] <= 0 || _dilations[0] <= 0 || _dilations[1] <= 0) throw b.Unsupported("non-positive strides/dilations");
        _act = NnEpilogue.ParseConvActivation(b, out _alpha, out _beta);
        _affine = NnEpilogue.ParseAffine(b);
        if (b.Constant(_w) is { } f && f.DataType == DataType.Float32 && f.Shape.Length == 4 && f.Shape[0] % _groups == 0 && f.Shape[0] / _groups >= DirectMaxCg)
        {
            _packedShape = f.Shape.ToArray();
            _packed = PackFilter(f.AsSpan<float>(), _packedShape, _groups);
        }
    }

    public static Kernel Create(KernelBuilder b) => new Conv2DTransposeKernel(b);

    /// <summary>Per group g: A_g[(og, ky, kx), ci] = f[g·Cg + ci, og, ky, kx], packed for the SGEMM.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] PackFilter(ReadOnlySpan<float> f, int[] shape, int groups)
    {
        int cg = shape[0] / groups, rows = shape[1] * shape[2] * shape[3];
        int per = Sgemm.PackedASize(rows, cg);
        var packed = GC.AllocateUninitializedArray<float>(Math.Max(1, per * groups), pinned: true);
        fixed (float* src = f)
        fixed (float* dst = packed)
        {
            for (int g = 0; g < groups; g++) Sgemm.PackA(src + (long)g * cg * rows, 1, rows, rows, cg, dst + (long)g * per);
        }
        return packed;
    }

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        var ws = ctx.Shape(_w);
        if (xs.Length != 4 || ws.Length != 4) throw new ShapeMismatchException("conv2d_transpose Input/Filter", "rank 4", $"ranks {xs.Length}, {ws.Length}");
        int n = xs[0], c = _nhwc ? xs[3] : xs[1], h = _nhwc ? xs[1] : xs[2], w = _nhwc ? xs[2] : xs[3];
        if (ws[0] != c) throw new ShapeMismatchException("conv2d_transpose Filter dim 0", $"{c} (input channels)", $"{ws[0]}");
        if (c % _groups != 0) throw new ShapeMismatchException("conv2d_transpose Input channels", $"a multiple of groups {_groups}", $"{c}");
        int mg = ws[1], m = mg * _groups, kh = ws[2], kw = ws[3];
        var g = ConvGeometry.Resolve(h, w, kh, kw, _strides, _dilations, _pads, _alg);
        if (!OutputSize(h, w, g, _outSize, _outPad, out int ho, out int wo, out var error)) throw new ShapeMismatchException("conv2d_transpose output_size", error.Expected, error.Actual);
        Span<int> shape = stackalloc int[4];
        shape[0] = n;
        if (_nhwc) { shape[1] = ho; shape[2] = wo; shape[3] = m; }
        else { shape[1] = m; shape[2] = ho; shape[3] = wo; }
        var y = ctx.Allocate<float>(_y, shape);
        ReadOnlySpan<float> bias = default;
        if (_bias >= 0)
        {
            bias = ctx.Read<float>(_bias);
            if (bias.Length != m) throw new ShapeMismatchException("conv2d_transpose Bias", $"{m} elements", $"{bias.Length}");
        }
        if (y.Length == 0) return;
        float[]? packed = _packed is not null && _packedShape is not null && ws.SequenceEqual(_packedShape) ? _packed : null;
        fixed (float* px = ctx.Read<float>(_x))
        fixed (float* pf = ctx.Read<float>(_w))
        fixed (float* pb = bias)
        fixed (float* py = y)
        fixed (float* pp = packed)
        {
            var ep = new ConvEpilogue { Bias = _bias >= 0 ? pb : null, Act = _act, Alpha = _alpha, Beta = _beta, Affine = _affine };
            if (!_nhwc)
            {
                Run(ctx.Pool, ctx.Scratch, px, pf, pp, py, n, c, h, w, m, _groups, g, ho, wo, ep);
                return;
            }
            // Channels last: the NCHW kernel between two transposes (memory-bound, small next to the GEMM).
            // The copies come from the run context's typed scratch (a frame on the calling thread), pinned here.
            long inPlane = (long)h * w, outPlane = (long)ho * wo;
            long inCount = n * inPlane * c, outCount = n * outPlane * m;
            if (inCount > int.MaxValue / 4 || outCount > int.MaxValue / 4)
                throw new ShapeMismatchException("conv2d_transpose NHWC scratch", "at most 2 GiB", $"{Math.Max(inCount, outCount)} floats");
            using var frame = ctx.Scratch.Open();
            var inSpan = frame.Take<float>((int)inCount);
            var outSpan = frame.Take<float>((int)outCount);
            fixed (float* xin = inSpan)
            fixed (float* yout = outSpan)
            {
                for (int i = 0; i < n; i++) Transpose(px + i * inPlane * c, xin + i * inPlane * c, (int)inPlane, c);
                Run(ctx.Pool, ctx.Scratch, xin, pf, pp, yout, n, c, h, w, m, _groups, g, ho, wo, ep);
                for (int i = 0; i < n; i++) Transpose(yout + i * outPlane * m, py + i * outPlane * m, m, (int)outPlane);
            }
        }
    }

    /// <summary>dst[j, i] = src[i, j] for a rows × cols matrix, in 8 × 8 tiles.</summary>
    internal static void Transpose(float* src, float* dst, int rows, int cols)
    {
        const int T = 8;
        for (int i0 = 0; i0 < rows; i0 += T)
        {
            int i1 = Math.Min(i0 + T, rows);
            for (int j0 = 0; j0 < cols; j0 += T)
            {
                int j1 = Math.Min(j0 + T, cols);
                for (int i = i0; i < i1; i++)
                {
                    for (int j = j0; j < j1; j++) dst[(long)j * rows + i] = src[(long)i * cols + j];
                }
            }
        }
    }

    /// <summary>2·(M/groups)·kh·kw per input element (each input pixel meets every tap of its group's filters).</summary>
    public override double Flops(RunContext ctx)
    {
        var ws = ctx.Shape(_w);
        return ws.Length == 4 ? 2.0 * ctx.ElementCount(_x) * ws[1] * ws[2] * ws[3] : 0;
    }

    /// <summary>Output extent: the natural size plus output_padding, or output_size (which must lie in [natural, natural + stride)).</summary>
    internal static bool OutputSize(int h, int w, in ConvGeometry g, int[] outSize, int[] outPad, out int ho, out int wo, out (string Expected, string Actual) error)
    {
        ho = (h - 1) * g.SH - g.PadTop - g.PadBottom + g.DH * (g.KH - 1) + 1;
        wo = (w - 1) * g.SW - g.PadLeft - g.PadRight + g.DW * (g.KW - 1) + 1;
        error = default;
        if (outSize.Length == 2)
        {
            if (outSize[0] < ho || outSize[0] >= ho + g.SH || outSize[1] < wo || outSize[1] >= wo + g.SW)
            {
                error = ($"in [{ho}, {ho + g.SH}) x [{wo}, {wo + g.SW})", $"{outSize[0]}x{outSize[1]}");
                return false;
            }
            ho = outSize[0]; wo = outSize[1];
        }
        else if (outPad.Length == 2)
        {
            ho += outPad[0]; wo += outPad[1];
        }
        if (ho <= 0 || wo <= 0)
        {
            error = ("positive spatial size", $"{ho}x{wo}");
            return false;
        }
        return true;
    }

    /// <summary>The whole op: <paramref name="packed"/> is the load-time packed filter or null (packed here when the GEMM path runs).</summary>
    internal static void Run(IntraOpPool pool, RunScratch scratch, float* x, float* f, float* packed, float* y, int n, int c, int h, int w, int m, int groups,
        in ConvGeometry g, int ho, int wo, in ConvEpilogue ep, long colsBudget = ColsBudget)
    {
        int cg = c / groups, mg = m / groups;
        var ph = new Phases(g, ho, wo);
        long plane = (long)ho * wo;
        if (cg < DirectMaxCg)
        {
            var body = new DirectBody { S = scratch, X = x, F = f, Y = y, C = c, H = h, W = w, M = m, Groups = groups, Geo = g, Ph = ph, Ep = ep };
            long work = (long)cg * g.KH * g.KW * h * w;
            pool.For(n * m, body, (int)Math.Clamp(16384 / Math.Max(1L, work), 1, int.MaxValue));
            GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
            return;
        }
        int rows = mg * g.KH * g.KW, hw = h * w;
        int per = Sgemm.PackedASize(rows, cg);
        float* pa = packed;
        if (pa == null)
        {
            pa = scratch.A((long)per * groups);
            for (int gi = 0; gi < groups; gi++) Sgemm.PackA(f + (long)gi * cg * rows, 1, rows, rows, cg, pa + (long)gi * per);
        }
        // Bands of input rows bound the cols block (Mg·kh·kw × band·W).
        int band = (int)Math.Clamp(colsBudget / Math.Max(1L, (long)rows * w), 1, h);
        int maxCols = band * w;
        float* pb = scratch.B(Sgemm.PackedBSize(cg, maxCols));
        float* cols = scratch.Shared((long)rows * maxCols);
        bool direct = ph.Single; // stride 1: the phase plane is the output plane
        float* acc = direct ? null : scratch.C(plane * mg);
        int rowBlocks = Sgemm.RowBlocks(rows);
        // GEMM tiles: up to 64 row blocks (A slices stay in L2 across the tile's panels) × up to 8 panels.
        int rChunk = Math.Min(rowBlocks, 64);
        for (int i = 0; i < n; i++)
        {
            for (int gi = 0; gi < groups; gi++)
            {
                float* xg = x + ((long)i * c + (long)gi * cg) * hw;
                float* yg = y + ((long)i * m + (long)gi * mg) * plane;
                float* target = direct ? yg : acc;
                for (int iy0 = 0; iy0 < h; iy0 += band)
                {
                    int bh = Math.Min(band, h - iy0), nb = bh * w;
                    int panels = Sgemm.Panels(nb);
                    pool.For(panels, new PackBody { X = xg + (long)iy0 * w, Rs = hw, K = cg, N = nb, Pb = pb }, Math.Max(1, 4096 / Math.Max(1, cg)));
                    int pChunk = Math.Min(panels, 8);
                    int rTasks = (rowBlocks + rChunk - 1) / rChunk, pTasks = (panels + pChunk - 1) / pChunk;
                    var gemm = new GemmBody { Rows = rows, N = nb, K = cg, A = pa + (long)gi * per, B = pb, Cols = cols, RowBlocks = rowBlocks, RChunk = rChunk, Panels = panels, PChunk = pChunk, PTasks = pTasks };
                    pool.For(rTasks * pTasks, gemm, 1);
                    var scatter = new Col2ImBody { Cols = cols, Target = target, Plane = plane, Ph = ph, Geo = g, W = w, Iy0 = iy0, Bh = bh, Clear = iy0 == 0 };
                    pool.For(mg, scatter, (int)Math.Clamp(8192 / Math.Max(1L, (long)g.KH * g.KW * nb), 1, int.MaxValue));
                }
                if (!direct || ep.Active)
                {
                    var fin = new FinishBody { Acc = acc, Y = yg, Plane = plane, Ph = ph, Ep = ep, Channel0 = gi * mg };
                    pool.For(mg, fin, (int)Math.Clamp(16384 / Math.Max(1L, plane), 1, int.MaxValue));
                }
            }
        }
        GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
    }

    /// <summary>
    /// Phase-split layout of one output plane: sub-plane (py, px) holds the outputs with oy ≡ py (mod sh), ox ≡ px (mod sw),
    /// as rows of ceil((wo − px)/sw) at (oy/sh, ox/sw). A tap (ky, kx) maps input (iy, ix) to (iy + shift) in one sub-plane.
    /// </summary>
    internal readonly struct Phases
    {
        public readonly int SH, SW, Ho, Wo;
        public readonly bool Single;

        public Phases(in ConvGeometry g, int ho, int wo)
        {
            SH = g.SH; SW = g.SW; Ho = ho; Wo = wo;
            Single = g.SH == 1 && g.SW == 1;
        }

        public int Rows(int py) => py >= Ho ? 0 : (Ho - py + SH - 1) / SH;

        public int Cols(int px) => px >= Wo ? 0 : (Wo - px + SW - 1) / SW;

        /// <summary>Offset of sub-plane (py, px) in a phase-split plane.</summary>
        public long Offset(int py, int px)
        {
            long off = 0;
            for (int q = 0; q < py; q++) off += (long)Rows(q) * Wo;
            int r = Rows(py);
            for (int q = 0; q < px; q++) off += (long)r * Cols(q);
            return off;
        }

        /// <summary>Tap (ky, kx): the sub-plane and the shift from input (iy, ix) to its (row, col).</summary>
        public void Tap(in ConvGeometry g, int ky, int kx, out long offset, out int rows, out int cols, out int dy, out int dx)
        {
            int a = ky * g.DH - g.PadTop, b = kx * g.DW - g.PadLeft;
            int py = Mod(a, SH), px = Mod(b, SW);
            dy = (a - py) / SH;
            dx = (b - px) / SW;
            offset = Offset(py, px);
            rows = Rows(py);
            cols = Cols(px);
        }

        private static int Mod(int a, int s) => ((a % s) + s) % s;
    }

    private struct PackBody : IParallelBody
    {
        public float* X, Pb;
        public long Rs;
        public int K, N;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            for (int jb = start; jb < end; jb++) Sgemm.PackBPanel(X, Rs, 1, K, N, jb, Pb + (long)jb * Sgemm.NR * K);
        }
    }

    private struct GemmBody : IParallelBody
    {
        public float* A, B, Cols;
        public int Rows, N, K, RowBlocks, RChunk, Panels, PChunk, PTasks;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            for (int t = start; t < end; t++)
            {
                int ib0 = t / PTasks * RChunk, jb0 = t % PTasks * PChunk;
                Sgemm.Compute(Rows, N, K, A, B, Cols, N, ib0, Math.Min(ib0 + RChunk, RowBlocks), jb0, Math.Min(jb0 + PChunk, Panels), false);
            }
        }
    }

    /// <summary>Output channels [start, end): adds their cols rows (og, ky, kx) of one band into the phase-split planes.</summary>
    private struct Col2ImBody : IParallelBody
    {
        public float* Cols, Target;
        public long Plane;
        public Phases Ph;
        public ConvGeometry Geo;
        public int W, Iy0, Bh;
        public bool Clear;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            int kk = Geo.KH * Geo.KW;
            long nb = (long)Bh * W;
            for (int o = start; o < end; o++)
            {
                float* t = Target + o * Plane;
                if (Clear) new Span<float>(t, (int)Plane).Clear();
                for (int ky = 0; ky < Geo.KH; ky++)
                {
                    for (int kx = 0; kx < Geo.KW; kx++)
                    {
                        float* src = Cols + ((long)o * kk + ky * Geo.KW + kx) * nb;
                        Ph.Tap(Geo, ky, kx, out long off, out int rows, out int cols, out int dy, out int dx);
                        ScatterTap(t + off, rows, cols, dy, dx, src, Iy0, Bh, W, 1f, false);
                    }
                }
            }
        }
    }

    /// <summary>
    /// dst[(iy + dy)·cols + ix + dx] += (scaled ? scale·src : src)[(iy − iy0)·w + ix] for input rows [iy0, iy0 + bh) and
    /// every ix with the destination inside the rows × cols sub-plane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScatterTap(float* dst, int rows, int cols, int dy, int dx, float* src, int iy0, int bh, int w, float scale, bool scaled)
    {
        int ix0 = Math.Max(0, -dx), ix1 = Math.Min(w, cols - dx);
        if (ix1 <= ix0) return;
        int iyLo = Math.Max(iy0, -dy), iyHi = Math.Min(iy0 + bh, rows - dy);
        for (int iy = iyLo; iy < iyHi; iy++)
        {
            float* d = dst + (long)(iy + dy) * cols + dx + ix0;
            float* s = src + (long)(iy - iy0) * w + ix0;
            if (scaled) AxpyRow(d, s, ix1 - ix0, scale);
            else AddRow(d, s, ix1 - ix0);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddRow(float* d, float* s, int len)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated) i = Row<Vec512<float>>(d, s, i, len, 1f, false);
        if (Vector256.IsHardwareAccelerated) i = Row<Vec256<float>>(d, s, i, len, 1f, false);
        if (Vector128.IsHardwareAccelerated) i = Row<Vec128<float>>(d, s, i, len, 1f, false);
        for (; i < len; i++) d[i] += s[i];
    }

    /// <summary>d += a·s, one multiply and one add per element (no FMA), so every vector width gives the same numbers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AxpyRow(float* d, float* s, int len, float a)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated) i = Row<Vec512<float>>(d, s, i, len, a, true);
        if (Vector256.IsHardwareAccelerated) i = Row<Vec256<float>>(d, s, i, len, a, true);
        if (Vector128.IsHardwareAccelerated) i = Row<Vec128<float>>(d, s, i, len, a, true);
        for (; i < len; i++) d[i] += a * s[i];
    }

    /// <summary>d[i] += s[i] (or a·s[i]) from <paramref name="i"/> while whole registers fit; returns where it stopped. One body for every width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Row<TV>(float* d, float* s, int i, int len, float a, bool scaled)
        where TV : struct, IVec<TV, float>
    {
        var va = TV.Create(a);
        if (scaled)
        {
            for (; i <= len - TV.Count; i += TV.Count) TV.Store(TV.Load(d + i) + va * TV.Load(s + i), d + i);
        }
        else
        {
            for (; i <= len - TV.Count; i += TV.Count) TV.Store(TV.Load(d + i) + TV.Load(s + i), d + i);
        }
        return i;
    }

    /// <summary>Output channels [start, end): phase-split accumulator → output plane (or in place when stride 1), then the epilogue.</summary>
    private struct FinishBody : IParallelBody
    {
        public float* Acc, Y;
        public long Plane;
        public Phases Ph;
        public ConvEpilogue Ep;
        public int Channel0;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            for (int o = start; o < end; o++)
            {
                float* yp = Y + o * Plane;
                if (!Ph.Single) Interleave(Acc + o * Plane, yp, Ph);
                if (Ep.Active) Ep.Apply(yp, (int)Plane, Channel0 + o);
            }
        }
    }

    /// <summary>Writes a phase-split plane back in row-major order.</summary>
    internal static void Interleave(float* acc, float* y, in Phases ph)
    {
        // Sub-plane offsets accumulate here: Offset(py, px) costs O(px), so calling it per sub-plane was quadratic in
        // the stride (a hostile stride of 65536 took 49 s for a 9x8 output of one channel).
        long rowBase = 0;
        for (int py = 0; py < ph.SH; rowBase += (long)ph.Rows(py) * ph.Wo, py++)
        {
            int rows = ph.Rows(py);
            long off = rowBase;
            for (int px = 0; px < ph.SW; off += (long)rows * ph.Cols(px), px++)
            {
                int cols = ph.Cols(px);
                float* s = acc + off;
                for (int r = 0; r < rows; r++)
                {
                    float* d = y + (long)(r * ph.SH + py) * ph.Wo + px;
                    float* sr = s + (long)r * cols;
                    if (ph.SW == 1)
                    {
                        new ReadOnlySpan<float>(sr, cols).CopyTo(new Span<float>(d, cols));
                    }
                    else
                    {
                        for (int q = 0; q < cols; q++) d[q * ph.SW] = sr[q];
                    }
                }
            }
        }
    }

    /// <summary>Few input channels per group: each output plane scatters x·f over its group's channels and taps, in a per-thread phase-split plane.</summary>
    private struct DirectBody : IParallelBody
    {
        public RunScratch S;
        public float* X, F, Y;
        public int C, H, W, M, Groups;
        public ConvGeometry Geo;
        public Phases Ph;
        public ConvEpilogue Ep;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            int cg = C / Groups, mg = M / Groups, kk = Geo.KH * Geo.KW;
            long plane = (long)Ph.Ho * Ph.Wo, hw = (long)H * W;
            float* acc = Ph.Single ? null : S.C(plane);
            for (int p = start; p < end; p++)
            {
                int img = p / M, o = p % M, grp = o / mg, og = o % mg;
                float* yp = Y + (long)p * plane;
                float* t = Ph.Single ? yp : acc;
                new Span<float>(t, (int)plane).Clear();
                for (int ci = grp * cg; ci < (grp + 1) * cg; ci++)
                {
                    float* xp = X + ((long)img * C + ci) * hw;
                    float* fp = F + ((long)ci * mg + og) * kk;
                    for (int ky = 0; ky < Geo.KH; ky++)
                    {
                        for (int kx = 0; kx < Geo.KW; kx++)
                        {
                            Ph.Tap(Geo, ky, kx, out long off, out int rows, out int cols, out int dy, out int dx);
                            ScatterTap(t + off, rows, cols, dy, dx, xp, 0, H, W, fp[ky * Geo.KW + kx], true);
                        }
                    }
                }
                if (!Ph.Single) Interleave(acc, yp, Ph);
                if (Ep.Active) Ep.Apply(yp, (int)plane, o);
            }
        }
    }

    /// <summary>Scalar reference for the whole op in gather form, (ci, ky, kx) order, no bias/activation.</summary>
    internal static void Reference(ReadOnlySpan<float> x, int n, int c, int h, int w, ReadOnlySpan<float> f, int m, int groups, in ConvGeometry g, int ho, int wo, Span<float> y)
    {
        int cg = c / groups, mg = m / groups;
        for (int i = 0; i < n; i++)
        {
            for (int o = 0; o < m; o++)
            {
                int grp = o / mg, og = o % mg;
                for (int oy = 0; oy < ho; oy++)
                {
                    for (int ox = 0; ox < wo; ox++)
                    {
                        float s = 0f;
                        for (int ci = grp * cg; ci < (grp + 1) * cg; ci++)
                        {
                            for (int ky = 0; ky < g.KH; ky++)
                            {
                                int ty = oy + g.PadTop - ky * g.DH;
                                if (ty < 0 || ty % g.SH != 0 || ty / g.SH >= h) continue;
                                for (int kx = 0; kx < g.KW; kx++)
                                {
                                    int tx = ox + g.PadLeft - kx * g.DW;
                                    if (tx < 0 || tx % g.SW != 0 || tx / g.SW >= w) continue;
                                    s += x[((i * c + ci) * h + ty / g.SH) * w + tx / g.SW] * f[((ci * mg + og) * g.KH + ky) * g.KW + kx];
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

using BenchmarkDotNet.Attributes;
using PaddleNet.Kernels.Nn;
using PaddleNet.Runtime;

namespace PaddleNet.Benchmarks;

/// <summary>Deterministic inputs for the kernel benchmarks.</summary>
internal static class Data
{
    public static float[] Random(int seed, int n)
    {
        var r = new Random(seed);
        var a = GC.AllocateUninitializedArray<float>(n, pinned: true);
        for (int i = 0; i < n; i++) a[i] = (float)(r.NextDouble() * 2 - 1);
        return a;
    }
}

/// <summary>Packed SGEMM C[N,N] = A·B, square sizes including one that is not a multiple of the 6×32 tile.</summary>
[MemoryDiagnoser]
public unsafe class SgemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];
    private IntraOpPool _pool = null!;
    private RunScratch _scratch = null!;

    [Params(64, 255, 512)]
    public int N { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _a = Data.Random(1, N * N);
        _b = Data.Random(2, N * N);
        _c = GC.AllocateUninitializedArray<float>(N * N, pinned: true);
        _pool = new IntraOpPool(Threads);
        _scratch = new RunScratch(_pool.Threads);
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark]
    public void Multiply()
    {
        fixed (float* pa = _a) fixed (float* pb = _b) fixed (float* pc = _c)
        {
            GemmDriver.Multiply(_pool, _scratch, N, N, N, pa, N, 1, null, pb, N, 1, pc, N);
        }
    }
}

/// <summary>3×3 stride-1 pad-1 conv (ResNet stage shapes) through im2col panels + packed SGEMM, filter pre-packed.</summary>
[MemoryDiagnoser]
public unsafe class Conv2DBenchmarks
{
    private float[] _x = [], _f = [], _y = [];
    private float[]? _packed;
    private IntraOpPool _pool = null!;
    private RunScratch _scratch = null!;
    private ConvGeometry _geo;

    [Params(64, 256)]
    public int Channels { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    private int Size => Channels == 64 ? 56 : 14;

    [GlobalSetup]
    public void Setup()
    {
        int c = Channels, h = Size;
        _x = Data.Random(3, c * h * h);
        _f = Data.Random(4, c * c * 9);
        _y = GC.AllocateUninitializedArray<float>(c * h * h, pinned: true);
        _geo = ConvGeometry.Resolve(h, h, 3, 3, [1, 1], [1, 1], [1, 1, 1, 1], PadAlgorithm.Explicit);
        int k = c * 9;
        _packed = GC.AllocateUninitializedArray<float>(Sgemm.PackedASize(c, k), pinned: true);
        fixed (float* pf = _f) fixed (float* pp = _packed) Sgemm.PackA(pf, k, 1, c, k, pp);
        _pool = new IntraOpPool(Threads);
        _scratch = new RunScratch(_pool.Threads);
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark]
    public void Conv3x3()
    {
        int c = Channels, h = Size;
        fixed (float* px = _x) fixed (float* pf = _f) fixed (float* py = _y)
        {
            Conv2DKernel.RunGemm(_pool, _scratch, px, pf, py, 1, c, h, h, c, c, _geo, h, h, 1, _packed);
        }
    }
}

/// <summary>Depthwise 3×3 s1 and 5×5 s2 (MobileNet shapes).</summary>
[MemoryDiagnoser]
public unsafe class DepthwiseBenchmarks
{
    private float[] _x = [], _f = [], _y = [];
    private IntraOpPool _pool = null!;
    private RunScratch _scratch = null!;
    private ConvGeometry _geo;
    private int _ho, _wo;

    [Params(3, 5)]
    public int Kernel { get; set; }

    [Params(1, 2)]
    public int Stride { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    private const int C = 72, H = 56;

    [GlobalSetup]
    public void Setup()
    {
        _x = Data.Random(5, C * H * H);
        _f = Data.Random(6, C * Kernel * Kernel);
        int p = Kernel / 2;
        _geo = ConvGeometry.Resolve(H, H, Kernel, Kernel, [Stride, Stride], [1, 1], [p, p, p, p], PadAlgorithm.Explicit);
        _ho = _geo.OutH(H);
        _wo = _geo.OutW(H);
        _y = GC.AllocateUninitializedArray<float>(C * _ho * _wo, pinned: true);
        _pool = new IntraOpPool(Threads);
        _scratch = new RunScratch(_pool.Threads);
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark]
    public void Depthwise()
    {
        fixed (float* px = _x) fixed (float* pf = _f) fixed (float* py = _y)
        {
            DepthwiseConv2D.Run(_pool, _scratch, px, pf, py, 1, C, H, H, C, _geo, _ho, _wo);
        }
    }
}

/// <summary>One conv layer through the production GEMM path (quick mode's per-layer table).</summary>
internal sealed unsafe class ConvLayer
{
    private readonly float[] _x, _f, _y, _packed;
    private readonly IntraOpPool _pool;
    private readonly RunScratch _scratch;
    private readonly ConvGeometry _geo;
    private readonly int _ci, _co, _h, _ho;

    private readonly float[] _bias;

    public FusedActivation Act { get; set; }

    public ConvLayer(int ci, int co, int h, int k, int s, int threads)
    {
        _bias = Data.Random(7, co);
        (_ci, _co, _h) = (ci, co, h);
        _x = Data.Random(3, ci * h * h);
        _f = Data.Random(4, co * ci * k * k);
        int p = k / 2;
        _geo = ConvGeometry.Resolve(h, h, k, k, [s, s], [1, 1], [p, p, p, p], PadAlgorithm.Explicit);
        _ho = _geo.OutH(h);
        _y = GC.AllocateUninitializedArray<float>(co * _ho * _ho, pinned: true);
        int kk = ci * k * k;
        _packed = GC.AllocateUninitializedArray<float>(Sgemm.PackedASize(co, kk), pinned: true);
        fixed (float* pf = _f) fixed (float* pp = _packed) Sgemm.PackA(pf, kk, 1, co, kk, pp);
        _pool = new IntraOpPool(threads);
        _scratch = new RunScratch(_pool.Threads);
        Flops = 2.0 * co * kk * _ho * _ho;
    }

    public double Flops { get; }

    public void Run()
    {
        fixed (float* px = _x) fixed (float* pf = _f) fixed (float* py = _y) fixed (float* pb = _bias)
        {
            var ep = new ConvEpilogue { Bias = Act == FusedActivation.None ? null : pb, Act = Act };
            Conv2DKernel.RunGemm(_pool, _scratch, px, pf, py, 1, _ci, _h, _h, _co, _ci, _geo, _ho, _ho, 1, _packed, ep);
        }
    }
}

/// <summary>One depthwise layer with a fused hard_swish + bias (quick mode's per-layer table).</summary>
internal sealed unsafe class DwLayer
{
    private readonly float[] _x, _f, _y, _bias;
    private readonly IntraOpPool _pool;
    private readonly RunScratch _scratch;
    private readonly ConvGeometry _geo;
    private readonly int _c, _h, _ho, _wo;

    public DwLayer(int c, int h, int k, int s, int threads)
    {
        (_c, _h) = (c, h);
        _x = Data.Random(3, c * h * h);
        _f = Data.Random(4, c * k * k);
        _bias = Data.Random(5, c);
        int p = k / 2;
        _geo = ConvGeometry.Resolve(h, h, k, k, [s, s], [1, 1], [p, p, p, p], PadAlgorithm.Explicit);
        _ho = _geo.OutH(h);
        _wo = _geo.OutW(h);
        _y = GC.AllocateUninitializedArray<float>(c * _ho * _wo, pinned: true);
        _pool = new IntraOpPool(threads);
        _scratch = new RunScratch(_pool.Threads);
        Flops = 2.0 * c * k * k * _ho * _wo;
    }

    public double Flops { get; }

    /// <summary>Forces the channel-blocked kernel (true) or the per-plane rows (false); null: the layer's own choice.</summary>
    public bool? Blocked { get; set; }

    /// <summary>The fused activation (hard_swish unless set).</summary>
    public FusedActivation Act { get; set; } = FusedActivation.HardSwish;

    public void Run()
    {
        fixed (float* px = _x) fixed (float* pf = _f) fixed (float* py = _y) fixed (float* pb = _bias)
        {
            DepthwiseConv2D.Run(_pool, _scratch, px, pf, py, 1, _c, _h, _h, _c, _geo, _ho, _wo, new ConvEpilogue { Bias = pb, Act = Act }, blocked: Blocked);
        }
    }
}

/// <summary>Depthwise cost split: bordering, the row bodies and the epilogue over every plane of one layer (1 thread).</summary>
internal sealed unsafe class DwParts
{
    private readonly float* _x, _f, _y, _bias, _buf;
    private readonly ConvGeometry _g;
    private readonly int _c, _h, _ho, _wo, _rowsP, _phaseLen;
    private readonly IntraOpPool _pool = new(1);
    private readonly RunScratch _scratch;

    public DwParts(int c, int h, int k, int s)
    {
        _c = c; _h = h;
        int p = k / 2;
        _g = ConvGeometry.Resolve(h, h, k, k, [s, s], [1, 1], [p, p, p, p], PadAlgorithm.Explicit);
        _ho = _g.OutH(h); _wo = _g.OutW(h);
        _rowsP = (_ho - 1) * s + k;
        int colsP = (_wo - 1) * s + k;
        _phaseLen = (colsP + s - 1) / s;
        _x = Alloc(Data.Random(3, c * h * h)); _f = Alloc(Data.Random(4, c * k * k)); _bias = Alloc(Data.Random(5, c));
        _y = Alloc(new float[c * _ho * _wo]);
        _buf = Alloc(new float[_rowsP * s * _phaseLen + 64]);
        _scratch = new RunScratch(1);
        Flops = 2.0 * c * k * k * _ho * _wo;
    }

    private static float* Alloc(float[] a)
    {
        var p = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)(a.Length * 4 + 256), 64);
        a.AsSpan().CopyTo(new Span<float>(p, a.Length));
        return p;
    }

    public double Flops { get; }

    public void All() => DepthwiseConv2D.Run(_pool, _scratch, _x, _f, _y, 1, _c, _h, _h, _c, _g, _ho, _wo, new ConvEpilogue { Bias = _bias, Act = FusedActivation.HardSwish });

    public void Border()
    {
        for (int o = 0; o < _c; o++) DepthwiseConv2D.Border(_x + (long)o * _h * _h, _h, _h, _g, _rowsP, _phaseLen, _buf);
    }

    public void AllPlanes() => DepthwiseConv2D.Run(_pool, _scratch, _x, _f, _y, 1, _c, _h, _h, _c, _g, _ho, _wo, new ConvEpilogue { Bias = _bias, Act = FusedActivation.HardSwish }, blocked: false);

    public void AllBlocked() => DepthwiseConv2D.Run(_pool, _scratch, _x, _f, _y, 1, _c, _h, _h, _c, _g, _ho, _wo, new ConvEpilogue { Bias = _bias, Act = FusedActivation.HardSwish }, blocked: true);

    public void BorderFast()
    {
        for (int o = 0; o < _c; o++) DepthwiseConv2D.BorderFast(_x + (long)o * _h * _h, _h, _h, _g, _rowsP, _phaseLen, _buf);
    }

    public void Plane()
    {
        int taps = _g.KH * _g.KW;
        for (int o = 0; o < _c; o++) DepthwiseConv2D.Plane(_buf, _phaseLen, _f + o * taps, _y + (long)o * _ho * _wo, _ho, _wo, _g, 16);
    }

    public void Epilogue()
    {
        var ep = new ConvEpilogue { Bias = _bias, Act = FusedActivation.HardSwish };
        for (int o = 0; o < _c; o++) ep.Apply(_y + (long)o * _ho * _wo, _ho * _wo, o);
    }
}

/// <summary>The RGB stem (3 → 16, 3×3 stride 2, 224 → 112, bias + hard_swish): im2col + GEMM against the direct kernel.</summary>
internal sealed unsafe class StemLayer
{
    private readonly float[] _x = Data.Random(3, 3 * 224 * 224), _f = Data.Random(4, 16 * 27), _bias = Data.Random(5, 16);
    private readonly float[] _y = GC.AllocateUninitializedArray<float>(16 * 112 * 112, pinned: true);
    private readonly ConvGeometry _g = ConvGeometry.Resolve(224, 224, 3, 3, [2, 2], [1, 1], [1, 1, 1, 1], PadAlgorithm.Explicit);
    private readonly IntraOpPool _pool;
    private readonly RunScratch _scratch;

    public StemLayer(int threads)
    {
        _pool = new IntraOpPool(threads);
        _scratch = new RunScratch(_pool.Threads);
    }

    public double Flops => 2.0 * 16 * 27 * 112 * 112;

    public void Gemm()
    {
        fixed (float* px = _x) fixed (float* pf = _f) fixed (float* py = _y) fixed (float* pb = _bias)
        {
            Conv2DKernel.RunGemm(_pool, _scratch, px, pf, py, 1, 3, 224, 224, 16, 3, _g, 112, 112, 1, null, new ConvEpilogue { Bias = pb, Act = FusedActivation.HardSwish });
        }
    }

    public void Direct()
    {
        fixed (float* px = _x) fixed (float* pf = _f) fixed (float* py = _y) fixed (float* pb = _bias)
        {
            SmallInputConv.Run(_pool, _scratch, px, pf, py, 1, 3, 224, 224, 16, _g, 112, 112, new ConvEpilogue { Bias = pb, Act = FusedActivation.HardSwish });
        }
    }
}

/// <summary>One dense conv layer through im2col + GEMM, Winograd (3×3 stride 1) and the direct kernel (`--quick direct`).</summary>
internal sealed unsafe class DenseLayer
{
    private readonly float[] _x, _f, _bias, _y, _packed, _direct;
    private readonly float[]? _wino;
    private readonly ConvGeometry _g;
    private readonly IntraOpPool _pool;
    private readonly RunScratch _scratch;
    private readonly int _c, _h, _m, _k, _ho;

    public DenseLayer(int c, int h, int m, int k, int stride, int threads)
    {
        _c = c; _h = h; _m = m; _k = k;
        _g = ConvGeometry.Resolve(h, h, k, k, [stride, stride], [1, 1], [k / 2, k / 2, k / 2, k / 2], PadAlgorithm.Explicit);
        _ho = _g.OutH(h);
        _x = Data.Random(3, c * h * h);
        _f = Data.Random(4, m * c * k * k);
        _bias = Data.Random(5, m);
        _y = GC.AllocateUninitializedArray<float>(m * _ho * _ho, pinned: true);
        _packed = GC.AllocateUninitializedArray<float>(Sgemm.PackedASize(m, c * k * k), pinned: true);
        fixed (float* pf = _f) fixed (float* pp = _packed) Sgemm.PackA(pf, c * k * k, 1, m, c * k * k, pp);
        _direct = DirectConv.PackFilter(_f, m, c * k * k);
        if (k == 3 && stride == 1) _wino = Winograd.TransformFilter(_f, m, c);
        _pool = new IntraOpPool(threads);
        _scratch = new RunScratch(_pool.Threads);
    }

    public double Flops => 2.0 * _m * _c * _k * _k * _ho * _ho;

    public bool HasWinograd => _wino is not null;

    public void Gemm()
    {
        fixed (float* px = _x) fixed (float* pf = _f) fixed (float* py = _y) fixed (float* pb = _bias)
        {
            Conv2DKernel.RunGemm(_pool, _scratch, px, pf, py, 1, _c, _h, _h, _m, _c, _g, _ho, _ho, 1, _packed, new ConvEpilogue { Bias = pb, Act = FusedActivation.Relu });
        }
    }

    public void Wino()
    {
        fixed (float* px = _x) fixed (float* pu = _wino) fixed (float* py = _y) fixed (float* pb = _bias)
        {
            Winograd.Run(_pool, _scratch, px, pu, py, 1, _c, _h, _h, _m, _g, _ho, _ho, new ConvEpilogue { Bias = pb, Act = FusedActivation.Relu });
        }
    }

    public void Direct()
    {
        fixed (float* px = _x) fixed (float* pd = _direct) fixed (float* py = _y) fixed (float* pb = _bias)
        {
            DirectConv.Run(_pool, _scratch, px, pd, py, 1, _c, _h, _h, _m, _g, _ho, _ho, new ConvEpilogue { Bias = pb, Act = FusedActivation.Relu });
        }
    }
}

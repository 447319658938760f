using System.Diagnostics;
using BenchmarkDotNet.Running;
using PaddleNet.Benchmarks;

// `--quick`: a Stopwatch median per case (seconds, for iterating); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "--quick")
{
    if (args.Length > 6 && args[1] == "dwone")
    {
        // One depthwise layer C/H/K/S at T threads, blocked|planes|auto, for SECONDS, activation hs|relu|none: batches of 20 runs,
        // this thread's CPU time per run (min and median over batches; a steady loop that perf can also profile).
        var v = args[2].Split('/').Select(int.Parse).ToArray();
        var b = new DwLayer(v[0], v[1], v[2], v[3], int.Parse(args[3])) { Blocked = args[4] switch { "blocked" => true, "planes" => false, _ => null } };
        b.Act = args[6] switch { "relu" => PaddleNet.Kernels.Nn.FusedActivation.Relu, "none" => PaddleNet.Kernels.Nn.FusedActivation.None, _ => PaddleNet.Kernels.Nn.FusedActivation.HardSwish };
        for (int i = 0; i < 20; i++) b.Run();
        var sw = Stopwatch.StartNew();
        var per = new List<double>();
        while (sw.Elapsed.TotalSeconds < double.Parse(args[5]))
        {
            double c0 = CpuClock.ThreadMs();
            for (int i = 0; i < 20; i++) b.Run();
            per.Add((CpuClock.ThreadMs() - c0) / 20);
        }
        per.Sort();
        Console.WriteLine($"dw {args[2]} {args[4]} {args[6]}: cpu min {per[0]:F4} med {per[per.Count / 2]:F4} ms/run ({per.Count * 20} runs)");
        return;
    }
    if (args.Length > 2 && args[1] == "steps")
    {
        ModelDiagnostics.Steps(args[2], args.Length > 3 ? int.Parse(args[3]) : 30, args.Length > 4 && args[4] == "all" ? -1 : 25);
        return;
    }
    if (args.Length > 2 && args[1] == "gap")
    {
        ModelDiagnostics.Gap(args[2], args.Length > 3 ? int.Parse(args[3]) : 100, args.Length > 4 ? int.Parse(args[4]) : 1, 15);
        return;
    }
    if (args.Length > 2 && args[1] == "warmup")
    {
        ModelDiagnostics.Warmup(args[2], args.Length > 3 ? int.Parse(args[3]) : 100, args.Length > 4 ? int.Parse(args[4]) : 1, args.Length > 5 && args[5] == "steps");
        return;
    }
    if (args.Length > 1 && args[1] == "epi") { EpilogueBench.Run(args.Length > 2 ? int.Parse(args[2]) : 300); return; }
    if (args.Length > 1 && args[1] == "cores") { CoreProbe.Print(args.Length > 2 ? int.Parse(args[2]) : 40); return; }
    if (args.Length > 1 && args[1] == "pool") { PoolBench.Run(args.Length > 2 ? int.Parse(args[2]) : 20000); return; }
    if (args.Length > 1 && args[1] == "direct")
    {
        // ResNet18_vd's dense 3×3 layers (c/h/m/k/stride), or those given: each path side by side in one process.
        int threads = args.Length > 2 ? int.Parse(args[2]) : 1;
        var layers = args.Length > 3 ? args[3..] : ["512/7/512/3/1", "256/14/512/3/2", "256/14/256/3/1", "128/28/256/3/2", "128/28/128/3/1", "64/56/128/3/2", "64/56/64/3/1", "32/112/32/3/1", "32/112/64/3/1"];
        foreach (var spec in layers)
        {
            var v = spec.Split('/').Select(int.Parse).ToArray();
            var b = new DenseLayer(v[0], v[1], v[2], v[3], v[4], threads);
            Quick($"{spec} gemm", () => (b.Gemm, b.Flops));
            if (b.HasWinograd) Quick($"{spec} wino", () => (b.Wino, b.Flops));
            Quick($"{spec} direct", () => (b.Direct, b.Flops));
        }
        return;
    }
    if (args.Length > 1 && args[1] == "dmicro")
    {
        // DirectConv's 512-bit 6-pixel × 64-channel tile on operands in L1 (depth 128, 9 taps over 3 rows of 14 channels):
        // the kernel's own ceiling, apart from the layer's memory traffic.
        unsafe
        {
            var t = typeof(PaddleNet.Kernels.Nn.DirectConv);
            var p6 = t.GetNestedType("P6", System.Reflection.BindingFlags.NonPublic)!;
            var mi = t.GetMethod("Micro4x512", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(p6, p6);
            var fn = (delegate*<int, float*, long, int*, float*, float*, bool, float*, int, void>)mi.MethodHandle.GetFunctionPointer();
            int kc = 128, rowStride = int.Parse(args.Length > 2 ? args[2] : "16"), chan = rowStride * 5;
            var xin = GC.AllocateArray<float>(16 * chan + 64, pinned: true); var fil = GC.AllocateArray<float>(kc * 64, pinned: true);
            var acc = GC.AllocateArray<float>(6 * 64, pinned: true); var toff = GC.AllocateArray<int>(kc, pinned: true);
            for (int k = 0; k < kc; k++) toff[k] = k / 9 * chan + k % 9 / 3 * rowStride + k % 3;
            fixed (float* px = xin) fixed (float* pf = fil) fixed (float* pa = acc) fixed (int* pt = toff)
            {
                float* bx = px, bf = pf, ba = pa; int* bt = pt;
                for (int r = 0; r < 3; r++)
                    Quick("direct micro 6x64", () => ((Action)(() => { for (int i = 0; i < 1000; i++) fn(kc, bx, 0, bt, bf, ba, true, null, 0); }), 2.0 * 1000 * kc * 6 * 64));
            }
        }
        return;
    }
    if (args.Length > 1 && args[1] == "maxpool")
    {
        // ResNet18_vd's max pool (64 planes 112×112, 3×3 stride 2 pad 1): the whole op, and its phase copy generic vs fast.
        unsafe
        {
            var p = PaddleNet.Kernels.Nn.Pool2DKernel.Resolve(112, 112, true, [3, 3], [2, 2], [1, 1, 1, 1], PaddleNet.Kernels.Nn.PadAlgorithm.Explicit, false, false, true, false);
            var g = new PaddleNet.Kernels.Nn.ConvGeometry { KH = 3, KW = 3, SH = 2, SW = 2, DH = 1, DW = 1, PadTop = 1, PadLeft = 1, PadBottom = 1, PadRight = 1 };
            int rowsP = (p.Ho - 1) * 2 + 3, phaseLen = ((p.Wo - 1) * 2 + 3 + 1) / 2;
            var x = Data.Random(1, 64 * 112 * 112); var y = new float[64 * p.Ho * p.Wo]; var buf = new float[rowsP * 2 * phaseLen + 64];
            var scratch = new PaddleNet.Runtime.RunScratch(1);
            fixed (float* px = x) fixed (float* py = y) fixed (float* pb = buf)
            {
                float* bx = px, by = py, bb = pb;
                for (int r = 0; r < 3; r++)
                {
                    Quick("pool 64x112 whole", () => ((Action)(() => { for (int c = 0; c < 64; c++) PaddleNet.Kernels.Nn.Pool2DKernel.FastPlane(scratch, bx + c * 112 * 112, 112, 112, p, by + c * p.Ho * p.Wo, 16); }), 64.0 * 9 * p.Ho * p.Wo));
                    Quick("border generic x64", () => ((Action)(() => { for (int c = 0; c < 64; c++) PaddleNet.Kernels.Nn.DepthwiseConv2D.Border(bx + c * 112 * 112, 112, 112, g, rowsP, phaseLen, bb); }), 1));
                    Quick("border fast x64", () => ((Action)(() => { for (int c = 0; c < 64; c++) PaddleNet.Kernels.Nn.DepthwiseConv2D.BorderFast(bx + c * 112 * 112, 112, 112, g, rowsP, phaseLen, bb); }), 1));
                }
            }
        }
        return;
    }
    if (args.Length > 1 && args[1] == "gemv") { GemvBench.Run(args.Length > 2 ? int.Parse(args[2]) : 200); return; }
    if (args.Length > 1 && args[1] == "pwparts") { PointwiseBench.Run(int.Parse(args[2]), args[3..]); return; }
    if (args.Length > 3 && args[1] == "pwcycle") { PointwiseBench.Cycle(int.Parse(args[2]), int.Parse(args[3]), args[4..]); return; }
    if (args.Length > 1 && args[1] == "split") { GemvBench.Split(args.Length > 2 ? int.Parse(args[2]) : 500, args.Skip(3).ToArray()); return; }
    if (args.Length > 3 && args[1] == "load")
    {
        ModelDiagnostics.Load(args[2], args[3], args.Length > 4 ? int.Parse(args[4]) : 10, args.Length > 5 ? int.Parse(args[5]) : 1);
        return;
    }
    if (args.Length > 3 && args[1] == "loop")
    {
        // Only one kernel, many times, for perf stat (cycles count only while on a CPU: a loaded machine's ratios stay honest).
        Action run = args[2] switch
        {
            "stem-gemm" => new StemLayer(1).Gemm,
            "stem-direct" => new StemLayer(1).Direct,
            "stem-gemm-t2" => new StemLayer(2).Gemm,
            "stem-direct-t2" => new StemLayer(2).Direct,
            // wino:C/H/M/threads or direct:C/H/M/K/S/threads: one dense layer's path.
            var d when d.StartsWith("wino:") || d.StartsWith("direct:") => Dense(d),
            _ => new DwLayer(int.Parse(args[2].Split('/')[0]), int.Parse(args[2].Split('/')[1]), int.Parse(args[2].Split('/')[2]), int.Parse(args[2].Split('/')[3]), 1)
            {
                Blocked = args.Length > 4 && args[4] == "blocked" ? true : args.Length > 4 && args[4] == "planes" ? false : null,
            }.Run,
        };
        for (int i = 0, count = int.Parse(args[3]); i < count; i++) run();
        return;
    }
    Quick("sgemm 512 t1", () => { var b = new SgemmBenchmarks { N = 512, Threads = 1 }; b.Setup(); return (b.Multiply, 2.0 * 512 * 512 * 512); });
    Quick("sgemm 255 t1", () => { var b = new SgemmBenchmarks { N = 255, Threads = 1 }; b.Setup(); return (b.Multiply, 2.0 * 255 * 255 * 255); });
    Quick("conv3x3 64@56 t1", () => { var b = new Conv2DBenchmarks { Channels = 64, Threads = 1 }; b.Setup(); return (b.Conv3x3, 2.0 * 64 * 576 * 56 * 56); });
    Quick("conv3x3 256@14 t1", () => { var b = new Conv2DBenchmarks { Channels = 256, Threads = 1 }; b.Setup(); return (b.Conv3x3, 2.0 * 256 * 2304 * 14 * 14); });
    Quick("conv3x3 64@56 t2", () => { var b = new Conv2DBenchmarks { Channels = 64, Threads = 2 }; b.Setup(); return (b.Conv3x3, 2.0 * 64 * 576 * 56 * 56); });
    Quick("dw3 s1 t1", () => { var b = new DepthwiseBenchmarks { Kernel = 3, Stride = 1, Threads = 1 }; b.Setup(); return (b.Depthwise, 2.0 * 72 * 9 * 56 * 56); });
    Quick("dw5 s2 t1", () => { var b = new DepthwiseBenchmarks { Kernel = 5, Stride = 2, Threads = 1 }; b.Setup(); return (b.Depthwise, 2.0 * 72 * 25 * 28 * 28); });
    if (args.Length > 1 && args[1] == "stem")
    {
        foreach (int t in new[] { 1, 2 })
        {
            var b = new StemLayer(t);
            Quick($"stem gemm t{t}", () => (b.Gemm, b.Flops));
            Quick($"stem direct t{t}", () => (b.Direct, b.Flops));
        }
        return;
    }
    if (args.Length > 1 && args[1] == "dwparts")
    {
        foreach (var (c, h, k, st) in new[] { (32, 112, 3, 2), (64, 56, 3, 2), (64, 56, 3, 1), (16, 112, 3, 1), (256, 14, 5, 1) })
        {
            var b = new DwParts(c, h, k, st);
            Quick($"dw {c}@{h} k{k} s{st} all", () => (b.All, b.Flops));
            Quick($"  planes", () => (b.AllPlanes, b.Flops));
            Quick($"  blocked", () => (b.AllBlocked, b.Flops));
            Quick($"  border", () => (b.Border, b.Flops));
            Quick($"  border fast", () => (b.BorderFast, b.Flops));
            Quick($"  plane", () => (b.Plane, b.Flops));
            Quick($"  epilogue", () => (b.Epilogue, b.Flops));
        }
        return;
    }
    if (args.Length > 1 && args[1] == "dw")
    {
        // PPLCNet_x1_0's and MobileNetV3_large_x1_0's depthwise layers: per-plane rows against the channel-blocked kernel.
        int threads = args.Length > 2 ? int.Parse(args[2]) : 1;
        foreach (var (c, h, k, st) in new[] { (16, 112, 3, 1), (32, 112, 3, 2), (64, 56, 3, 1), (64, 56, 3, 2), (128, 28, 3, 1), (128, 28, 3, 2), (256, 14, 5, 1), (256, 14, 5, 2), (512, 7, 5, 1),
            (64, 112, 3, 2), (72, 56, 3, 1), (72, 56, 5, 2), (120, 28, 5, 1), (240, 28, 3, 2), (200, 14, 3, 1), (184, 14, 3, 1), (480, 14, 3, 1), (672, 14, 3, 1), (672, 14, 5, 2), (960, 7, 5, 1) })
        {
            var b = new DwLayer(c, h, k, st, threads);
            for (int round = 0; round < 2; round++)
            {
                b.Blocked = false;
                Quick($"dw {c}@{h} k{k} s{st} t{threads} planes", () => (b.Run, b.Flops));
                b.Blocked = true;
                Quick($"dw {c}@{h} k{k} s{st} t{threads} blocked", () => (b.Run, b.Flops));
            }
        }
        return;
    }
    if (args.Length > 1 && args[1] == "pw")
    {
        foreach (var (ci, co, h) in new[] { (16, 64, 112), (64, 24, 56), (24, 72, 56), (72, 40, 28), (40, 120, 28), (120, 40, 28), (80, 240, 14), (240, 80, 14), (160, 960, 7), (960, 160, 7), (32, 64, 112), (256, 256, 14), (512, 512, 7) })
        {
            var b = new ConvLayer(ci, co, h, 1, 1, 1);
            Quick($"pw {ci}->{co} @{h}", () => (b.Run, b.Flops));
            var b2 = new ConvLayer(ci, co, h, 1, 1, 1) { Act = PaddleNet.Kernels.Nn.FusedActivation.HardSwish };
            Quick($"pw {ci}->{co} @{h} +hs", () => (b2.Run, b2.Flops));
        }
        return;
    }
    if (args.Length > 1 && args[1] == "pool")
    {
        foreach (int t in new[] { 1, 2 })
        {
            using var pool = new PaddleNet.Runtime.IntraOpPool(t);
            Quick($"spin 2x0.5ms t{t}", () => ((Action)(() => pool.For(2, new SpinBody())), 1));
            Quick($"sgemm512 t{t}", () => { var b = new SgemmBenchmarks { N = 512, Threads = t }; b.Setup(); return (b.Multiply, 2.0 * 512 * 512 * 512); });
            Quick($"micro-only t{t}", () => ((Action)(() => pool.For(2, new MicroBody())), 2.0 * 2 * 4000 * 6 * 32 * 256));
            if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported) Quick($"micro-pair t{t}", () => ((Action)(() => pool.For(2, new MicroPairBody())), 2.0 * 2 * 2000 * 12 * 32 * 256));
            Quick($"empty For t{t}", () => ((Action)(() => { for (int i = 0; i < 100; i++) pool.For(2, new EmptyBody()); }), 1));
        }
        return;
    }
    if (args.Length > 1 && args[1] == "tile128")
    {
        // The 6×32 tile at 128 bits: four 6×8 strips (12 accumulators) against two 6×16 strips (24), alternating,
        // 1000 tiles of depth 256 each (operands stay in L1/L2); run under each DOTNET_ switch of scripts/bench-widths.
        unsafe
        {
            var buf = GC.AllocateArray<float>(6 * 256 + 32 * 256 + 6 * 32, pinned: true);
            for (int i = 0; i < buf.Length; i++) buf[i] = (i % 7) * 0.25f;
            fixed (float* p = buf)
            {
                float* a = p, bp = p + 6 * 256, c = p + 6 * 256 + 32 * 256;
                double flops = 2.0 * 1000 * 6 * 32 * 256;
                Console.WriteLine($"Fma {System.Runtime.Intrinsics.X86.Fma.IsSupported}, 32 registers {PaddleNet.Kernels.Nn.Sgemm.Has32VectorRegisters}");
                for (int round = 0; round < 3; round++)
                {
                    Quick("tile128 6x8 strips", () => ((Action)(() => { for (int r = 0; r < 1000; r++) PaddleNet.Kernels.Nn.Sgemm.Tile<PaddleNet.Kernels.Vec128<float>>(256, a, bp, c, 32, false); }), flops));
                    Quick("tile128 6x16 strips", () => ((Action)(() => { for (int r = 0; r < 1000; r++) PaddleNet.Kernels.Nn.Sgemm.TileWide<PaddleNet.Kernels.Vec128<float>>(256, a, bp, c, 32, false); }), flops));
                }
            }
        }
        return;
    }
    if (args.Length > 1 && args[1] == "edge")
    {
        // Sgemm.Compute with and without an edge panel (ResNet18_vd's 14×14 and 7×7 stages): the edge costs its
        // strips only (4 columns: one 8-wide strip at 128 bits), not a full 32-column panel.
        unsafe
        {
            foreach (var (m, k, nFull, nEdge) in new[] { (256, 2304, 192, 196), (512, 4608, 32, 49) })
            {
                var a = Data.Random(1, m * k); var bm = Data.Random(2, k * nEdge);
                var pa = GC.AllocateUninitializedArray<float>(PaddleNet.Kernels.Nn.Sgemm.PackedASize(m, k), pinned: true);
                var pb = GC.AllocateUninitializedArray<float>(PaddleNet.Kernels.Nn.Sgemm.PackedBSize(k, nEdge), pinned: true);
                var c = GC.AllocateUninitializedArray<float>(m * nEdge, pinned: true);
                fixed (float* xa = a) fixed (float* xb = bm) fixed (float* xpa = pa) fixed (float* xpb = pb) fixed (float* xc = c)
                {
                    PaddleNet.Kernels.Nn.Sgemm.PackA(xa, k, 1, m, k, xpa);
                    PaddleNet.Kernels.Nn.Sgemm.PackB(xb, nEdge, 1, k, nEdge, xpb);
                    float* qa = xpa, qb = xpb, qc = xc;
                    Console.WriteLine($"path {PaddleNet.Kernels.Nn.Sgemm.BestPath}");
                    for (int round = 0; round < 3; round++)
                    {
                        foreach (int n in new[] { nFull, nEdge })
                        {
                            int nn = n;
                            Quick($"gemm {m}x{n}x{k}", () => ((Action)(() => PaddleNet.Kernels.Nn.Sgemm.Compute(m, nn, k, qa, qb, qc, nn, 0, PaddleNet.Kernels.Nn.Sgemm.RowBlocks(m), 0, PaddleNet.Kernels.Nn.Sgemm.Panels(nn), false)), 2.0 * m * nn * k));
                        }
                    }
                }
            }
        }
        return;
    }
    if (args.Length > 2 && args[1] == "gap")
    {
        ModelDiagnostics.Gap(args[2], args.Length > 3 ? int.Parse(args[3]) : 100, args.Length > 4 ? int.Parse(args[4]) : 1, 15);
        return;
    }
    if (args.Length > 1 && args[1] == "gemv")
    {
        unsafe
        {
            int m = 1, n = 1000, k = 1280;
            var a = Data.Random(1, m * k); var bm = Data.Random(2, k * n); var c = new float[m * n];
            var packed = GC.AllocateUninitializedArray<float>(PaddleNet.Kernels.Nn.Sgemm.PackedBSize(k, n), pinned: true);
            var big = new float[16 << 20]; // evicts caches between runs when "cold"
            using var pool = new PaddleNet.Runtime.IntraOpPool(1);
            var scratch = new PaddleNet.Runtime.RunScratch(1);
            fixed (float* pa = a) fixed (float* pb = bm) fixed (float* pc = c) fixed (float* pp = packed)
            {
                PaddleNet.Kernels.Nn.Sgemm.PackB(pb, n, 1, k, n, pp);
                float* xa = pa, xp = pp, xc = pc, xb = pb;
                Quick("gemv hot", () => ((Action)(() => PaddleNet.Kernels.Nn.GemmDriver.Multiply(pool, scratch, m, n, k, xa, k, 1, xp, xb, n, 1, xc, n)), 2.0 * m * n * k));
                Quick("gemv cold", () => ((Action)(() => { Array.Fill(big, 1f); PaddleNet.Kernels.Nn.GemmDriver.Multiply(pool, scratch, m, n, k, xa, k, 1, xp, xb, n, 1, xc, n); }), 2.0 * m * n * k));
                Quick("evict only", () => ((Action)(() => { Array.Fill(big, 1f); }), 1));
            }
        }
        return;
    }
    if (args.Length > 1 && args[1] == "resnet")
    {
        double total = 0;
        foreach (var (ci, co, h, k, st, times) in new[] { (3, 32, 224, 3, 2, 1), (32, 32, 112, 3, 1, 1), (32, 64, 112, 3, 1, 1), (64, 64, 56, 3, 1, 4), (64, 128, 56, 3, 2, 1), (128, 128, 28, 3, 1, 3), (64, 128, 28, 1, 1, 1),
            (128, 256, 28, 3, 2, 1), (256, 256, 14, 3, 1, 3), (128, 256, 14, 1, 1, 1), (256, 512, 14, 3, 2, 1), (512, 512, 7, 3, 1, 3), (256, 512, 7, 1, 1, 1) })
        {
            var b = new ConvLayer(ci, co, h, k, st, int.Parse(args.Length > 2 ? args[2] : "1"));
            total += times * Quick($"conv {ci}->{co} @{h} k{k} s{st} x{times}", () => (b.Run, b.Flops));
        }
        Console.WriteLine($"total {total:F2} ms");
        return;
    }
    unsafe
    {
        Console.WriteLine($"V512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated} Avx512F {System.Runtime.Intrinsics.X86.Avx512F.IsSupported}");
        foreach (var (k, s) in new[] { (3, 1), (5, 2) })
        {
            int p = k / 2, H = 56;
            var geo = PaddleNet.Kernels.Nn.ConvGeometry.Resolve(H, H, k, k, [s, s], [1, 1], [p, p, p, p], PaddleNet.Kernels.Nn.PadAlgorithm.Explicit);
            int ho = geo.OutH(H), wo = geo.OutW(H);
            int rowsP = (ho - 1) * s + k, colsP = (wo - 1) * s + k, L = (colsP + s - 1) / s;
            var x = Data.Random(1, H * H); var f = Data.Random(2, k * k); var buf = new float[rowsP * s * L + 64]; var y = new float[ho * wo];
            fixed (float* px = x) fixed (float* pf = f) fixed (float* pb = buf) fixed (float* py = y)
            {
                float* bx = px, bf = pf, bb = pb, by = py;
                Quick($"border k{k}s{s} x72", () => ((Action)(() => { for (int c = 0; c < 72; c++) PaddleNet.Kernels.Nn.DepthwiseConv2D.Border(bx, H, H, geo, rowsP, L, bb); }), 1e3));
                Quick($"plane k{k}s{s} x72", () => ((Action)(() => { for (int c = 0; c < 72; c++) PaddleNet.Kernels.Nn.DepthwiseConv2D.Plane(bb, L, bf, by, ho, wo, geo, 16); }), 2.0 * 72 * k * k * ho * wo));
            }
        }
    }
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(SgemmBenchmarks).Assembly).Run(args);

static Action Dense(string spec)
{
    var v = spec[(spec.IndexOf(':') + 1)..].Split('/').Select(int.Parse).ToArray();
    if (spec.StartsWith("wino:")) return new DenseLayer(v[0], v[1], v[2], 3, 1, v[3]).Wino;
    return new DenseLayer(v[0], v[1], v[2], v[3], v[4], v[5]).Direct;
}

static double Quick(string name, Func<(Action Run, double Flops)> make)
{
    var (run, flops) = make();
    for (int i = 0; i < 5; i++) run();
    var times = new double[31];
    // QUICK_CPU=1: this thread's CPU time instead of wall time (one-thread cases on a shared machine: time spent
    // descheduled does not count).
    bool cpu = Environment.GetEnvironmentVariable("QUICK_CPU") == "1";
    for (int i = 0; i < times.Length; i++)
    {
        long t0 = Stopwatch.GetTimestamp();
        double c0 = cpu ? CpuClock.ThreadMs() : 0;
        run();
        times[i] = cpu ? CpuClock.ThreadMs() - c0 : Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }
    Array.Sort(times);
    double med = times[times.Length / 2];
    Console.WriteLine($"{name,-20} median {med,8:F3} ms  min {times[0],8:F3} ms  {flops / (times[0] * 1e6),7:F1} GFLOP/s (min)");
    return med;
}

internal struct SpinBody : PaddleNet.Runtime.IParallelBody
{
    public readonly void Run(int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(t0).TotalMilliseconds < 0.5) { }
        }
    }
}

internal struct EmptyBody : PaddleNet.Runtime.IParallelBody
{
    public readonly void Run(int start, int end) { }
}

/// <summary>The AVX-512 12×32 row-block pair (same FLOPs per call as two 6×32 tiles), operands in L1.</summary>
internal unsafe struct MicroPairBody : PaddleNet.Runtime.IParallelBody
{
    [ThreadStatic] private static float[]? t_buf;

    public readonly void Run(int start, int end)
    {
        t_buf ??= GC.AllocateArray<float>(12 * 256 + 32 * 256 + 12 * 32, pinned: true);
        fixed (float* p = t_buf)
        {
            for (int i = start; i < end; i++)
            {
                for (int r = 0; r < 2000; r++) PaddleNet.Kernels.Nn.Sgemm.MicroPair512(256, p, p + 6 * 256, p + 12 * 256, p + 12 * 256 + 32 * 256, 32, false);
            }
        }
    }
}

internal unsafe struct MicroBody : PaddleNet.Runtime.IParallelBody
{
    [ThreadStatic] private static float[]? t_buf;

    public readonly void Run(int start, int end)
    {
        t_buf ??= GC.AllocateArray<float>(6 * 256 + 32 * 256 + 6 * 32, pinned: true);
        fixed (float* p = t_buf)
        {
            for (int i = start; i < end; i++)
            {
                for (int r = 0; r < 4000; r++) PaddleNet.Kernels.Nn.Sgemm.Micro<PaddleNet.Kernels.Vec512<float>>(256, p, p + 6 * 256, p + 6 * 256 + 32 * 256, 32, false);
            }
        }
    }
}

internal static partial class CpuClock
{
    private struct TimeSpec { public long Sec, Nsec; }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec ts);

    /// <summary>CLOCK_THREAD_CPUTIME_ID (3) in milliseconds.</summary>
    public static double ThreadMs() { ClockGetTime(3, out var t); return t.Sec * 1e3 + t.Nsec * 1e-6; }
}

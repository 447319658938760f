using System.Diagnostics;
using System.Globalization;
using PaddleNet.Kernels.Nn;
using PaddleNet.Runtime;

namespace PaddleNet.Benchmarks;

/// <summary>
/// <c>--quick pwparts RUNS CINxCOUT@H...</c>: where a 1×1 conv's time goes on one thread, each part timed alone and
/// interleaved (minimum µs): packing B (per panel, then channel rows at once), the GEMM on a packed B, on its full panels
/// only and on its partial last panel only, the whole RunGemm (without, with bias, with bias + hard_swish; 2 threads), and
/// a traced 2-thread call (which thread ran which chunk, when); the swapped 1×1 conv (<c>RunSwapped</c>, 1 and 2 threads). <c>PWPARTS_ONLY=name,name</c> runs only those parts: a
/// 2-thread part interleaved with 1-thread ones finds its worker parked and pays a wake-up per call.
/// </summary>
internal static unsafe class PointwiseBench
{
    public static void Run(int runs, string[] specs)
    {
        var ci = CultureInfo.InvariantCulture;
        foreach (var spec in specs)
        {
            var (cin, cout, h) = ParseSpec(spec);
            int hw = h * h, k = cin;
            var x = Data.Random(3, cin * hw);
            var f = Data.Random(4, cout * cin);
            var bias = Data.Random(5, cout);
            var y = GC.AllocateUninitializedArray<float>(cout * hw, pinned: true);
            var pa = GC.AllocateUninitializedArray<float>(Sgemm.PackedASize(cout, k), pinned: true);
            var pb = GC.AllocateUninitializedArray<float>(Sgemm.PackedBSize(k, hw), pinned: true);
            var geo = ConvGeometry.Resolve(h, h, 1, 1, [1, 1], [1, 1], [0, 0, 0, 0], PadAlgorithm.Explicit);
            using var pool1 = new IntraOpPool(1);
            using var pool2 = new IntraOpPool(2);
            var s1 = new RunScratch(1);
            var s2 = new RunScratch(2);
            int panels = Sgemm.Panels(hw), full = hw / Sgemm.NR;
            double flops = 2.0 * cout * cin * hw;
            var pb2 = GC.AllocateUninitializedArray<float>(Sgemm.PackedBSize(k, hw), pinned: true);
            var pt = GC.AllocateUninitializedArray<float>(Sgemm.PackedBSize(k, cout), pinned: true); // W^T as B: the swapped path's operand
            fixed (float* ff = f) fixed (float* ppt = pt) Sgemm.PackB(ff, 1, k, k, cout, ppt);
            var trace = new Trace(); // "trace t2": RunGemm's over-panels split, who ran which chunk when
            fixed (float* px = x) fixed (float* pf = f) fixed (float* py = y) fixed (float* ppa = pa) fixed (float* ppb = pb) fixed (float* ppb2 = pb2)
            {
                float* bpb2 = ppb2;
                Sgemm.PackA(pf, k, 1, cout, k, ppa);
                float* bx = px, bpa = ppa, bpb = ppb, by = py, bf = pf;
                var parts = new (string Name, Action Run)[]
                {
                    ("pack B", () => { for (int j = 0; j < panels; j++) Conv2DKernel.Im2ColPanel(bx, geo, cin, h, h, h, hw, j, bpb + (long)j * Sgemm.NR * k); }),
                    ("pack new", () => Conv2DKernel.Im2ColPanels(bx, geo, cin, h, h, h, hw, 0, panels, bpb)),
                    ("gemm all", () => Sgemm.Compute(cout, hw, k, bpa, bpb, by, hw, 0, Sgemm.RowBlocks(cout), 0, panels, false)),
                    ("gemm full", () => Sgemm.Compute(cout, hw, k, bpa, bpb, by, hw, 0, Sgemm.RowBlocks(cout), 0, full, false)),
                    ("full in place", () => Sgemm.Compute(cout, hw, k, bpa, bx, by, hw, 0, Sgemm.RowBlocks(cout), 0, full, false, ldb: hw)),
                    ("gemm edge", () => Sgemm.Compute(cout, hw, k, bpa, bpb, by, hw, 0, Sgemm.RowBlocks(cout), full, panels, false)),
                    ("RunGemm t1", () => Conv2DKernel.RunGemm(pool1, s1, bx, bf, by, 1, cin, h, h, cout, cin, geo, h, h, 1, pa)),
                    ("t1 +b", () => { fixed (float* pbias = bias) Conv2DKernel.RunGemm(pool1, s1, bx, bf, by, 1, cin, h, h, cout, cin, geo, h, h, 1, pa, new ConvEpilogue { Bias = pbias }); }),
                    ("t1 +b+hs", () => { fixed (float* pbias = bias) Conv2DKernel.RunGemm(pool1, s1, bx, bf, by, 1, cin, h, h, cout, cin, geo, h, h, 1, pa, new ConvEpilogue { Bias = pbias, Act = FusedActivation.HardSwish }); }),
                    ("swapped t1", () => { fixed (float* ppt = pt) Conv2DKernel.RunSwapped(pool1, s1, bx, ppt, by, 1, cin, cout, hw, default); }),
                    ("swapped t2", () => { fixed (float* ppt = pt) Conv2DKernel.RunSwapped(pool2, s2, bx, ppt, by, 1, cin, cout, hw, default); }),
                    ("RunGemm t2", () => Conv2DKernel.RunGemm(pool2, s2, bx, bf, by, 1, cin, h, h, cout, cin, geo, h, h, 1, pa)),
                    ("rows t2", () => pool2.For(2, new RowsBody { X = bx, A = bpa, Y = by, B0 = bpb, B1 = bpb2, Geo = geo, Cin = cin, H = h, Cout = cout, Panels = panels }, 1)),
                    ("trace t2", () => { trace.N = 0; trace.T0 = Stopwatch.GetTimestamp(); pool2.For(panels, new TraceBody { X = bx, A = bpa, Y = by, B0 = bpb, B1 = bpb2, Geo = geo, Cin = cin, H = h, Cout = cout, Tr = trace }, 1); trace.End = Stopwatch.GetTimestamp(); trace.Keep(); }),
                };
                // PWPARTS_ONLY=name,name: only those parts (a lone 2-thread part then finds its worker still spinning, not parked).
                if (Environment.GetEnvironmentVariable("PWPARTS_ONLY") is { Length: > 0 } only)
                    parts = parts.Where(p => only.Split(',').Contains(p.Name)).ToArray();
                var best = new double[parts.Length];
                Array.Fill(best, double.MaxValue);
                for (int r = 0; r < runs; r++)
                {
                    for (int i = 0; i < parts.Length; i++)
                    {
                        long t0 = Stopwatch.GetTimestamp();
                        parts[i].Run();
                        best[i] = Math.Min(best[i], Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
                    }
                }
                Console.Write(string.Create(ci, $"{spec,-12}"));
                for (int i = 0; i < parts.Length; i++) Console.Write(string.Create(ci, $"  {parts[i].Name} {best[i],6:F1}"));
                if (trace.Best != null) Console.Write("  [trace " + trace.Best + "]");
                Console.WriteLine(parts.Length > 2 ? string.Create(ci, $"  | gemm {flops / best[2] / 1e3:F0} GF/s") : "");
            }
        }
    }

    /// <summary>Rows split in two fixed halves (whole 12-row pairs), each thread packing every panel itself: no panel imbalance, packing twice.</summary>
    private struct RowsBody : IParallelBody
    {
        public float* X, A, Y, B0, B1;
        public ConvGeometry Geo;
        public int Cin, H, Cout, Panels;

        public readonly void Run(int start, int end)
        {
            int hw = H * H, blocks = Sgemm.RowBlocks(Cout), half = (blocks / 2 + 1) & ~1;
            for (int i = start; i < end; i++)
            {
                float* pb = i == 0 ? B0 : B1;
                Conv2DKernel.Im2ColPanels(X, Geo, Cin, H, H, H, hw, 0, Panels, pb);
                Sgemm.Compute(Cout, hw, Cin, A, pb, Y, hw, i == 0 ? 0 : half, i == 0 ? half : blocks, 0, Panels, false, bPanelsRelative: true);
            }
        }
    }

    /// <summary>The fastest traced 2-thread call: per chunk, the thread (w0 caller, w1 worker), its panels and its µs from the call's start.</summary>
    private sealed class Trace
    {
        public long T0, End;
        public int N;
        public readonly (int Thread, int Start, int End, long T0, long T1)[] Ev = new (int, int, int, long, long)[64];
        public string? Best;
        private double _best = double.MaxValue;

        public void Keep()
        {
            double total = (End - T0) * 1e6 / Stopwatch.Frequency;
            if (total >= _best) return;
            _best = total;
            var sb = new System.Text.StringBuilder($"{total:F0}us:");
            for (int i = 0; i < N; i++)
                sb.Append($" w{Ev[i].Thread}[{Ev[i].Start},{Ev[i].End}) {(Ev[i].T0 - T0) * 1e6 / Stopwatch.Frequency:F0}-{(Ev[i].T1 - T0) * 1e6 / Stopwatch.Frequency:F0}");
            Best = sb.ToString();
        }
    }

    /// <summary>RunGemm's over-panels body (per chunk: pack its panels, multiply), recording who ran which chunk when.</summary>
    private struct TraceBody : IParallelBody
    {
        public float* X, A, Y, B0, B1;
        public ConvGeometry Geo;
        public int Cin, H, Cout;
        public Trace Tr;

        public readonly void Run(int start, int end)
        {
            long t0 = Stopwatch.GetTimestamp();
            int w = IntraOpPool.CurrentWorker, hw = H * H;
            float* pb = w == 0 ? B0 : B1;
            Conv2DKernel.Im2ColPanels(X, Geo, Cin, H, H, H, hw, start, end, pb);
            Sgemm.Compute(Cout, hw, Cin, A, pb, Y, hw, 0, Sgemm.RowBlocks(Cout), start, end, false, bPanelsRelative: true);
            int slot = Interlocked.Increment(ref Tr.N) - 1;
            Tr.Ev[slot] = (w, start, end, t0, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>CINxCOUT@H: in channels, out channels, plane side.</summary>
    private static (int Cin, int Cout, int H) ParseSpec(string spec)
    {
        var m = System.Text.RegularExpressions.Regex.Match(spec, @"^(\d+)x(\d+)@(\d+)$");
        if (!m.Success) throw new ArgumentException($"layer spec '{spec}': expected CINxCOUT@H");
        var ci = CultureInfo.InvariantCulture;
        return (int.Parse(m.Groups[1].Value, ci), int.Parse(m.Groups[2].Value, ci), int.Parse(m.Groups[3].Value, ci));
    }

    /// <summary>
    /// <c>--quick pwcycle RUNS COPIES CINxCOUT@H...</c>: one 1×1 conv layer (the path the model would take) run over COPIES
    /// distinct weight sets in turn, so with enough copies its weights come from L3 or memory as in a model run, not from L2:
    /// median µs per call on 1 thread. <c>PWCYCLE_PATH=gemm|swapped</c> forces the regular or the swapped 1×1 path.
    /// </summary>
    public static void Cycle(int runs, int copies, string[] specs)
    {
        foreach (var spec in specs)
        {
            var (cin, cout, h) = ParseSpec(spec);
            int hw = h * h;
            var x = Data.Random(3, cin * hw);
            var y = GC.AllocateUninitializedArray<float>(cout * hw, pinned: true);
            var geo = ConvGeometry.Resolve(h, h, 1, 1, [1, 1], [1, 1], [0, 0, 0, 0], PadAlgorithm.Explicit);
            var a = new float[copies][];
            var t = new float[copies][];
            for (int i = 0; i < copies; i++)
            {
                var f = Data.Random(10 + i, cout * cin);
                a[i] = GC.AllocateUninitializedArray<float>(Sgemm.PackedASize(cout, cin), pinned: true);
                t[i] = GC.AllocateUninitializedArray<float>(Sgemm.PackedBSize(cin, cout), pinned: true);
                fixed (float* pf = f) fixed (float* pa = a[i]) fixed (float* pt = t[i])
                {
                    Sgemm.PackA(pf, cin, 1, cout, cin, pa);
                    Sgemm.PackB(pf, 1, cin, cin, cout, pt);
                }
            }
            using var pool = new IntraOpPool(1);
            var s = new RunScratch(1);
            // PWCYCLE_PATH=gemm|swapped forces a path (the swapped one gives the same bits wherever it runs).
            bool swapped = Environment.GetEnvironmentVariable("PWCYCLE_PATH") switch { "gemm" => false, "swapped" => true, _ => Conv2DKernel.SwapWins(hw, cout, 1) };
            var times = new List<double>();
            fixed (float* px = x) fixed (float* py = y)
            {
                for (int r = 0; r < runs; r++)
                {
                    int i = r % copies;
                    fixed (float* pt = t[i])
                    {
                        long t0 = Stopwatch.GetTimestamp();
                        if (swapped) Conv2DKernel.RunSwapped(pool, s, px, pt, py, 1, cin, cout, hw, default);
                        else Conv2DKernel.RunGemm(pool, s, px, null, py, 1, cin, h, h, cout, cin, geo, h, h, 1, a[i]);
                        if (r >= copies) times.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
                    }
                }
            }
            times.Sort();
            Console.WriteLine($"{spec} {(swapped ? "swapped" : "gemm")} x{copies} weight sets ({(long)copies * cin * cout * 4 / 1024} KB): median {times[times.Count / 2]:F1} us, min {times[0]:F1}");
        }
    }
}

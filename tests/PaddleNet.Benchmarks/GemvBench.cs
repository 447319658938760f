using System.Diagnostics;
using System.Globalization;
using PaddleNet.Kernels.Nn;
using PaddleNet.Runtime;

namespace PaddleNet.Benchmarks;

/// <summary>
/// <c>--quick gemv</c>: single-row products (classifier, SE and head 1×1 convs) through the 6-row GEMM path
/// (<see cref="Sgemm.Compute"/> on a 1-row packed A, what M = 1 ran before) and through <see cref="Gemv"/>, interleaved,
/// with L2 flushed before each call (in a model the weights come from L3). Minimum and median µs per call.
/// </summary>
internal static unsafe class GemvBench
{
    public static void Run(int runs)
    {
        var flush = new float[2 << 20]; // 8 MB
        var ci = CultureInfo.InvariantCulture;
        foreach (var (k, n) in new[] { (1280, 1000), (512, 1280), (960, 1280), (480, 120), (120, 480), (16, 64), (672, 168) })
        {
            var a = Data.Random(1, k);
            var b = Data.Random(2, k * n);
            var pb = GC.AllocateUninitializedArray<float>(Sgemm.PackedBSize(k, n), pinned: true);
            var pa = GC.AllocateUninitializedArray<float>(Sgemm.PackedASize(1, k), pinned: true);
            var c = GC.AllocateUninitializedArray<float>(n, pinned: true);
            foreach (int threads in new[] { 1, 2 })
            {
                using var pool = new IntraOpPool(threads);
                var t = new[] { new List<double>(), new List<double>() };
                fixed (float* xa = a) fixed (float* xb = b) fixed (float* ppb = pb) fixed (float* ppa = pa) fixed (float* pc = c)
                {
                    Sgemm.PackB(xb, n, 1, k, n, ppb);
                    for (int r = 0; r < runs + 5; r++)
                    {
                        for (int which = 0; which < 2; which++)
                        {
                            float s = 0;
                            for (int i = 0; i < flush.Length; i += 16) s += flush[i]++;
                            long t0 = Stopwatch.GetTimestamp();
                            if (which == 0)
                            {
                                Sgemm.PackA(xa, k, 1, 1, k, ppa);
                                pool.For(Sgemm.Panels(n), new GemmRow { A = ppa, B = ppb, C = pc, N = n, K = k }, (int)Math.Clamp(65536L / ((long)k * Sgemm.MR * Sgemm.NR), 1, int.MaxValue));
                            }
                            else
                            {
                                GemmDriver.RunRow(pool, n, k, xa, ppb, pc);
                            }
                            if (r >= 5) t[which].Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
                        }
                    }
                }
                double Med(List<double> l) { var x = l.Order().ToArray(); return x[x.Length / 2]; }
                Console.WriteLine(string.Create(ci, $"1x{k} · {k}x{n} t{threads}: gemm-row min {t[0].Min(),7:F1} med {Med(t[0]),7:F1} µs | gemv min {t[1].Min(),7:F1} med {Med(t[1]),7:F1} µs | min ratio {t[0].Min() / t[1].Min():F2}x"));
            }
        }
    }

    /// <summary><c>--quick split</c>: MobileNetV3's worst-scaling 1×1 convs alone (RunGemm), 1 vs 2 threads interleaved, minimum µs.</summary>
    public static void Split(int runs, string[] specs)
    {
        var ci = CultureInfo.InvariantCulture;
        // Layers named on the command line as CINxCOUT@H or CINxCOUT@H+hs (fused hard_swish); the default list otherwise.
        var layers = specs.Length > 0
            ? specs.Select(a =>
            {
                var m = System.Text.RegularExpressions.Regex.Match(a, @"^(\d+)x(\d+)@(\d+)(\+hs)?$");
                if (!m.Success) throw new ArgumentException($"layer '{a}': expected CINxCOUT@H[+hs]");
                return (int.Parse(m.Groups[1].Value, ci), int.Parse(m.Groups[2].Value, ci), int.Parse(m.Groups[3].Value, ci), m.Groups[4].Success);
            }).ToArray()
            : new[] { (40, 120, 28, true), (40, 120, 28, false), (40, 240, 28, true), (40, 240, 28, false), (24, 72, 56, false), (200, 80, 14, false), (672, 112, 14, false), (3, 16, 224, true) };
        foreach (var (cin, cout, h, act) in layers)
        {
            bool stem = cin == 3;
            var l1 = new ConvLayer(cin, cout, h, stem ? 3 : 1, stem ? 2 : 1, 1) { Act = act ? FusedActivation.HardSwish : FusedActivation.None };
            var l2 = new ConvLayer(cin, cout, h, stem ? 3 : 1, stem ? 2 : 1, 2) { Act = act ? FusedActivation.HardSwish : FusedActivation.None };
            double m1 = double.MaxValue, m2 = double.MaxValue;
            for (int r = 0; r < runs; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                l1.Run();
                m1 = Math.Min(m1, Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
                t0 = Stopwatch.GetTimestamp();
                l2.Run();
                m2 = Math.Min(m2, Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
            }
            Console.WriteLine(string.Create(ci, $"{cin}->{cout}@{h}{(stem ? " 3x3s2" : "")}: t1 {m1,7:F1} µs  t2 {m2,7:F1} µs  {m1 / m2:F2}x"));
        }
    }

    private struct GemmRow : IParallelBody
    {
        public float* A, B, C;
        public int N, K;

        public readonly void Run(int start, int end) => Sgemm.Compute(1, N, K, A, B, C, N, 0, 1, start, end, false);
    }
}

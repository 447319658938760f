using System.Diagnostics;
using System.Globalization;
using PaddleNet.Kernels.Nn;

namespace PaddleNet.Benchmarks;

/// <summary><c>--quick epi</c>: ns per element of the conv epilogue pass (bias + activation over rows of an output block), block sizes as the GEMM's chunks leave them.</summary>
internal static unsafe class EpilogueBench
{
    public static void Run(int reps)
    {
        var ci = CultureInfo.InvariantCulture;
        foreach (var (rows, cols) in new[] { (64, 2048), (128, 784), (256, 196), (512, 49), (16, 1024) })
        {
            var y = GC.AllocateArray<float>(rows * cols, pinned: true);
            var bias = GC.AllocateArray<float>(rows, pinned: true);
            var r = new Random(1);
            for (int i = 0; i < y.Length; i++) y[i] = (float)(r.NextDouble() * 8 - 4);
            foreach (var act in new[] { FusedActivation.None, FusedActivation.Relu, FusedActivation.HardSwish })
            {
                double best = double.MaxValue;
                fixed (float* py = y) fixed (float* pb = bias)
                {
                    var ep = new ConvEpilogue { Bias = pb, Act = act };
                    for (int rep = 0; rep < reps; rep++)
                    {
                        long t0 = Stopwatch.GetTimestamp();
                        for (int o = 0; o < rows; o++) ep.Apply(py + (long)o * cols, cols, o);
                        best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalNanoseconds);
                    }
                }
                Console.WriteLine(string.Create(ci, $"{rows}x{cols} bias+{act}: {best / 1000:F1} µs, {best / (rows * cols):F3} ns/element"));
            }
        }
    }
}

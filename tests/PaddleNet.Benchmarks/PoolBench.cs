using System.Diagnostics;
using System.Globalization;
using PaddleNet.Runtime;

namespace PaddleNet.Benchmarks;

/// <summary>
/// <c>--quick pool</c>: what one <see cref="IntraOpPool.For{T}"/> call costs beyond its work at 2 threads, with the
/// worker spinning (calls back to back, as between a run's ops): the round trip of an empty 2-chunk call, and the delay
/// from the call's start until the worker starts its chunk. Minimum and median µs over many calls.
/// </summary>
internal static class PoolBench
{
    private static long s_start;
    private static long s_workerStart;

    private struct Mark : IParallelBody
    {
        public readonly void Run(int start, int end)
        {
            if (IntraOpPool.CurrentWorker != 0) Volatile.Write(ref s_workerStart, Stopwatch.GetTimestamp());
            else
            {
                // The caller's chunk waits a little so the worker has time to claim the other one.
                long until = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100_000;
                while (Stopwatch.GetTimestamp() < until) { }
            }
        }
    }

    public static void Run(int calls)
    {
        using var pool = new IntraOpPool(2);
        var roundTrip = new List<double>();
        var reach = new List<double>();
        for (int i = 0; i < calls + 100; i++)
        {
            Volatile.Write(ref s_workerStart, 0);
            long t0 = Stopwatch.GetTimestamp();
            s_start = t0;
            pool.For(2, new Mark());
            long t1 = Stopwatch.GetTimestamp();
            long w = Volatile.Read(ref s_workerStart);
            if (i < 100) continue;
            roundTrip.Add((t1 - t0) * 1e6 / Stopwatch.Frequency - 10);
            if (w != 0) reach.Add((w - t0) * 1e6 / Stopwatch.Frequency);
            // A short gap between calls, like the serial tail of a small op.
            long until = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 200_000;
            while (Stopwatch.GetTimestamp() < until) { }
        }
        static double Q(List<double> l, double q) { var a = l.Order().ToArray(); return a.Length == 0 ? double.NaN : a[(int)(q * (a.Length - 1))]; }
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(ci, $"pool t2, {calls} calls: round trip beyond the 10 µs chunk min {roundTrip.Min():F2} med {Q(roundTrip, 0.5):F2} p90 {Q(roundTrip, 0.9):F2} µs; worker reached its chunk in {reach.Count} calls, after min {Q(reach, 0):F2} med {Q(reach, 0.5):F2} p90 {Q(reach, 0.9):F2} µs"));
    }
}

namespace PaddleNet.Tests.Support;

/// <summary>Measures what a warmed-up action allocates on the calling thread.</summary>
internal static class SteadyState
{
    /// <summary>
    /// Bytes <paramref name="run"/> allocates on this thread per window of <paramref name="runsPerWindow"/> calls: the
    /// least over up to <paramref name="windows"/> windows (0 as soon as one window allocates nothing). An allocation
    /// in the run path shows in every window, so a non-zero result still fails the caller; what this tolerates is a
    /// one-off runtime event in one window (a method tiering up late on a loaded machine). CI once saw 2,240 bytes in a
    /// single window of a run that allocates nothing in thousands of windows here, with every kernel probed at 0.
    /// </summary>
    public static long AllocatedBytes(Action run, int runsPerWindow = 3, int windows = 4)
    {
        long least = long.MaxValue;
        for (int w = 0; w < windows && least > 0; w++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < runsPerWindow; i++) run();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}

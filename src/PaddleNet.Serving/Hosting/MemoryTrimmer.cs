using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Metrics;

namespace PaddleNet.Serving.Hosting;

/// <summary>
/// Gives memory back once a burst is over: when requests were served, none is in flight and none came or ended for
/// <see cref="ServingConfig.IdleTrimDelay"/>, one full compacting GC that decommits what it can
/// (<see cref="GCCollectionMode.Aggressive"/>) and a <c>malloc_trim</c>. Under steady load it never runs (the GC's
/// own budget keeps the heap stable); after a burst the RSS falls back towards the idle server's instead of staying
/// at the burst's high-water mark (docs/reliability.md has the figures).
/// </summary>
internal sealed class MemoryTrimmer(ServingConfig config, ServingMetrics metrics, ILogger<MemoryTrimmer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = config.IdleTrimDelay;
        if (delay <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Clamp(delay.TotalMilliseconds / 4, 50, 1000)));
        long seen = metrics.Activity;
        long lastChange = Stopwatch.GetTimestamp();
        bool served = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                long now = metrics.Activity;
                if (now != seen)
                {
                    seen = now;
                    lastChange = Stopwatch.GetTimestamp();
                    served = true;
                }
                else if (served && metrics.InFlight == 0 && Stopwatch.GetElapsedTime(lastChange) >= delay)
                {
                    served = false;
                    Trim();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Trim()
    {
        var clock = Stopwatch.StartNew();
        long before = Environment.WorkingSet;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        bool trimmed = NativeHeap.Trim();
        metrics.ObserveTrim();
        logger.LogDebug("idle: memory trimmed in {Ms} ms (GC{Malloc}), RSS {Before} -> {After} MB", clock.ElapsedMilliseconds,
            trimmed ? " + malloc_trim" : "", before >> 20, Environment.WorkingSet >> 20);
    }
}

using System.Runtime;
using Fanout.Realtime.Connections;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Memory;

/// <summary>
/// Runs an aggressive, compacting full collection (which also returns the free memory to the operating system) when
/// <see cref="MemoryTrimPolicy"/> says many connections have gone. It blocks the node for as long as one full
/// collection takes (tens of milliseconds at ~50 MiB of live heap), so it runs only after such a drop.
/// </summary>
public sealed partial class MemoryTrimService(NodeConnections connections, IOptions<MemoryTrimOptions> options, ILogger<MemoryTrimService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var policy = new MemoryTrimPolicy(settings.MinClosedConnections);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(settings.CheckIntervalMs));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var count = connections.Count;
            if (policy.ShouldTrim(count))
            {
                Trim(count);
            }
        }
    }

    private void Trim(int connectionCount)
    {
        var before = Environment.WorkingSet;
        var started = TimeProvider.System.GetTimestamp();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        LogTrimmed(logger, connectionCount, before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024), elapsed.TotalMilliseconds);
    }

    [LoggerMessage(EventId = 5310, Level = LogLevel.Information,
        Message = "Gave memory back after connections closed ({Connections} open): working set {BeforeMiB} MiB -> {AfterMiB} MiB in {ElapsedMs} ms")]
    private static partial void LogTrimmed(ILogger logger, int connections, long beforeMiB, long afterMiB, double elapsedMs);
}

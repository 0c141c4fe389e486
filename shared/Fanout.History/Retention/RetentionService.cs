using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fanout.History.Retention;

/// <summary>
/// Enforces <see cref="RetentionOptions"/>: every <see cref="RetentionOptions.TrimIntervalMs"/> runs one
/// <see cref="IHistoryTrimmer"/> pass, once the history store is ready. In the distributed mode every sequencer instance
/// runs this loop, but a pass only runs in the process that holds the trimmer's PostgreSQL advisory lock, so one
/// instance trims at a time and another takes over when it dies; in the embedded mode the one process trims.
/// </summary>
public sealed class RetentionService(
    IHistoryTrimmer trimmer, HistorySchemaState schema, IOptions<RetentionOptions> options, ILogger<RetentionService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await schema.WhenReady.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.TrimIntervalMs));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var result = await trimmer.RunPassAsync(stoppingToken);
                if (result is { Events: > 0 } or { KeysForgotten: > 0 })
                {
                    HistoryLog.Trimmed(logger, result.Rooms, result.Events, result.KeysForgotten);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                HistoryLog.TrimFailed(logger, ex);
            }
        }
    }
}

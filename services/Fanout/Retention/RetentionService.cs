using Fanout.History;
using Fanout.History.Retention;
using Microsoft.Extensions.Options;

namespace Fanout.Sequencer.Retention;

/// <summary>
/// Enforces <see cref="RetentionOptions"/>: every <see cref="RetentionOptions.TrimIntervalMs"/> runs one
/// <see cref="HistoryTrimmer"/> pass. Every sequencer instance runs this loop, but a pass only runs in the process that
/// holds the trimmer's PostgreSQL advisory lock, so one instance trims at a time and another takes over when it dies.
/// Trimming moves each room's first retained seq in a one-row statement and deletes in small batches, so it never
/// holds a lock the sequencer's writes wait on for long.
/// </summary>
public sealed class RetentionService(
    HistoryTrimmer trimmer, HistorySchemaState schema, IOptions<RetentionOptions> options, ILogger<RetentionService> logger)
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
                if (result is { Events: > 0 })
                {
                    SequencerLog.Trimmed(logger, result.Rooms, result.Events);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                SequencerLog.TrimFailed(logger, ex);
            }
        }
    }
}

using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Fanout.Sequencer.Intake;
using Fanout.Sequencer.Tracing;

namespace Fanout.Sequencer.Committing;

/// <summary>What PostgreSQL or the intake can never store: isolated, dead-lettered with its reason, never blocking.</summary>
public sealed partial class BatchCommitter
{
    /// <summary>Isolates the submission PostgreSQL refuses: the others are stored, it is dead-lettered.</summary>
    private async Task<bool> StoreOneByOneAsync(List<PendingDelivery> deliveries, BatchTrace trace, CancellationToken stoppingToken)
    {
        foreach (var delivery in deliveries)
        {
            IReadOnlyList<RoomEvent> committed;
            try
            {
                committed = await writer.AppendAsync(delivery.Submission!.Events, CancellationToken.None);
            }
            catch (Exception ex) when (StoreFailure.IsPermanent(ex))
            {
                await DeadLetterAsync(delivery, ex.Message, trace, stoppingToken);
                continue;
            }
            catch (Exception ex)
            {
                SequencerLog.BatchAbandoned(logger, ex, delivery.Submission!.Events.Count);
                trace.Abandoned(ex);
                return false;
            }

            metrics.Persisted(committed, DateTimeOffset.UtcNow);
            trace.Committed(committed);
            await router.RouteAsync(committed, trace, CancellationToken.None);
        }

        return true;
    }

    private async Task DeadLetterAsync(PendingDelivery delivery, string reason, BatchTrace trace, CancellationToken stoppingToken)
    {
        SequencerLog.DeadLettered(logger, delivery.Partition, delivery.DeliveryTag, reason, DescribeEvents(delivery.Submission));
        trace.DeadLettered(delivery, reason);
        metrics.DeadLettered();
        try
        {
            await deadLetters.PublishAsync(delivery.Partition, delivery.Body, reason, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Logged above with its content: dropping it must not block the partition.
            SequencerLog.DeadLetterFailed(logger, ex, delivery.Partition, delivery.DeliveryTag);
        }
    }

    private static string DescribeEvents(EventSubmission? submission) =>
        submission is null ? "(unreadable)" : string.Join(",", submission.Events.Select(e => $"{e.Room}/{e.Id}"));
}

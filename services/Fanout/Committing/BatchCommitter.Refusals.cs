using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Fanout.Sequencer.Intake;

namespace Fanout.Sequencer.Committing;

/// <summary>What PostgreSQL or the intake can never store: isolated, dead-lettered with its reason, never blocking.</summary>
public sealed partial class BatchCommitter
{
    /// <summary>Isolates the submission PostgreSQL refuses: the others are stored, it is dead-lettered.</summary>
    private async Task<bool> StoreOneByOneAsync(List<PendingDelivery> deliveries, CancellationToken stoppingToken)
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
                await DeadLetterAsync(delivery, ex.Message, stoppingToken);
                continue;
            }
            catch (Exception ex)
            {
                SequencerLog.BatchAbandoned(logger, ex, delivery.Submission!.Events.Count);
                return false;
            }

            metrics.Persisted(committed, DateTimeOffset.UtcNow);
            await router.RouteAsync(committed, CancellationToken.None);
        }

        return true;
    }

    private async Task DeadLetterAsync(PendingDelivery delivery, string reason, CancellationToken stoppingToken)
    {
        SequencerLog.DeadLettered(logger, delivery.Partition, delivery.DeliveryTag, reason, DescribeEvents(delivery.Submission));
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

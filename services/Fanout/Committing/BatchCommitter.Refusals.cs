using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Fanout.Messaging;
using Fanout.Sequencer.Intake;
using Fanout.Sequencer.Tracing;

namespace Fanout.Sequencer.Committing;

/// <summary>
/// What PostgreSQL or the intake can never store: isolated and dead-lettered with its reason, so it does not block the
/// messages behind it, unless the dead-letter queue itself will not take it: then it is kept (unacknowledged) and the
/// partition waits until it does.
/// </summary>
public sealed partial class BatchCommitter
{
    /// <summary>
    /// Isolates what PostgreSQL refuses: the submissions it accepts are stored; of a refused one holding several events
    /// (one caller's batch, or several callers' events sharing a message) each event is tried alone, so only the
    /// refused events are dead-lettered. False only when stopping interrupted it (the batch is then left unacknowledged).
    /// A delivery whose channel has closed is skipped, and so are the rest of that channel's: the broker redelivers them
    /// in order; the deliveries of the channels still open are all stored, since their acknowledgement follows.
    /// </summary>
    private async Task<bool> StoreOneByOneAsync(List<PendingDelivery> deliveries, BatchTrace trace, CancellationToken stoppingToken)
    {
        foreach (var delivery in deliveries)
        {
            if (!delivery.Channel.IsOpen)
            {
                continue;
            }

            var outcome = await TryStoreAsync(delivery.Submission!.Events, delivery, trace, stoppingToken);
            if (outcome == StoreOutcome.Interrupted)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    return false;
                }

                continue;
            }

            if (outcome is StoreOutcome.Refused { Reason: var reason })
            {
                if (delivery.Submission.Events.Count == 1)
                {
                    if (!await DeadLetterAsync(delivery, reason, trace, stoppingToken))
                    {
                        return false;
                    }
                }
                else if (!await StoreEachEventAsync(delivery, trace, stoppingToken) && stoppingToken.IsCancellationRequested)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>False when interrupted (stopping, or the delivery's channel closed).</summary>
    private async Task<bool> StoreEachEventAsync(PendingDelivery delivery, BatchTrace trace, CancellationToken stoppingToken)
    {
        foreach (var submitted in delivery.Submission!.Events)
        {
            var outcome = await TryStoreAsync([submitted], delivery, trace, stoppingToken);
            if (outcome == StoreOutcome.Interrupted)
            {
                return false;
            }

            if (outcome is StoreOutcome.Refused { Reason: var reason })
            {
                var single = new EventSubmission([submitted]);
                if (!await DeadLetterAsync(delivery with { Submission = single, Body = MessageSerializer.Serialize(single) }, reason, trace, stoppingToken))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Stores <paramref name="events"/> (of <paramref name="delivery"/>), retrying a transient failure as the batch path
    /// does, until stored or refused; interrupted only when stopping or when the delivery's channel has closed (the
    /// broker then redelivers it). Giving up on an open channel would let the next batch's cumulative ack cover it.
    /// </summary>
    private async Task<StoreOutcome> TryStoreAsync(IReadOnlyList<SubmittedEvent> events, PendingDelivery delivery, BatchTrace trace,
        CancellationToken stoppingToken)
    {
        var backoff = new RetryBackoff(_maxRetryDelay);
        IReadOnlyList<RoomEvent> committed;
        while (true)
        {
            try
            {
                committed = await writer.AppendAsync(events, CancellationToken.None);
                break;
            }
            catch (Exception ex) when (StoreFailure.IsPermanent(ex))
            {
                return new StoreOutcome.Refused(ex.Message);
            }
            catch (Exception ex)
            {
                if (stoppingToken.IsCancellationRequested || !delivery.Channel.IsOpen)
                {
                    SequencerLog.BatchAbandoned(logger, ex, events.Count);
                    trace.Abandoned(ex);
                    return StoreOutcome.Interrupted;
                }

                SequencerLog.BatchRetry(logger, ex, events.Count, backoff.Next.TotalMilliseconds);
                trace.StoreFailed(ex);
                metrics.Retried();
                await backoff.WaitAsync();
            }
        }

        metrics.Persisted(committed, DateTimeOffset.UtcNow);
        trace.Committed(committed);
        await router.RouteAsync(committed, trace, CancellationToken.None);
        return StoreOutcome.Stored;
    }

    private abstract record StoreOutcome
    {
        public static readonly StoreOutcome Stored = new Done();
        public static readonly StoreOutcome Interrupted = new Stopped();

        public sealed record Refused(string Reason) : StoreOutcome;

        private sealed record Done : StoreOutcome;

        private sealed record Stopped : StoreOutcome;
    }

    /// <summary>
    /// Moves <paramref name="delivery"/> to the dead-letter queue, retrying (with the store's backoff, each attempt
    /// bounded by <see cref="DeadLetterQueue.PublishTimeout"/>) while the broker will not take it: each failure is
    /// logged (3015) and counted, and the delivery stays unacknowledged meanwhile, so its body is never lost. Stops
    /// trying when its channel has closed (the broker redelivers it). False only when stopping interrupted it.
    /// </summary>
    private async Task<bool> DeadLetterAsync(PendingDelivery delivery, string reason, BatchTrace trace, CancellationToken stoppingToken)
    {
        SequencerLog.DeadLettered(logger, delivery.Partition, delivery.DeliveryTag, reason, DescribeEvents(delivery.Submission));
        trace.DeadLettered(delivery, reason);
        var backoff = new RetryBackoff(_maxRetryDelay);
        while (true)
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                attempt.CancelAfter(DeadLetterQueue.PublishTimeout);
                await deadLetters.PublishAsync(delivery.Partition, delivery.Body, reason, attempt.Token);
                metrics.DeadLettered();
                return true;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                metrics.DeadLetterFailed();
                if (!delivery.Channel.IsOpen)
                {
                    SequencerLog.DeadLetterFailed(logger, ex, delivery.Partition, delivery.DeliveryTag, 0);
                    return true;
                }

                SequencerLog.DeadLetterFailed(logger, ex, delivery.Partition, delivery.DeliveryTag, backoff.Next.TotalMilliseconds);
                await backoff.WaitAsync();
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    private static string DescribeEvents(EventSubmission? submission) =>
        submission is null ? "(unreadable)" : string.Join(",", submission.Events.Select(e => $"{e.Room}/{e.Id}"));
}

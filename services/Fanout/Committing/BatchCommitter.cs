using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Fanout.History;
using Fanout.Sequencer.Intake;
using Fanout.Sequencer.Metrics;
using Fanout.Sequencer.Routing;
using Fanout.Sequencer.Tracing;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Fanout.Sequencer.Committing;

/// <summary>
/// The sequencer's one loop: takes what the inbox holds (up to <see cref="SequencerOptions.MaxBatchEvents"/>),
/// stores it in one transaction (seqs assigned there), routes what was committed, then acknowledges each channel
/// up to its last delivery. Nothing is acknowledged before it is committed; a failure leaves the messages with the
/// broker (retried here while the channel lives, redelivered otherwise) and storing is idempotent by event id.
/// A batch is given up only when stopping or when every channel it came from has closed: a channel that stays open is
/// acknowledged cumulatively by the next batch, so nothing of it may be left unstored (the one-by-one path retries the
/// same way). What a closed channel gave back is redelivered in order, and the inbox drops that channel's later deliveries.
/// On stop it finishes the batch in hand. With tracing on, each message of the batch is a span (<see cref="BatchTrace"/>).
/// </summary>
public sealed partial class BatchCommitter(
    SequencerInbox inbox,
    ISequencedHistoryWriter writer,
    IRoomEventRouter router,
    DeadLetterQueue deadLetters,
    HistorySchemaState schema,
    SequencerMetrics metrics,
    IOptions<SequencerOptions> options,
    ILogger<BatchCommitter> logger) : BackgroundService
{
    private readonly int _maxBatchEvents = options.Value.MaxBatchEvents;
    private readonly TimeSpan _maxRetryDelay = TimeSpan.FromMilliseconds(options.Value.MaxRetryDelayMs);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await schema.WhenReady.WaitAsync(stoppingToken);
        var batch = new List<PendingDelivery>();
        while (await inbox.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            var events = 0;
            while (events < _maxBatchEvents && inbox.TryRead(out var delivery))
            {
                batch.Add(delivery);
                events += delivery.Submission?.Events.Count ?? 0;
            }

            await ProcessAsync(batch, stoppingToken);
        }
    }

    private async Task ProcessAsync(List<PendingDelivery> batch, CancellationToken stoppingToken)
    {
        using var trace = BatchTrace.Start(batch);
        var readable = new List<PendingDelivery>(batch.Count);
        foreach (var delivery in batch)
        {
            if (delivery.Submission is null)
            {
                if (!await DeadLetterAsync(delivery, delivery.ReadError ?? "unreadable", trace, stoppingToken))
                {
                    return; // Stopping: left unacknowledged, redelivered to the next consumer.
                }
            }
            else
            {
                readable.Add(delivery);
            }
        }

        if (readable.Count > 0 && !await StoreAndRouteAsync(readable, trace, stoppingToken))
        {
            return;
        }

        await AcknowledgeAsync(batch);
    }

    /// <summary>False when stopping interrupted it: the batch is then left unacknowledged for redelivery.</summary>
    private async Task<bool> StoreAndRouteAsync(List<PendingDelivery> deliveries, BatchTrace trace, CancellationToken stoppingToken)
    {
        var events = deliveries.SelectMany(d => d.Submission!.Events).ToList();
        var backoff = new RetryBackoff(_maxRetryDelay);
        while (true)
        {
            try
            {
                var committed = await writer.AppendAsync(events, CancellationToken.None);
                SequencerLog.BatchCommitted(logger, events.Count, deliveries.Count);
                metrics.Persisted(committed, DateTimeOffset.UtcNow);
                trace.Committed(committed);
                await router.RouteAsync(committed, trace, CancellationToken.None);
                return true;
            }
            catch (Exception ex) when (StoreFailure.IsPermanent(ex))
            {
                SequencerLog.BatchRefused(logger, ex, events.Count);
                trace.StoreFailed(ex);
                return await StoreOneByOneAsync(deliveries, trace, stoppingToken);
            }
            catch (Exception ex)
            {
                if (stoppingToken.IsCancellationRequested || AllChannelsClosed(deliveries))
                {
                    SequencerLog.BatchAbandoned(logger, ex, events.Count);
                    trace.Abandoned(ex);
                    return false;
                }

                SequencerLog.BatchRetry(logger, ex, events.Count, backoff.Next.TotalMilliseconds);
                trace.StoreFailed(ex);
                metrics.Retried();
                await backoff.WaitAsync();
            }
        }
    }

    private static bool AllChannelsClosed(List<PendingDelivery> deliveries) => deliveries.All(d => !d.Channel.IsOpen);

    private async Task AcknowledgeAsync(List<PendingDelivery> batch)
    {
        var lastPerChannel = new Dictionary<IChannel, ulong>(ReferenceEqualityComparer.Instance);
        foreach (var delivery in batch)
        {
            lastPerChannel[delivery.Channel] = Math.Max(lastPerChannel.GetValueOrDefault(delivery.Channel), delivery.DeliveryTag);
        }

        foreach (var (channel, tag) in lastPerChannel)
        {
            if (!channel.IsOpen)
            {
                continue; // Redelivered on the next channel; storing it again is a no-op.
            }

            try
            {
                await channel.BasicAckAsync(tag, multiple: true);
            }
            catch (Exception ex)
            {
                SequencerLog.AckFailed(logger, ex, tag);
            }
        }
    }
}

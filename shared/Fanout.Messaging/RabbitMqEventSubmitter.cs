using System.Diagnostics;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.Messaging.Submission;
using Fanout.Messaging.Tracing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Fanout.Messaging;

/// <summary>
/// <see cref="IEventSubmitter"/> over RabbitMQ: the call's events go, split by partition, into each partition's
/// <see cref="SubmitLane"/>, which publishes them to <see cref="BrokerNames.SubmitExchange"/> as persistent,
/// mandatory, publisher-confirmed messages, <see cref="SubmitterOptions.MaxMessagesInFlight"/> in flight per partition;
/// concurrent calls share a message (group commit, up to <see cref="SubmitterOptions.MaxBatchEvents"/> and
/// <see cref="SubmitterOptions.MaxBatchBytes"/>).
/// Returns only when every message carrying the call's events is confirmed; a nack (the partition queue is full:
/// <see cref="TopologyOptions.MaxQueuedMessagesPerPartition"/>), a return (no queue bound) or no confirm within <see cref="SubmitterOptions.AcceptTimeoutMs"/> throws <see cref="SubmissionUnavailableException"/>.
/// With tracing on, each message is a <c>publish fanout.submit</c> span (until confirmed), a child of the first
/// caller's span linked to the others', whose context travels in the message's <c>traceparent</c> header to the
/// sequencer.
/// </summary>
public sealed partial class RabbitMqEventSubmitter : IEventSubmitter
{
    private readonly PublisherChannelPool _channels;
    private readonly ILogger<RabbitMqEventSubmitter> _logger;
    private readonly int _partitions;
    private readonly TimeSpan _acceptTimeout;
    private readonly int _maxQueuedMessages;
    private readonly SubmitLane[] _lanes;

    public RabbitMqEventSubmitter(
        PublisherChannelPool channels,
        IOptions<TopologyOptions> topology,
        IOptions<SubmitterOptions> options,
        ILogger<RabbitMqEventSubmitter> logger)
    {
        _channels = channels;
        _logger = logger;
        _partitions = topology.Value.Partitions;
        _maxQueuedMessages = topology.Value.MaxQueuedMessagesPerPartition;
        _acceptTimeout = TimeSpan.FromMilliseconds(options.Value.AcceptTimeoutMs);
        _lanes = new SubmitLane[_partitions];
        for (var partition = 0; partition < _partitions; partition++)
        {
            var lane = partition;
            _lanes[partition] = new SubmitLane(batch => PublishAsync(lane, batch), options.Value.MaxBatchEvents, options.Value.MaxBatchBytes,
                options.Value.MaxMessagesInFlight);
        }
    }

    public async Task SubmitAsync(IReadOnlyList<SubmittedEvent> events, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_acceptTimeout);
        try
        {
            var parts = SplitByPartition(events);
            var traceContext = Activity.Current?.Context ?? default;
            if (parts.Count == 1)
            {
                await SubmitToLaneAsync(parts[0].Partition, parts[0].Events, traceContext, timeout.Token);
            }
            else
            {
                await Task.WhenAll(parts.Select(part => SubmitToLaneAsync(part.Partition, part.Events, traceContext, timeout.Token)));
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogNotConfirmed(_logger, events.Count, _acceptTimeout.TotalMilliseconds);
            throw new SubmissionUnavailableException($"The broker did not confirm the events within {_acceptTimeout.TotalSeconds:0.#} s.", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not SubmissionUnavailableException
                                   and not System.Text.Json.JsonException and not NotSupportedException)
        {
            LogSubmitFailed(_logger, ex, events.Count);
            throw new SubmissionUnavailableException("The broker is unavailable.", ex);
        }
    }

    private async Task SubmitToLaneAsync(int partition, IReadOnlyList<SubmittedEvent> events, ActivityContext traceContext,
        CancellationToken cancellationToken)
    {
        var submission = new PendingSubmission(events, DataBytes(events), traceContext);
        _lanes[partition].Submit(submission);
        try
        {
            await submission.Confirmed.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Not yet taken into a message: it never will be. Taken: it may still be confirmed, which the contract
            // allows (retrying with the same event ids stores each once).
            submission.TryAbandon();
            throw;
        }
    }

    private static int DataBytes(IReadOnlyList<SubmittedEvent> events)
    {
        var bytes = 0;
        foreach (var submitted in events)
        {
            bytes += System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(submitted.Data).Length;
        }

        return bytes;
    }

    private List<(int Partition, IReadOnlyList<SubmittedEvent> Events)> SplitByPartition(IReadOnlyList<SubmittedEvent> events)
    {
        if (_partitions == 1)
        {
            return [(0, events)];
        }

        var byPartition = new Dictionary<int, List<SubmittedEvent>>();
        var order = new List<int>();
        foreach (var submitted in events)
        {
            var partition = RoomPartitioner.PartitionOf(submitted.Room, _partitions);
            if (!byPartition.TryGetValue(partition, out var list))
            {
                list = [];
                byPartition[partition] = list;
                order.Add(partition);
            }

            list.Add(submitted);
        }

        return order.Select(partition => (partition, (IReadOnlyList<SubmittedEvent>)byPartition[partition])).ToList();
    }

    /// <summary>One message for a lane's batch, confirmed within the accept timeout (each caller also waits at most that).</summary>
    private async Task PublishAsync(int partition, IReadOnlyList<PendingSubmission> batch)
    {
        using var timeout = new CancellationTokenSource(_acceptTimeout);
        var cancellationToken = timeout.Token;
        var submission = new EventSubmission(Concat(batch));
        // Serializing cannot fail for validated events; if it does, it is a bug, not an outage: it is not caught above.
        var body = MessageSerializer.Serialize(submission);
        var routingKey = BrokerNames.PartitionRoutingKey(partition);
        using var activity = MessagingActivity.StartPublish(MessagingActivity.Source, MessagingActivity.PublishSubmit, BrokerNames.SubmitExchange, routingKey,
            batch[0].TraceContext, LinksOf(batch));
        if (activity is { IsAllDataRequested: true })
        {
            Describe(activity, partition, submission, body.Length);
            activity.SetTag(MessagingTags.SubmissionCount, batch.Count);
        }

        // Properties of their own for every message, never a shared instance: on a confirm channel RabbitMQ.Client
        // writes the publish sequence number into the headers of the properties it is given (and creates them when
        // there are none), which concurrent publishes would overwrite in a shared dictionary.
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "application/json",
            Headers = MessagingActivity.TraceHeaders(MessagingActivity.Source, activity, batch[0].TraceContext),
        };
        var channel = await _channels.RentAsync(cancellationToken);
        var broken = true;
        try
        {
            await channel.BasicPublishAsync(BrokerNames.SubmitExchange, routingKey,
                mandatory: true, basicProperties: properties, body: body, cancellationToken: cancellationToken);
            broken = false;
        }
        catch (RabbitMQ.Client.Exceptions.PublishException ex) when (!ex.IsReturn)
        {
            // A nack: the partition queue holds its most messages (reject-publish), or the broker could not store it.
            // The channel is fine.
            broken = false;
            MessagingActivity.Failed(activity, ex);
            LogNacked(_logger, partition, submission.Events.Count, _maxQueuedMessages);
            throw new SubmissionUnavailableException(
                $"The broker refused the events: partition queue {BrokerNames.SubmitQueue(partition)} is full " +
                $"(Topology:MaxQueuedMessagesPerPartition {_maxQueuedMessages}) or could not store them.", ex);
        }
        catch (Exception ex)
        {
            MessagingActivity.Failed(activity, ex);
            throw;
        }
        finally
        {
            _channels.Return(channel, broken);
        }
    }

    private static IReadOnlyList<SubmittedEvent> Concat(IReadOnlyList<PendingSubmission> batch)
    {
        if (batch.Count == 1)
        {
            return batch[0].Events;
        }

        var events = new List<SubmittedEvent>(batch.Sum(s => s.Events.Count));
        foreach (var pending in batch)
        {
            events.AddRange(pending.Events);
        }

        return events;
    }

    /// <summary>Links to the trace contexts of the batch's other callers (none for a batch of one or without tracing).</summary>
    private static List<ActivityLink>? LinksOf(IReadOnlyList<PendingSubmission> batch)
    {
        if (batch.Count == 1 || !MessagingActivity.Source.HasListeners())
        {
            return null;
        }

        List<ActivityLink>? links = null;
        for (var i = 1; i < batch.Count; i++)
        {
            var context = batch[i].TraceContext;
            if (context != default && context != batch[0].TraceContext && (links is null || !links.Exists(l => l.Context == context)))
            {
                (links ??= []).Add(new ActivityLink(context));
            }
        }

        return links;
    }

    private static void Describe(Activity activity, int partition, EventSubmission submission, int bodySize)
    {
        var events = submission.Events;
        activity.SetTag(MessagingTags.Partition, partition);
        activity.SetTag(MessagingTags.BodySize, bodySize);
        activity.SetTag(MessagingTags.EventCount, events.Count);
        if (events.Count == 1)
        {
            activity.SetTag(MessagingTags.Room, events[0].Room);
            activity.SetTag(MessagingTags.EventId, events[0].Id.ToString());
        }
        else if (events.All(e => e.Room == events[0].Room))
        {
            activity.SetTag(MessagingTags.Room, events[0].Room);
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "{Count} events not confirmed by the broker within {TimeoutMs} ms")]
    private static partial void LogNotConfirmed(ILogger logger, int count, double timeoutMs);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning,
        Message = "The broker refused (nack) {Count} events for partition {Partition}: its queue holds its most messages ({MaxQueuedMessages}) or could not store them")]
    private static partial void LogNacked(ILogger logger, int partition, int count, int maxQueuedMessages);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Submitting {Count} events failed")]
    private static partial void LogSubmitFailed(ILogger logger, Exception exception, int count);
}

using System.Diagnostics;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.Messaging.Tracing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Fanout.Messaging;

/// <summary>
/// <see cref="IEventSubmitter"/> over RabbitMQ: one persistent, mandatory, publisher-confirmed message per
/// partition touched by the call, published to <see cref="BrokerNames.SubmitExchange"/>. Returns only when
/// every message is confirmed; a nack, a return (no queue bound) or no confirm within
/// <see cref="SubmitterOptions.AcceptTimeoutMs"/> throws <see cref="SubmissionUnavailableException"/>.
/// With tracing on, each message is a <c>publish fanout.submit</c> span (until confirmed) whose context travels in the
/// message's <c>traceparent</c> header to the sequencer.
/// </summary>
public sealed partial class RabbitMqEventSubmitter : IEventSubmitter
{
    private readonly PublisherChannelPool _channels;
    private readonly ILogger<RabbitMqEventSubmitter> _logger;
    private readonly int _partitions;
    private readonly TimeSpan _acceptTimeout;

    public RabbitMqEventSubmitter(
        PublisherChannelPool channels,
        IOptions<TopologyOptions> topology,
        IOptions<SubmitterOptions> options,
        ILogger<RabbitMqEventSubmitter> logger)
    {
        _channels = channels;
        _logger = logger;
        _partitions = topology.Value.Partitions;
        _acceptTimeout = TimeSpan.FromMilliseconds(options.Value.AcceptTimeoutMs);
    }

    public async Task SubmitAsync(IReadOnlyList<SubmittedEvent> events, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_acceptTimeout);
        try
        {
            var parts = SplitByPartition(events);
            if (parts.Count == 1)
            {
                await PublishAsync(parts[0].Partition, parts[0].Submission, timeout.Token);
            }
            else
            {
                await Task.WhenAll(parts.Select(part => PublishAsync(part.Partition, part.Submission, timeout.Token)));
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

    private List<(int Partition, EventSubmission Submission)> SplitByPartition(IReadOnlyList<SubmittedEvent> events)
    {
        if (_partitions == 1)
        {
            return [(0, new EventSubmission(events))];
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

        return order.Select(partition => (partition, new EventSubmission(byPartition[partition]))).ToList();
    }

    private async Task PublishAsync(int partition, EventSubmission submission, CancellationToken cancellationToken)
    {
        // Serializing cannot fail for validated events; if it does, it is a bug, not an outage: it is not caught above.
        var body = MessageSerializer.Serialize(submission);
        var routingKey = BrokerNames.PartitionRoutingKey(partition);
        using var activity = MessagingActivity.StartPublish(MessagingActivity.Source, MessagingActivity.PublishSubmit, BrokerNames.SubmitExchange, routingKey);
        if (activity is { IsAllDataRequested: true })
        {
            Describe(activity, partition, submission, body.Length);
        }

        // Properties of their own for every message, never a shared instance: on a confirm channel RabbitMQ.Client
        // writes the publish sequence number into the headers of the properties it is given (and creates them when
        // there are none), which concurrent publishes would overwrite in a shared dictionary.
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "application/json",
            Headers = MessagingActivity.TraceHeaders(MessagingActivity.Source, activity),
        };
        var channel = await _channels.RentAsync(cancellationToken);
        var broken = true;
        try
        {
            await channel.BasicPublishAsync(BrokerNames.SubmitExchange, routingKey,
                mandatory: true, basicProperties: properties, body: body, cancellationToken: cancellationToken);
            broken = false;
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

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Submitting {Count} events failed")]
    private static partial void LogSubmitFailed(ILogger logger, Exception exception, int count);
}

using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Fanout.Messaging;

/// <summary>
/// <see cref="IEventSubmitter"/> over RabbitMQ: one persistent, mandatory, publisher-confirmed message per
/// partition touched by the call, published to <see cref="BrokerNames.SubmitExchange"/>. Returns only when
/// every message is confirmed; a nack, a return (no queue bound) or no confirm within
/// <see cref="SubmitterOptions.AcceptTimeoutMs"/> throws <see cref="SubmissionUnavailableException"/>.
/// </summary>
public sealed partial class RabbitMqEventSubmitter : IEventSubmitter
{
    private static readonly BasicProperties Persistent = new() { Persistent = true, ContentType = "application/json" };

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
        var channel = await _channels.RentAsync(cancellationToken);
        var broken = true;
        try
        {
            await channel.BasicPublishAsync(BrokerNames.SubmitExchange, BrokerNames.PartitionRoutingKey(partition),
                mandatory: true, basicProperties: Persistent, body: body, cancellationToken: cancellationToken);
            broken = false;
        }
        finally
        {
            _channels.Return(channel, broken);
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "{Count} events not confirmed by the broker within {TimeoutMs} ms")]
    private static partial void LogNotConfirmed(ILogger logger, int count, double timeoutMs);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Submitting {Count} events failed")]
    private static partial void LogSubmitFailed(ILogger logger, Exception exception, int count);
}

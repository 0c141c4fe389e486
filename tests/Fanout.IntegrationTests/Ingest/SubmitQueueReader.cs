using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.Messaging;
using Fanout.Testing;
using Fanout.Testing.Servers;
using RabbitMQ.Client;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>
/// Takes what Ingest submitted off the partition queues of a test vhost: every message read is remembered, so a
/// test can look for its own events among those of earlier tests of the same fixture.
/// </summary>
public sealed class SubmitQueueReader(RabbitMqVhost vhost) : IAsyncDisposable
{
    private readonly Dictionary<int, List<SubmittedEvent>> _seen = [];
    private IConnection? _connection;
    private IChannel? _channel;

    public static int PartitionOf(string room) => RoomPartitioner.PartitionOf(room, IngestAppFixture.Partitions);

    /// <summary>Waits until the broker reports messages in the room's partition queue, then until <paramref name="id"/> is among them.</summary>
    public async Task<SubmittedEvent> WaitForAsync(string room, Guid id)
    {
        var partition = PartitionOf(room);
        await Eventually.HoldsAsync(
            async () => await vhost.GetQueueDepthAsync(BrokerNames.SubmitQueue(partition)) > 0 || Seen(partition).Any(e => e.Id == id),
            $"partition queue {partition} holds a message");
        SubmittedEvent? found = null;
        await Eventually.HoldsAsync(
            async () => (found = (await ReadAsync(partition)).LastOrDefault(e => e.Id == id)) is not null,
            $"event {id} of room {room} is in partition queue {partition}");
        return found!;
    }

    /// <summary>Every event read so far from the partition's queue, including new messages; in queue order.</summary>
    public async Task<IReadOnlyList<SubmittedEvent>> ReadAsync(int partition)
    {
        var channel = await ChannelAsync();
        while (await channel.BasicGetAsync(BrokerNames.SubmitQueue(partition), autoAck: true) is { } message)
        {
            Seen(partition).AddRange(MessageSerializer.Deserialize<EventSubmission>(message.Body.Span).Events);
        }

        return Seen(partition);
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private List<SubmittedEvent> Seen(int partition)
    {
        if (!_seen.TryGetValue(partition, out var list))
        {
            list = [];
            _seen[partition] = list;
        }

        return list;
    }

    private async Task<IChannel> ChannelAsync()
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }

        _connection ??= await vhost.ConnectAsync();
        _channel = await _connection.CreateChannelAsync();
        return _channel;
    }
}

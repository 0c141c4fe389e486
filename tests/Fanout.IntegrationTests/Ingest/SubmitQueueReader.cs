using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.Messaging;
using Fanout.Testing;
using Fanout.Testing.Servers;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>
/// Takes what Ingest submitted off the partition queues of a test vhost: every message read is remembered, so a
/// test can look for its own events among those of earlier tests of the same fixture. The partition queues are quorum
/// queues with a single active consumer, which refuse <c>basic.get</c>: each partition read is a consumer, and a read
/// is complete once a marker message published behind the others has come through (the queue is FIFO).
/// </summary>
public sealed class SubmitQueueReader(RabbitMqVhost vhost) : IAsyncDisposable
{
    private const string MarkerType = "test-marker";

    private readonly Lock _lock = new();
    private readonly Dictionary<int, List<SubmittedEvent>> _seen = [];
    private readonly HashSet<string> _markers = [];
    private readonly HashSet<int> _consuming = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _consumerChannel;
    private IChannel? _markerChannel;

    public static int PartitionOf(string room) => RoomPartitioner.PartitionOf(room, IngestAppFixture.Partitions);

    /// <summary>Waits until <paramref name="id"/> of <paramref name="room"/> has been read from its partition queue.</summary>
    public async Task<SubmittedEvent> WaitForAsync(string room, Guid id)
    {
        var partition = PartitionOf(room);
        SubmittedEvent? found = null;
        await Eventually.HoldsAsync(
            async () => (found = (await ReadAsync(partition)).LastOrDefault(e => e.Id == id)) is not null,
            $"event {id} of room {room} is in partition queue {partition}");
        return found!;
    }

    /// <summary>Every event read so far from the partition's queue, including every message it holds now; in queue order.</summary>
    public async Task<IReadOnlyList<SubmittedEvent>> ReadAsync(int partition)
    {
        await _gate.WaitAsync();
        try
        {
            await ConsumeAsync(partition);
            var marker = Guid.NewGuid().ToString("N");
            await Eventually.HoldsAsync(async () => await TryPublishMarkerAsync(partition, marker), $"a marker is queued behind partition {partition}'s messages");
            await Eventually.HoldsAsync(() => Seen(partition, marker), $"partition {partition}'s messages up to the marker are read");
            lock (_lock)
            {
                return [.. _seen.GetValueOrDefault(partition) ?? []];
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in new[] { _consumerChannel, _markerChannel })
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private bool Seen(int partition, string marker)
    {
        lock (_lock)
        {
            return _markers.Contains($"{partition}/{marker}");
        }
    }

    private async Task ConsumeAsync(int partition)
    {
        if (_consumerChannel is not { IsOpen: true })
        {
            _connection ??= await vhost.ConnectAsync();
            _consumerChannel = await _connection.CreateChannelAsync();
            _consuming.Clear();
        }

        if (!_consuming.Add(partition))
        {
            return;
        }

        var consumer = new AsyncEventingBasicConsumer(_consumerChannel);
        consumer.ReceivedAsync += (_, args) =>
        {
            lock (_lock)
            {
                if (args.BasicProperties.Type == MarkerType)
                {
                    _markers.Add($"{partition}/{System.Text.Encoding.UTF8.GetString(args.Body.Span)}");
                }
                else
                {
                    if (!_seen.TryGetValue(partition, out var list))
                    {
                        _seen[partition] = list = [];
                    }

                    list.AddRange(MessageSerializer.Deserialize<EventSubmission>(args.Body.Span).Events);
                }
            }

            return Task.CompletedTask;
        };
        await _consumerChannel.BasicConsumeAsync(BrokerNames.SubmitQueue(partition), autoAck: true, consumer);
    }

    /// <summary>Publishes the marker with a confirm; false when the broker refused it (a full queue still draining).</summary>
    private async Task<bool> TryPublishMarkerAsync(int partition, string marker)
    {
        if (_markerChannel is not { IsOpen: true })
        {
            _markerChannel = await _connection!.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        }

        try
        {
            await _markerChannel.BasicPublishAsync(string.Empty, BrokerNames.SubmitQueue(partition), mandatory: true,
                new BasicProperties { Type = MarkerType }, System.Text.Encoding.UTF8.GetBytes(marker));
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.PublishException)
        {
            return false;
        }
    }
}

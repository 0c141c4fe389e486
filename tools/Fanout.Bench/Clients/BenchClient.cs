using Fanout.Bench.Metrics;
using Fanout.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace Fanout.Bench.Clients;

/// <summary>
/// One subscriber: a hub connection to its node, subscribed to its one room, feeding its <see cref="ClientLedger"/>
/// and the shared <see cref="DeliveryCounters"/>. A reconnect opens a new connection and resubscribes from the last
/// seq seen.
/// </summary>
public sealed class BenchClient(int index, int roomIndex, string room, Uri hubUrl, string accessToken, int rooms, DeliveryCounters counters)
{
    private HubConnection? _connection;
    private volatile bool _stopping;
    private int _unexpectedCloses;

    public int Index { get; } = index;

    public int RoomIndex { get; } = roomIndex;

    public string Room { get; } = room;

    public Uri HubUrl { get; } = hubUrl;

    public ClientLedger Ledger { get; } = new(roomIndex, rooms);

    public int UnexpectedCloses => Volatile.Read(ref _unexpectedCloses);

    /// <summary>Connects and subscribes: from now on the first time, from the last seq seen (and epoch) on a resubscribe.</summary>
    public async Task<SubscribeReply> ConnectAndSubscribeAsync(bool resume, CancellationToken cancellationToken)
    {
        var connection = FanoutHubConnections.Create(HubUrl, () => Task.FromResult<string?>(accessToken));
        connection.ServerTimeout = TimeSpan.FromSeconds(60);
        connection.On<BenchEvent>("event", OnEvent);
        connection.Closed += _ =>
        {
            if (!_stopping)
            {
                Interlocked.Increment(ref _unexpectedCloses);
            }

            return Task.CompletedTask;
        };
        _stopping = false;
        _connection = connection;
        await connection.StartAsync(cancellationToken);
        long? afterSeq = resume ? Ledger.LastSeq : null;
        var epoch = resume ? Ledger.Epoch : null;
        var reply = await connection.InvokeAsync<SubscribeReply>("Subscribe", Room, afterSeq, epoch, cancellationToken);
        Ledger.SubscribedAt(resume ? 0 : reply.LastSeq, reply.Epoch);
        return reply;
    }

    /// <summary>Closes the connection (not counted as unexpected).</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                await connection.DisposeAsync();
            }
            catch (Exception)
            {
                // A connection that failed to start or already died has nothing left to close.
            }
        }
    }

    private void OnEvent(BenchEvent message)
    {
        var receivedAt = BenchClock.NowMs;
        if (message.Data is not { } data || !string.Equals(message.Room, Room, StringComparison.Ordinal))
        {
            Ledger.Record(-1, 0, null);
            return;
        }

        var copies = Ledger.Record(data.K, message.Seq, message.Epoch);
        counters.Received(data, copies, receivedAt);
    }
}

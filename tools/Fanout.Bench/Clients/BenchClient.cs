using Fanout.Bench.Metrics;
using Fanout.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace Fanout.Bench.Clients;

/// <summary>
/// One subscriber: a hub connection to its node (<see cref="ClientKind"/>), subscribed to its one room, feeding its
/// <see cref="ClientLedger"/> and the shared <see cref="DeliveryCounters"/>. A reconnect opens a new connection and
/// resubscribes from the last seq seen.
/// </summary>
public sealed class BenchClient(
    int index, int roomIndex, string room, Uri hubUrl, string accessToken, int rooms, DeliveryCounters counters, ClientKind kind,
    TokenPlacement tokenIn)
{
    private HubConnection? _connection;
    private LeanHubConnection? _lean;
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
        _stopping = false;
        long? afterSeq = resume ? Ledger.LastSeq : null;
        var epoch = resume ? Ledger.Epoch : null;
        SubscribeReply reply;
        if (kind == ClientKind.Lean)
        {
            var lean = await LeanHubConnection.ConnectAsync(HubUrl, accessToken, tokenIn, OnEvent, _ => OnClosed(), cancellationToken);
            _lean = lean;
            reply = await lean.InvokeAsync<SubscribeReply>("Subscribe", [Room, afterSeq, epoch], cancellationToken);
        }
        else
        {
            var connection = FanoutHubConnections.Create(HubUrl, () => Task.FromResult<string?>(accessToken));
            connection.ServerTimeout = TimeSpan.FromSeconds(60);
            connection.On<BenchEvent>("event", OnEvent);
            connection.Closed += _ =>
            {
                OnClosed();
                return Task.CompletedTask;
            };
            _connection = connection;
            await connection.StartAsync(cancellationToken);
            reply = await connection.InvokeAsync<SubscribeReply>("Subscribe", Room, afterSeq, epoch, cancellationToken);
        }

        Ledger.SubscribedAt(resume ? 0 : reply.LastSeq, reply.Epoch);
        return reply;
    }

    /// <summary>Closes the connection (not counted as unexpected).</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        if (_lean is { } lean)
        {
            _lean = null;
            await lean.DisposeAsync();
        }

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

    private void OnClosed()
    {
        if (!_stopping)
        {
            Interlocked.Increment(ref _unexpectedCloses);
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

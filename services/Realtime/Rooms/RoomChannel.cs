using System.Threading.Channels;
using Fanout.Contracts.Wire;
using Fanout.History;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// One room on this node: the members that are live, the ones still replaying, and <see cref="LastSeq"/>, the
/// newest event delivered to the live members. Everything that changes it runs under <see cref="Gate"/>, so
/// live delivery, catch-up, joins and leaves of a room happen one at a time and every member sees the room's
/// events in seq order, each once: an event with seq &lt;= LastSeq is dropped, and a gap is filled from history
/// before anything after it is delivered.
/// </summary>
public sealed class RoomChannel
{
    private readonly IRoomSender _sender;
    private readonly IHistoryReader _history;
    private readonly int _pageSize;
    private readonly Channel<IReadOnlyList<RoomEvent>> _incoming = Channel.CreateUnbounded<IReadOnlyList<RoomEvent>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly Dictionary<string, List<RoomEvent>> _replaying = new(StringComparer.Ordinal);
    private readonly HashSet<string> _live = new(StringComparer.Ordinal);

    public RoomChannel(string room, IRoomSender sender, IHistoryReader history, int pageSize)
    {
        Room = room;
        _sender = sender;
        _history = history;
        _pageSize = pageSize;
    }

    public string Room { get; }

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The room's epoch as this node knows it ("" while the room has no history).</summary>
    public string Epoch { get; private set; } = string.Empty;

    public long LastSeq { get; private set; }

    /// <summary>Connections holding this room (live or replaying); the registry drops the room at zero.</summary>
    public int References { get; set; }

    public bool IsInitialized { get; private set; }

    public bool IsClosed { get; private set; }

    public int LiveCount => _live.Count;

    /// <summary>Sets the starting position, read from history after the node's binding for the room was in place.</summary>
    public void Initialize(RoomPosition position)
    {
        Epoch = position.Epoch;
        LastSeq = position.LastSeq;
        IsInitialized = true;
    }

    public void Close()
    {
        IsClosed = true;
        _incoming.Writer.TryComplete();
    }

    /// <summary>Queues routed events (consecutive, one room); <see cref="RunAsync"/> delivers them in order.</summary>
    public void Enqueue(IReadOnlyList<RoomEvent> events) => _incoming.Writer.TryWrite(events);

    /// <summary>Delivers queued events until the room is closed.</summary>
    public async Task RunAsync(Action<Exception> onError)
    {
        await foreach (var events in _incoming.Reader.ReadAllAsync())
        {
            await Gate.WaitAsync();
            try
            {
                if (!IsClosed && IsInitialized)
                {
                    await DeliverAsync(events);
                }
            }
            catch (Exception ex)
            {
                onError(ex);
            }
            finally
            {
                Gate.Release();
            }
        }
    }

    /// <summary>Under <see cref="Gate"/>: delivers routed events, filling any gap before them from history.</summary>
    public async Task DeliverAsync(IReadOnlyList<RoomEvent> events)
    {
        foreach (var roomEvent in events)
        {
            if (roomEvent.Epoch != Epoch && Epoch.Length > 0)
            {
                // The room's history was reset: a new epoch starts its seqs again.
                Epoch = roomEvent.Epoch;
                LastSeq = 0;
            }

            Epoch = roomEvent.Epoch;
            if (roomEvent.Seq <= LastSeq)
            {
                continue;
            }

            if (roomEvent.Seq > LastSeq + 1)
            {
                await FillFromHistoryAsync(roomEvent.Seq - 1);
                if (roomEvent.Seq <= LastSeq)
                {
                    continue;
                }
            }

            await DeliverOneAsync(roomEvent);
        }
    }

    /// <summary>Under <see cref="Gate"/>: delivers everything history has beyond <see cref="LastSeq"/>.</summary>
    public Task CatchUpAsync() => FillFromHistoryAsync(long.MaxValue);

    /// <summary>Under <see cref="Gate"/>: makes a connection a live member from the room's current position.</summary>
    public async Task JoinLiveAsync(string connectionId)
    {
        await _sender.AddToRoomAsync(connectionId, Room);
        _live.Add(connectionId);
    }

    /// <summary>Under <see cref="Gate"/>: starts buffering live events for a connection that replays history first.</summary>
    public void StartReplay(string connectionId) => _replaying[connectionId] = [];

    /// <summary>
    /// Under <see cref="Gate"/>: ends a replay that delivered up to <paramref name="replayedUpTo"/>. The connection may
    /// be ahead of the room here (history had events whose routed messages have not reached this node yet), so the
    /// room first catches up from history to where the connection is — otherwise those events would reach it again
    /// through the live group. Then the live events buffered meanwhile that come after its position are sent, and the
    /// connection becomes a live member. Returns the seq the connection is at and how many buffered events it got.
    /// </summary>
    public async Task<(long Position, int Sent)> FinishReplayAsync(string connectionId, long replayedUpTo)
    {
        if (!_replaying.ContainsKey(connectionId))
        {
            // The connection left (or closed) while replaying: it must not become a live member.
            throw new Microsoft.AspNetCore.SignalR.HubException("Subscribe: the subscription ended while replaying");
        }

        if (replayedUpTo > LastSeq)
        {
            await FillFromHistoryAsync(replayedUpTo);
        }

        _replaying.Remove(connectionId, out var buffered);
        var position = replayedUpTo;
        var sent = 0;
        foreach (var roomEvent in buffered!)
        {
            if (roomEvent.Seq > position)
            {
                await _sender.SendToConnectionAsync(connectionId, roomEvent);
                position = roomEvent.Seq;
                sent++;
            }
        }

        await JoinLiveAsync(connectionId);
        return (Math.Max(position, LastSeq), sent);
    }

    /// <summary>Under <see cref="Gate"/>: removes a connection, live or replaying. True when it was a member.</summary>
    public async Task<bool> LeaveAsync(string connectionId)
    {
        var wasReplaying = _replaying.Remove(connectionId);
        var wasLive = _live.Remove(connectionId);
        if (wasLive)
        {
            await _sender.RemoveFromRoomAsync(connectionId, Room);
        }

        return wasLive || wasReplaying;
    }

    private async Task FillFromHistoryAsync(long upTo)
    {
        while (LastSeq < upTo)
        {
            var page = await _history.ReadAfterAsync(Room, LastSeq, _pageSize, CancellationToken.None);
            var progressed = false;
            foreach (var roomEvent in page.Events)
            {
                if (roomEvent.Seq > upTo)
                {
                    break;
                }

                if (roomEvent.Seq > LastSeq)
                {
                    // History is consecutive; a jump here means older events were trimmed away.
                    await DeliverOneAsync(roomEvent);
                    progressed = true;
                }
            }

            if (!progressed || LastSeq >= page.Position.LastSeq)
            {
                return;
            }
        }
    }

    private async Task DeliverOneAsync(RoomEvent roomEvent)
    {
        Epoch = roomEvent.Epoch;
        LastSeq = roomEvent.Seq;
        foreach (var buffer in _replaying.Values)
        {
            buffer.Add(roomEvent);
        }

        if (_live.Count > 0)
        {
            await _sender.SendToRoomAsync(Room, roomEvent);
        }
    }
}

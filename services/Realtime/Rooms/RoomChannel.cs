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
public sealed partial class RoomChannel
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
}

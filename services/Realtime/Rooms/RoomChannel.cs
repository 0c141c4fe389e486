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
    private readonly RoomEventCache? _cache;
    private readonly int _pageSize;
    private readonly Channel<IReadOnlyList<RoomEvent>> _incoming = Channel.CreateUnbounded<IReadOnlyList<RoomEvent>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly Dictionary<string, List<RoomEvent>> _replaying = new(StringComparer.Ordinal);
    private readonly HashSet<string> _live = new(StringComparer.Ordinal);

    /// <param name="cache">Fed with every event the room delivers (the hot cache for replays); none in some tests.</param>
    public RoomChannel(string room, IRoomSender sender, IHistoryReader history, int pageSize, RoomEventCache? cache = null)
    {
        Room = room;
        _sender = sender;
        _history = history;
        _pageSize = pageSize;
        _cache = cache;
    }

    public string Room { get; }

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The room's epoch as this node knows it (from history when the room was created here, then from its events).</summary>
    public string Epoch { get; private set; } = string.Empty;

    public long LastSeq { get; private set; }

    /// <summary>The room's first retained seq as history last said (at creation here, then every position check).</summary>
    public long FirstSeq { get; private set; } = 1;

    /// <summary>Under <see cref="Gate"/>: where the room stands on this node.</summary>
    public RoomPosition Position => new(Epoch, LastSeq) { FirstSeq = FirstSeq };

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
        FirstSeq = position.FirstSeq;
        IsInitialized = true;
    }

    /// <summary>Takes the room's first retained seq from history (retention moved it), if history is at the node's epoch.</summary>
    public void ObserveRetention(RoomPosition position)
    {
        if (position.Epoch == Epoch)
        {
            FirstSeq = position.FirstSeq;
        }
    }

    /// <summary>
    /// Under <see cref="Gate"/>: adopts a new epoch history shows (the history was reset, or the database restored).
    /// The node's position goes back to history's if history is behind it (a restored database), so that the new
    /// epoch's events are not dropped as already delivered.
    /// </summary>
    public void AdoptEpoch(RoomPosition position)
    {
        Epoch = position.Epoch;
        LastSeq = Math.Min(LastSeq, position.LastSeq);
        FirstSeq = position.FirstSeq;
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

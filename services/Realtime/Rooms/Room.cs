using System.Threading.Channels;
using Fanout.Contracts.Wire;
using Fanout.History;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// One room on this node, and the sole owner of its lock, its position (epoch and the newest seq delivered here), its
/// members (live, or replaying history first) and the replay → live handshake. Its public surface is small:
/// <see cref="SubscribeAsync"/> (with or without a position), <see cref="LeaveAsync"/>, <see cref="Deliver"/> (routed
/// events), <see cref="CatchUp"/> and <see cref="ObservePositionAsync"/> (what history says). Everything that changes the
/// room runs under its one lock, so live delivery, catch-up, joins and leaves happen one at a time and every member sees
/// the room's events in seq order, each once: an event at or below the position is dropped, a gap is filled from
/// history before anything after it, and an event of another epoch is taken only when history confirms that epoch.
/// The subscribe handshake reads top to bottom in <c>Room.Subscribe.cs</c>; delivery in <c>Room.Delivery.cs</c>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001",
    Justification = "The lock is a SemaphoreSlim whose wait handle is never created: nothing to dispose.")]
public sealed partial class Room
{
    private readonly RoomContext _context;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Channel<Inbound> _inbound = Channel.CreateUnbounded<Inbound>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    // Under _lock.
    private readonly Dictionary<string, ReplayBuffer> _replaying = new(StringComparer.Ordinal);
    private readonly HashSet<string> _live = new(StringComparer.Ordinal);
    private string _epoch = string.Empty;
    private long _lastSeq;
    private long _firstSeq = 1;
    private int _references;
    private int _liveCount;
    private bool _initialized;
    private bool _closed;

    // Set when routed events were dropped for the inbound budget: a catch-up from history is queued (once).
    private int _catchUpQueued;

    // Routed batches queued and not yet delivered: while there are any, later ones queue behind them.
    private int _queuedBatches;

    private volatile RoomPosition _position = RoomPosition.Empty;

    public Room(string name, RoomContext context)
    {
        Name = name;
        _context = context;
    }

    public string Name { get; }

    /// <summary>Where the room stands on this node (a snapshot; it may move on at once).</summary>
    public RoomPosition Position => _position;

    /// <summary>Connections holding the room (live or replaying); read for gauges.</summary>
    public int References => Volatile.Read(ref _references);

    /// <summary>True once its last reference was dropped (the registry then holds it no more).</summary>
    internal bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>Live members; read for gauges and tests.</summary>
    public int LiveCount => Volatile.Read(ref _liveCount);

    /// <summary>
    /// Delivers routed events (consecutive, of this room; called by one router thread at a time), in order: at once on the
    /// caller's thread when the room is free and nothing is queued before them (no thread hop: the writes to connections
    /// complete synchronously while their transports have room), else queued behind what is. Beyond the node's inbound
    /// budget queued events are dropped and the room catches up from history instead, which holds every one of them.
    /// </summary>
    public void Deliver(IReadOnlyList<RoomEvent> events)
    {
        if (Volatile.Read(ref _queuedBatches) == 0 && _lock.Wait(0))
        {
            DeliverInline(events);
            return;
        }

        var bytes = RoomEventSize.Of(events);
        if (!_context.Inbound.TryReserve(bytes))
        {
            Metrics.RealtimeMetrics.InboundDropped(events.Count);
            CatchUp();
            return;
        }

        Interlocked.Increment(ref _queuedBatches);
        if (!_inbound.Writer.TryWrite(new Inbound(events, bytes)))
        {
            Interlocked.Decrement(ref _queuedBatches);
            _context.Inbound.Release(bytes);
        }
    }

    /// <summary>Holding the lock: delivers on this thread; a delivery that has to wait (a gap filled from history) finishes on its own.</summary>
    private void DeliverInline(IReadOnlyList<RoomEvent> events)
    {
        Task delivering;
        try
        {
            delivering = _closed || !_initialized ? Task.CompletedTask : DeliverLockedAsync(events);
        }
        catch (Exception ex)
        {
            _lock.Release();
            RealtimeLog.DeliveryFailed(_context.Logger, ex, Name);
            return;
        }

        if (delivering.IsCompleted)
        {
            _lock.Release();
            if (delivering.Exception is { } failed)
            {
                RealtimeLog.DeliveryFailed(_context.Logger, failed.GetBaseException(), Name);
            }

            return;
        }

        _ = FinishInlineAsync(delivering);
    }

    private async Task FinishInlineAsync(Task delivering)
    {
        try
        {
            await delivering;
        }
        catch (Exception ex)
        {
            RealtimeLog.DeliveryFailed(_context.Logger, ex, Name);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Queues a catch-up: delivers whatever history holds beyond the room's position (at most one queued).</summary>
    public void CatchUp()
    {
        if (Interlocked.Exchange(ref _catchUpQueued, 1) == 0 && !_inbound.Writer.TryWrite(new Inbound(null, 0)))
        {
            Volatile.Write(ref _catchUpQueued, 0);
        }
    }

    /// <summary>Delivers what was queued, in order, until the room is closed; started by the registry.</summary>
    internal async Task RunAsync(Action<Exception> onError)
    {
        await foreach (var inbound in _inbound.Reader.ReadAllAsync())
        {
            _context.Inbound.Release(inbound.Bytes);
            if (inbound.Events is null)
            {
                Volatile.Write(ref _catchUpQueued, 0);
            }

            await _lock.WaitAsync();
            try
            {
                if (!_closed && _initialized)
                {
                    if (inbound.Events is { } events)
                    {
                        await DeliverLockedAsync(events);
                    }
                    else
                    {
                        await FillFromHistoryAsync(long.MaxValue);
                    }
                }
            }
            catch (Exception ex)
            {
                onError(ex);
            }
            finally
            {
                _lock.Release();
                if (inbound.Events is not null)
                {
                    Interlocked.Decrement(ref _queuedBatches);
                }
            }
        }
    }

    /// <summary>
    /// Takes a reference for a connection about to subscribe; the first one binds the node to the room and reads its
    /// position (<paramref name="start"/>, in that order). False when the room was closed meanwhile (take a new one).
    /// </summary>
    internal async Task<bool> TryReferenceAsync(Func<CancellationToken, Task<RoomPosition>> start, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_closed)
            {
                return false;
            }

            _references++;
            if (!_initialized)
            {
                try
                {
                    var position = await start(cancellationToken);
                    (_epoch, _lastSeq, _firstSeq) = (position.Epoch, position.LastSeq, position.FirstSeq);
                    _initialized = true;
                    Publish();
                }
                catch
                {
                    if (--_references == 0)
                    {
                        _closed = true;
                        _inbound.Writer.TryComplete();
                    }

                    throw;
                }
            }

            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Drops a reference; true when it was the last and the room is closed now (the registry unbinds it).</summary>
    internal async Task<bool> ReleaseAsync()
    {
        await _lock.WaitAsync();
        try
        {
            if (--_references > 0 || _closed)
            {
                return false;
            }

            _closed = true;
            _inbound.Writer.TryComplete();
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Under the lock: the snapshot others read.</summary>
    private void Publish() => _position = new RoomPosition(_epoch, _lastSeq) { FirstSeq = _firstSeq };

    private readonly record struct Inbound(IReadOnlyList<RoomEvent>? Events, long Bytes);
}

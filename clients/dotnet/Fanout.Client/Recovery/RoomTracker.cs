namespace Fanout.Client;

/// <summary>
/// The recovery state machine of one room, without I/O: it knows the room's position (epoch, last seq handed out),
/// says what to send on each (re)subscribe, and turns incoming events and <c>Subscribe</c> answers into
/// <see cref="RoomNotice"/>s. Guarantees: events are handed out in seq order, each once per epoch (seq &lt;= last is
/// dropped); events that arrive while a subscribe is in flight are buffered and applied by seq once its answer is known;
/// <see cref="RecoveredNotice"/> comes after the replayed events; <see cref="ResetNotice"/> comes before the live events
/// of the new position. Not thread-safe: the caller serializes calls (one lock per room).
/// </summary>
internal sealed class RoomTracker
{
    /// <summary>The reset reason when the server answered no reason (a server older than the <c>reason</c> field).</summary>
    public const string UnknownReason = "unknown";

    /// <summary>The reset reason when the server refused the position as ahead of the room.</summary>
    public const string BeyondLastSeqReason = "beyondLastSeq";

    /// <summary>The reset reason when a gap stayed open after <see cref="MaxGapRetries"/> resubscribes.</summary>
    public const string GapReason = "gap";

    /// <summary>How many resubscribes a gap gets before the tracker goes on past it with a reset.</summary>
    public const int MaxGapRetries = 3;

    private readonly List<FanoutEvent> _buffered = [];
    private readonly SortedDictionary<long, FanoutEvent> _ahead = [];
    private int _attempt;
    private bool _gapReported;
    private int _gapRetries;
    private RecoveredNotice? _pendingRecovered;
    private string? _pendingResetReason;

    /// <param name="room">The room id.</param>
    /// <param name="start">Where to resume from; null to start live from the room's position at the first subscribe.</param>
    public RoomTracker(string room, StreamPosition? start = null)
    {
        Room = room;
        LastSeq = start?.AfterSeq;
        Epoch = start?.Epoch;
    }

    public string Room { get; }

    /// <summary>The epoch of <see cref="LastSeq"/>; empty or null while the room never had an event.</summary>
    public string? Epoch { get; private set; }

    /// <summary>The seq of the last event handed out (or the position subscribed at); null before any is known.</summary>
    public long? LastSeq { get; private set; }

    public RoomTrackerState State { get; private set; } = RoomTrackerState.Idle;

    /// <summary>Starts a subscribe: from here until <see cref="Complete"/> events are buffered.</summary>
    public SubscribeRequest BeginSubscribe()
    {
        _attempt++;
        State = RoomTrackerState.Subscribing;
        ClearTransient();
        return new SubscribeRequest(_attempt, LastSeq, LastSeq is null || string.IsNullOrEmpty(Epoch) ? null : Epoch);
    }

    /// <summary>An <c>event</c> message of this room from the current connection.</summary>
    public RoomUpdate Receive(FanoutEvent roomEvent)
    {
        if (!string.Equals(roomEvent.Room, Room, StringComparison.Ordinal))
        {
            return RoomUpdate.None;
        }

        switch (State)
        {
            case RoomTrackerState.Subscribing:
                _buffered.Add(roomEvent);
                return RoomUpdate.None;
            case RoomTrackerState.Live:
                var notices = new List<RoomNotice>();
                var gap = Apply(roomEvent, notices);
                return new RoomUpdate(notices, gap);
            default:
                return RoomUpdate.None;
        }
    }

    /// <summary>
    /// The answer to subscribe attempt <paramref name="attempt"/>. Recovered: the position stays and the replayed events
    /// (buffered, or still to come) continue it. Not recovered: the position jumps to the answer's, with a reset notice
    /// when the client had a position. Then the buffered events are applied by seq.
    /// </summary>
    public RoomUpdate Complete(int attempt, SubscribeReply reply)
    {
        if (attempt != _attempt || State != RoomTrackerState.Subscribing)
        {
            return RoomUpdate.None;
        }

        var notices = new List<RoomNotice>();
        if (reply.Recovered && LastSeq is { } position)
        {
            if (string.IsNullOrEmpty(Epoch))
            {
                Epoch = reply.Epoch;
            }

            _pendingRecovered = new RecoveredNotice(reply.Replayed, reply.Epoch, reply.LastSeq);
            if (position >= reply.LastSeq)
            {
                notices.Add(_pendingRecovered);
                _pendingRecovered = null;
            }
        }
        else
        {
            var reason = LastSeq is not null ? reply.Reason ?? UnknownReason : _pendingResetReason;
            if (reason is not null)
            {
                notices.Add(new ResetNotice(reason, reply.Epoch, reply.LastSeq));
            }

            Epoch = reply.Epoch;
            LastSeq = reply.LastSeq;
        }

        _pendingResetReason = null;
        State = RoomTrackerState.Live;
        var gap = false;
        foreach (var roomEvent in _buffered.OrderBy(e => e.Seq).ToList())
        {
            gap |= Apply(roomEvent, notices);
        }

        _buffered.Clear();
        return new RoomUpdate(notices, gap);
    }

    /// <summary>
    /// The server refused the position (e.g. <see cref="BeyondLastSeqReason"/>): forget it, so the next subscribe goes
    /// live from now and its answer brings a reset notice with <paramref name="reason"/>.
    /// </summary>
    public void RejectPosition(string reason)
    {
        LastSeq = null;
        Epoch = null;
        _pendingResetReason = reason;
        State = RoomTrackerState.Idle;
        ClearTransient();
    }

    /// <summary>The connection is gone: what was buffered is dropped (the next subscribe replays it); the position stays.</summary>
    public void ConnectionLost()
    {
        State = RoomTrackerState.Idle;
        ClearTransient();
    }

    private bool Apply(FanoutEvent roomEvent, List<RoomNotice> notices)
    {
        if (!string.IsNullOrEmpty(Epoch) && !string.Equals(roomEvent.Epoch, Epoch, StringComparison.Ordinal))
        {
            // Another lifetime of the room's history: only a subscribe can tell what happened.
            return ReportGap();
        }

        var last = LastSeq ?? 0;
        if (roomEvent.Seq <= last)
        {
            return false;
        }

        if (roomEvent.Seq > last + 1)
        {
            _ahead.TryAdd(roomEvent.Seq, roomEvent);
            if (_gapReported)
            {
                return false;
            }

            if (_gapRetries < MaxGapRetries)
            {
                _gapRetries++;
                return ReportGap();
            }

            // The server kept leaving this gap open: go on from the first held event and let the application reload.
            _gapRetries = 0;
            var (firstSeq, first) = _ahead.First();
            _ahead.Remove(firstSeq);
            notices.Add(new ResetNotice(GapReason, first.Epoch, firstSeq - 1));
            roomEvent = first;
        }
        else
        {
            _gapRetries = 0;
        }

        HandOut(roomEvent, notices);
        while (_ahead.Count > 0)
        {
            var (seq, next) = _ahead.First();
            _ahead.Remove(seq);
            if (seq == LastSeq + 1)
            {
                HandOut(next, notices);
            }
            else if (seq > LastSeq + 1)
            {
                _ahead.Add(seq, next);
                break;
            }
        }

        if (_ahead.Count == 0)
        {
            _gapReported = false;
        }

        return false;
    }

    private void HandOut(FanoutEvent roomEvent, List<RoomNotice> notices)
    {
        if (string.IsNullOrEmpty(Epoch))
        {
            Epoch = roomEvent.Epoch;
        }

        LastSeq = roomEvent.Seq;
        notices.Add(new EventNotice(roomEvent));
        if (_pendingRecovered is { } recovered && roomEvent.Seq >= recovered.LastSeq)
        {
            notices.Add(recovered);
            _pendingRecovered = null;
        }
    }

    private bool ReportGap()
    {
        if (_gapReported)
        {
            return false;
        }

        _gapReported = true;
        return true;
    }

    private void ClearTransient()
    {
        _buffered.Clear();
        _ahead.Clear();
        _gapReported = false;
        _pendingRecovered = null;
    }
}

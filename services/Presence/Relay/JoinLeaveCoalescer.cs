using Fanout.PresenceStore;

namespace Fanout.Presence.Relay;

/// <summary>
/// Bounds the join/leave messages of each room with a token bucket (rate per second, burst of one second's worth).
/// Under the rate every transition is sent as it comes. Over it, transitions wait and are coalesced: per user only the
/// net change since the last message sent is kept. The store logs a user's
/// transitions alternating (join, leave, join …), so a user's waiting transitions that start and end with the same
/// action net to that action and are sent as one message; an even number (join then leave) nets to nothing and is
/// dropped. Subscribers therefore still see each user alternate. Not thread-safe: one relay loop owns it.
/// </summary>
public sealed class JoinLeaveCoalescer(TimeProvider clock)
{
    private readonly Dictionary<string, RoomBucket> _rooms = new(StringComparer.Ordinal);
    private readonly List<PresenceTransition> _ready = [];

    /// <summary>Rooms with transitions waiting for their rate.</summary>
    public int WaitingRooms => _rooms.Count(r => r.Value.Waiting.Count > 0);

    /// <summary>Queues a transition of a room whose rate is <paramref name="perSecond"/> messages per second.</summary>
    public void Add(PresenceTransition transition, double perSecond)
    {
        if (!_rooms.TryGetValue(transition.Room, out var bucket))
        {
            _rooms[transition.Room] = bucket = new RoomBucket(perSecond, clock.GetUtcNow());
        }

        bucket.PerSecond = perSecond;
        bucket.Refill(clock.GetUtcNow());
        if (bucket.Waiting.Count == 0 && bucket.Tokens >= 1)
        {
            bucket.Tokens -= 1;
            _ready.Add(transition);
        }
        else if (bucket.Waiting.TryGetValue(transition.UserId, out var waiting))
        {
            waiting.Last = transition;
        }
        else
        {
            bucket.Waiting.Add(transition.UserId, new Pending(transition));
            bucket.Order.Enqueue(transition.UserId);
        }
    }

    /// <summary>
    /// The messages that may be sent now: those that came under the rate, then per room those that waited, in the order
    /// their users' first waiting transition came.
    /// </summary>
    public IReadOnlyList<PresenceTransition> Drain()
    {
        var now = clock.GetUtcNow();
        var ready = new List<PresenceTransition>(_ready);
        _ready.Clear();
        List<string>? idle = null;
        foreach (var (room, bucket) in _rooms)
        {
            bucket.Refill(now);
            while (bucket.Order.TryPeek(out var userId))
            {
                var pending = bucket.Waiting[userId];
                var netsToNothing = pending.First.Action != pending.Last.Action;
                if (!netsToNothing && bucket.Tokens < 1)
                {
                    break;
                }

                bucket.Order.Dequeue();
                bucket.Waiting.Remove(userId);
                if (!netsToNothing)
                {
                    bucket.Tokens -= 1;
                    ready.Add(pending.Last);
                }
            }

            if (bucket.Waiting.Count == 0 && bucket.Tokens >= bucket.PerSecond)
            {
                (idle ??= []).Add(room);
            }
        }

        foreach (var room in idle ?? [])
        {
            _rooms.Remove(room);
        }

        return ready;
    }

    private sealed class Pending(PresenceTransition first)
    {
        public PresenceTransition First { get; } = first;

        public PresenceTransition Last { get; set; } = first;
    }

    private sealed class RoomBucket(double perSecond, DateTimeOffset now)
    {
        private DateTimeOffset _refilledAt = now;

        public double PerSecond { get; set; } = perSecond;

        public double Tokens { get; set; } = Math.Max(1, perSecond);

        public Dictionary<string, Pending> Waiting { get; } = new(StringComparer.Ordinal);

        public Queue<string> Order { get; } = new();

        public void Refill(DateTimeOffset now)
        {
            var burst = Math.Max(1, PerSecond);
            Tokens = Math.Min(burst, Tokens + ((now - _refilledAt).TotalSeconds * PerSecond));
            _refilledAt = now;
        }
    }
}

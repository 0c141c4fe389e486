namespace Fanout.Realtime.Auth;

/// <summary>
/// Hands each item to an action once its deadline has passed, all items sharing one timer of the given
/// <see cref="TimeProvider"/>, set for the earliest deadline, instead of a timer each. Items fall due in deadline
/// order (those with the same deadline in the order they were added), on the timer's thread, outside the lock; the
/// action must not throw. An item whose deadline has already passed falls due at once. Until it falls due, an item
/// can be withdrawn by disposing the handle <see cref="Add"/> gave. Thread-safe.
/// </summary>
public sealed class DeadlineQueue<T> : IDisposable
    where T : class
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly TimeProvider _time;
    private readonly Action<T> _due;
    private readonly SortedSet<Scheduled> _scheduled = new(Comparer<Scheduled>.Create(static (a, b) =>
        a.At != b.At ? a.At.CompareTo(b.At) : a.Order.CompareTo(b.Order)));

    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private long _added;

    public DeadlineQueue(TimeProvider time, Action<T> due)
    {
        _time = time;
        _due = due;
        _timer = time.CreateTimer(
            static state => ((DeadlineQueue<T>)state!).HandOutDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Items waiting for their deadline.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _scheduled.Count;
            }
        }
    }

    /// <summary>Schedules <paramref name="item"/> for <paramref name="at"/>; disposing the handle withdraws it.</summary>
    public IDisposable Add(T item, DateTimeOffset at)
    {
        lock (_lock)
        {
            var scheduled = new Scheduled(this, item, at, ++_added);
            _scheduled.Add(scheduled);
            if (ReferenceEquals(_scheduled.Min, scheduled))
            {
                Arm(at);
            }

            return scheduled;
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Withdraw(Scheduled scheduled)
    {
        lock (_lock)
        {
            // The timer stays set for the earliest deadline even if that one is withdrawn: it then finds nothing due
            // and sets itself for the next.
            _scheduled.Remove(scheduled);
        }
    }

    private void HandOutDue()
    {
        List<T>? due = null;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            while (_scheduled.Min is { } first && first.At <= now)
            {
                _scheduled.Remove(first);
                (due ??= []).Add(first.Item);
            }

            if (_scheduled.Min is { } next)
            {
                Arm(next.At);
            }
        }

        foreach (var item in due ?? [])
        {
            _due(item);
        }
    }

    /// <summary>
    /// Under <see cref="_lock"/>: sets the timer for <paramref name="at"/>, in whole milliseconds rounded up, or for a
    /// day from now if that is sooner (timers cannot wait beyond about 49 days; this one then sets itself again).
    /// </summary>
    private void Arm(DateTimeOffset at)
    {
        var wait = Math.Clamp(Math.Ceiling((at - _time.GetUtcNow()).TotalMilliseconds), 0, LongestWait.TotalMilliseconds);
        _timer.Change(TimeSpan.FromMilliseconds(wait), Timeout.InfiniteTimeSpan);
    }

    private sealed class Scheduled(DeadlineQueue<T> owner, T item, DateTimeOffset at, long order) : IDisposable
    {
        public T Item { get; } = item;

        public DateTimeOffset At { get; } = at;

        /// <summary>Tells apart, and orders, items with the same deadline.</summary>
        public long Order { get; } = order;

        public void Dispose() => owner.Withdraw(this);
    }
}

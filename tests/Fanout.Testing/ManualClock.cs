namespace Fanout.Testing;

/// <summary>
/// A clock that stands still until a test moves it. Its timers fire, in due order and on the test's thread, as
/// <see cref="Advance"/> passes their due time (the clock reading that time while each fires).
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> _armed = [];
    private DateTimeOffset _now = start;

    public ManualClock()
        : this(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        var until = _now + by;
        while (NextDue(until) is { } timer)
        {
            _now = timer.Due > _now ? timer.Due : _now;
            timer.Fire();
        }

        _now = until;
    }

    private ManualTimer? NextDue(DateTimeOffset until)
    {
        lock (_armed)
        {
            return _armed.Where(t => t.Due <= until).MinBy(t => t.Due);
        }
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset Due { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._armed)
            {
                clock._armed.Remove(this);
                _period = period;
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    Due = clock._now + dueTime;
                    clock._armed.Add(this);
                }
            }

            return true;
        }

        /// <summary>Disarms (or, with a period, re-arms) the timer, then calls back.</summary>
        public void Fire()
        {
            Change(_period, _period);
            callback(state);
        }

        public void Dispose() => Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

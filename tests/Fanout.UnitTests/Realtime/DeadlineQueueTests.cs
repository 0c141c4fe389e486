using Fanout.Realtime.Auth;
using Fanout.Testing;

namespace Fanout.UnitTests.Realtime;

public sealed class DeadlineQueueTests
{
    private readonly ManualClock _clock = new();
    private readonly List<string> _due = [];

    [Fact]
    public void ItemsFallDueInDeadlineOrderOnceTheirDeadlinePasses()
    {
        using var queue = Queue();
        queue.Add("late", _clock.GetUtcNow().AddSeconds(30));
        queue.Add("early", _clock.GetUtcNow().AddSeconds(10));
        queue.Add("same-time-second", _clock.GetUtcNow().AddSeconds(30));

        _clock.Advance(TimeSpan.FromSeconds(9));
        _due.ShouldBeEmpty();

        _clock.Advance(TimeSpan.FromSeconds(1));
        _due.ShouldBe(["early"]);

        _clock.Advance(TimeSpan.FromSeconds(20));
        _due.ShouldBe(["early", "late", "same-time-second"]);
        queue.Count.ShouldBe(0);
    }

    [Fact]
    public void AnItemWhoseDeadlineHasPassedFallsDueAtOnce()
    {
        using var queue = Queue();
        queue.Add("overdue", _clock.GetUtcNow().AddSeconds(-5));

        _clock.Advance(TimeSpan.Zero);

        _due.ShouldBe(["overdue"]);
    }

    [Fact]
    public void AWithdrawnItemNeverFallsDueAndTheNextOneStillDoes()
    {
        using var queue = Queue();
        var first = queue.Add("withdrawn", _clock.GetUtcNow().AddSeconds(10));
        queue.Add("kept", _clock.GetUtcNow().AddSeconds(20));

        first.Dispose();
        queue.Count.ShouldBe(1);
        _clock.Advance(TimeSpan.FromSeconds(15));
        _due.ShouldBeEmpty();

        _clock.Advance(TimeSpan.FromSeconds(5));
        _due.ShouldBe(["kept"]);
    }

    [Fact]
    public void AnEarlierItemAddedLaterMovesTheTimerForward()
    {
        using var queue = Queue();
        queue.Add("hour", _clock.GetUtcNow().AddHours(1));
        queue.Add("minute", _clock.GetUtcNow().AddMinutes(1));

        _clock.Advance(TimeSpan.FromMinutes(1));

        _due.ShouldBe(["minute"]);
    }

    [Fact]
    public void ADeadlineBeyondWhatATimerCanWaitStillFallsDue()
    {
        using var queue = Queue();
        queue.Add("year", _clock.GetUtcNow().AddDays(365));

        _clock.Advance(TimeSpan.FromDays(364.5));
        _due.ShouldBeEmpty();

        _clock.Advance(TimeSpan.FromDays(0.5));
        _due.ShouldBe(["year"]);
    }

    [Fact]
    public void WithdrawingAnItemThatFellDueDoesNothing()
    {
        using var queue = Queue();
        var item = queue.Add("done", _clock.GetUtcNow().AddSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(1));

        item.Dispose();

        _due.ShouldBe(["done"]);
        queue.Count.ShouldBe(0);
    }

    private DeadlineQueue<string> Queue() => new(_clock, _due.Add);
}

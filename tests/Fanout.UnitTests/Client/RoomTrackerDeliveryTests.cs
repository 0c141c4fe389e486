using Fanout.Client;
using static Fanout.UnitTests.Client.RoomEvents;

namespace Fanout.UnitTests.Client;

/// <summary>A live room: order, duplicates, gaps and epochs.</summary>
public sealed class RoomTrackerDeliveryTests
{
    [Fact]
    public void LiveEventsAfterThePositionAreHandedOutInOrder()
    {
        var tracker = LiveAt(5);

        tracker.Receive(Event(6)).Notices.Seqs().ShouldBe([6]);
        tracker.Receive(Event(7)).Notices.Seqs().ShouldBe([7]);
        tracker.LastSeq.ShouldBe(7);
    }

    [Fact]
    public void AnEventAtOrBeforeTheLastSeqIsDroppedAsADuplicate()
    {
        var tracker = LiveAt(5);
        tracker.Receive(Event(6));

        tracker.Receive(Event(6)).Notices.ShouldBeEmpty();
        tracker.Receive(Event(3)).Notices.ShouldBeEmpty();
        tracker.Receive(Event(5)).Notices.ShouldBeEmpty();
        tracker.LastSeq.ShouldBe(6);
    }

    [Fact]
    public void AnEventAfterAGapIsHeldBackAndAResubscribeIsAskedForOnce()
    {
        var tracker = LiveAt(5);

        var first = tracker.Receive(Event(8));
        var second = tracker.Receive(Event(7));

        first.Notices.ShouldBeEmpty();
        first.ResubscribeNeeded.ShouldBeTrue();
        second.Notices.ShouldBeEmpty();
        second.ResubscribeNeeded.ShouldBeFalse();
        tracker.LastSeq.ShouldBe(5);
    }

    [Fact]
    public void HeldBackEventsFollowAsSoonAsTheGapIsFilled()
    {
        var tracker = LiveAt(5);
        tracker.Receive(Event(9));
        tracker.Receive(Event(7));
        tracker.Receive(Event(8));

        tracker.Receive(Event(6)).Notices.Seqs().ShouldBe([6, 7, 8, 9]);
        tracker.LastSeq.ShouldBe(9);
    }

    [Fact]
    public void AGapThatStaysOpenAfterThreeResubscribesIsPassedWithAGapReset()
    {
        var tracker = LiveAt(5);
        for (var retry = 1; retry <= RoomTracker.MaxGapRetries; retry++)
        {
            tracker.Receive(Event(8)).ResubscribeNeeded.ShouldBeTrue($"resubscribe {retry}");
            var request = tracker.BeginSubscribe();
            tracker.Complete(request.Attempt, Recovered(lastSeq: 5, replayed: 0));
        }

        var update = tracker.Receive(Event(8));

        update.ResubscribeNeeded.ShouldBeFalse();
        update.Notices.Describe().ShouldBe(["reset:gap", "8"]);
        var reset = update.Notices.OfType<ResetNotice>().Single();
        reset.LastSeq.ShouldBe(7);
        tracker.Receive(Event(9)).Notices.Seqs().ShouldBe([9]);
    }

    [Fact]
    public void AFilledGapStartsTheRetryCountAgain()
    {
        var tracker = LiveAt(5);
        for (var gap = 0; gap < RoomTracker.MaxGapRetries + 2; gap++)
        {
            var next = tracker.LastSeq!.Value + 1;
            tracker.Receive(Event(next + 1)).ResubscribeNeeded.ShouldBeTrue($"gap {gap} asks for a resubscribe");
            tracker.Receive(Event(next)).Notices.Seqs().ShouldBe([next, next + 1]);
        }
    }

    [Fact]
    public void AnEventOfAnotherEpochIsNotHandedOutButAsksForAResubscribe()
    {
        var tracker = LiveAt(5);

        var update = tracker.Receive(Event(6, epoch: "e2"));

        update.Notices.ShouldBeEmpty();
        update.ResubscribeNeeded.ShouldBeTrue();
        tracker.Epoch.ShouldBe(Epoch);
    }

    [Fact]
    public void ARoomThatNeverHadAnEventTakesTheEpochOfItsFirstEvent()
    {
        var tracker = LiveAt(0, epoch: "");

        tracker.Receive(Event(1, epoch: "fresh")).Notices.Seqs().ShouldBe([1]);
        tracker.Receive(Event(2, epoch: "fresh")).Notices.Seqs().ShouldBe([2]);
        tracker.Epoch.ShouldBe("fresh");
    }

    [Fact]
    public void EventsOfAnotherRoomAreIgnored()
    {
        var tracker = LiveAt(5);

        tracker.Receive(Event(6, room: "other")).ShouldBe(RoomUpdate.None);
        tracker.LastSeq.ShouldBe(5);
    }

    [Fact]
    public void NothingIsHandedOutBeforeTheFirstSubscribeOrAfterTheConnectionIsLost()
    {
        var tracker = new RoomTracker(Room);
        tracker.Receive(Event(1)).Notices.ShouldBeEmpty();

        var live = LiveAt(5);
        live.ConnectionLost();
        live.State.ShouldBe(RoomTrackerState.Idle);
        live.Receive(Event(6)).Notices.ShouldBeEmpty();
        live.LastSeq.ShouldBe(5);
    }
}

using Fanout.Client;
using static Fanout.UnitTests.Client.RoomEvents;

namespace Fanout.UnitTests.Client;

/// <summary>Subscribing and resubscribing: what is sent, buffering while in flight, recovered and reset.</summary>
public sealed class RoomTrackerRecoveryTests
{
    [Fact]
    public void TheFirstSubscribeGoesLiveFromNowAndTheNextResumesFromTheLastEventHandedOut()
    {
        var tracker = new RoomTracker(Room);
        var first = tracker.BeginSubscribe();
        first.AfterSeq.ShouldBeNull();
        first.Epoch.ShouldBeNull();
        tracker.Complete(first.Attempt, Live(3)).Notices.ShouldBeEmpty();
        tracker.Receive(Event(4));

        tracker.ConnectionLost();
        var again = tracker.BeginSubscribe();

        again.AfterSeq.ShouldBe(4);
        again.Epoch.ShouldBe(Epoch);
        again.Attempt.ShouldBeGreaterThan(first.Attempt);
    }

    [Fact]
    public void AStartingPositionIsSentOnTheFirstSubscribe()
    {
        var request = new RoomTracker(Room, new StreamPosition(7, "e9")).BeginSubscribe();

        request.AfterSeq.ShouldBe(7);
        request.Epoch.ShouldBe("e9");
    }

    [Fact]
    public void EventsArrivingWhileASubscribeIsInFlightAreBufferedAndAppliedBySeqOnceTheAnswerIsKnown()
    {
        var tracker = LiveAt(2);
        var request = tracker.BeginSubscribe();

        tracker.Receive(Event(5)).Notices.ShouldBeEmpty();
        tracker.Receive(Event(3)).Notices.ShouldBeEmpty();
        tracker.Receive(Event(4)).Notices.ShouldBeEmpty();
        tracker.Receive(Event(3)).Notices.ShouldBeEmpty();
        var update = tracker.Complete(request.Attempt, Recovered(lastSeq: 5, replayed: 3));

        update.Notices.Describe().ShouldBe(["3", "4", "5", "recovered:3"]);
        update.ResubscribeNeeded.ShouldBeFalse();
        tracker.State.ShouldBe(RoomTrackerState.Live);
    }

    [Fact]
    public void RecoveredIsRaisedAfterTheReplayedEventsAndBeforeLiveOnesBeyondTheAnswersPosition()
    {
        var tracker = LiveAt(2);
        var request = tracker.BeginSubscribe();
        foreach (var seq in new long[] { 3, 4, 5, 6 })
        {
            tracker.Receive(Event(seq));
        }

        tracker.Complete(request.Attempt, Recovered(lastSeq: 4, replayed: 2)).Notices.Describe()
            .ShouldBe(["3", "4", "recovered:2", "5", "6"]);
    }

    [Fact]
    public void ReplayedEventsThatComeAfterTheAnswerStillPrecedeRecovered()
    {
        var tracker = LiveAt(2);
        var request = tracker.BeginSubscribe();

        tracker.Complete(request.Attempt, Recovered(lastSeq: 4, replayed: 2)).Notices.ShouldBeEmpty();
        tracker.Receive(Event(3)).Notices.Describe().ShouldBe(["3"]);
        tracker.Receive(Event(4)).Notices.Describe().ShouldBe(["4", "recovered:2"]);
        tracker.Receive(Event(5)).Notices.Describe().ShouldBe(["5"]);
    }

    [Fact]
    public void ARecoveryWithNothingMissedIsRaisedAtOnce()
    {
        var tracker = LiveAt(2);
        var request = tracker.BeginSubscribe();

        tracker.Complete(request.Attempt, Recovered(lastSeq: 2, replayed: 0)).Notices.Describe().ShouldBe(["recovered:0"]);
    }

    [Fact]
    public void AResubscribeTheServerCouldNotRecoverRaisesResetAndGoesLiveFromTheReturnedPosition()
    {
        var tracker = LiveAt(2);
        var request = tracker.BeginSubscribe();
        tracker.Receive(Event(11, epoch: "e2"));
        tracker.Receive(Event(10, epoch: "e2"));

        var update = tracker.Complete(request.Attempt, NotRecovered(lastSeq: 9, reason: "epochChanged", epoch: "e2"));

        update.Notices.Describe().ShouldBe(["reset:epochChanged", "10", "11"]);
        var reset = update.Notices.OfType<ResetNotice>().Single();
        (reset.Epoch, reset.LastSeq).ShouldBe(("e2", 9L));
        (tracker.Epoch, tracker.LastSeq).ShouldBe(("e2", 11L));
    }

    [Fact]
    public void BufferedEventsAtOrBeforeAResetPositionAreDropped()
    {
        var tracker = LiveAt(2);
        var request = tracker.BeginSubscribe();
        tracker.Receive(Event(40));
        tracker.Receive(Event(41));

        tracker.Complete(request.Attempt, NotRecovered(lastSeq: 40, reason: "trimmed")).Notices.Describe()
            .ShouldBe(["reset:trimmed", "41"]);
    }

    [Fact]
    public void GoingLiveWithoutAPositionIsNotAReset()
    {
        var tracker = new RoomTracker(Room);
        var request = tracker.BeginSubscribe();
        tracker.Receive(Event(4));

        tracker.Complete(request.Attempt, Live(3)).Notices.Describe().ShouldBe(["4"]);
    }

    [Fact]
    public void APositionTheServerRefusedLeadsToASubscribeFromNowAndAResetWithTheRefusalsReason()
    {
        var tracker = new RoomTracker(Room, new StreamPosition(99, Epoch));
        tracker.BeginSubscribe();

        tracker.RejectPosition(RoomTracker.BeyondLastSeqReason);
        var request = tracker.BeginSubscribe();

        request.AfterSeq.ShouldBeNull();
        tracker.Complete(request.Attempt, Live(5)).Notices.Describe().ShouldBe(["reset:beyondLastSeq"]);
        tracker.LastSeq.ShouldBe(5);
    }

    [Fact]
    public void AResetFromAServerThatGivesNoReasonSaysUnknown()
    {
        var tracker = LiveAt(2);
        var request = tracker.BeginSubscribe();

        tracker.Complete(request.Attempt, NotRecovered(lastSeq: 7, reason: null)).Notices.Describe().ShouldBe(["reset:unknown"]);
    }

    [Fact]
    public void AnAnswerToAnOlderAttemptIsIgnored()
    {
        var tracker = LiveAt(2);
        var older = tracker.BeginSubscribe();
        var newer = tracker.BeginSubscribe();
        tracker.Receive(Event(3));

        tracker.Complete(older.Attempt, Recovered(lastSeq: 3, replayed: 1)).ShouldBe(RoomUpdate.None);
        tracker.State.ShouldBe(RoomTrackerState.Subscribing);
        tracker.Complete(newer.Attempt, Recovered(lastSeq: 3, replayed: 1)).Notices.Describe().ShouldBe(["3", "recovered:1"]);
    }

    [Fact]
    public void WhatWasBufferedWhenTheConnectionWasLostIsReplayedNotKept()
    {
        var tracker = LiveAt(2);
        var lost = tracker.BeginSubscribe();
        tracker.Receive(Event(3));
        tracker.ConnectionLost();
        tracker.Complete(lost.Attempt, Recovered(lastSeq: 3, replayed: 1)).ShouldBe(RoomUpdate.None);

        var request = tracker.BeginSubscribe();
        request.AfterSeq.ShouldBe(2);
        tracker.Complete(request.Attempt, Recovered(lastSeq: 2, replayed: 0)).Notices.Describe().ShouldBe(["recovered:0"]);
    }

    [Fact]
    public void ManyReconnectsWithRepeatedAndReorderedDeliveryHandOutEveryEventOnceInOrder()
    {
        var random = new Random(42);
        var tracker = LiveAt(0);
        var handedOut = new List<long>();
        const long Total = 500;
        long published = 0;
        while (tracker.LastSeq < Total)
        {
            // The server: replay from the tracker's position (what a resubscribe does), with old and live events mixed in.
            var request = tracker.BeginSubscribe();
            published = Math.Min(Total, published + random.Next(1, 40));
            var from = request.AfterSeq!.Value;
            var wire = Enumerable.Range(1, (int)(published - from)).Select(i => from + i)
                .Concat(Enumerable.Range(0, 5).Select(_ => (long)random.Next(1, (int)published + 1)))
                .OrderBy(_ => random.Next()).ToList();
            var early = random.Next(wire.Count + 1);
            foreach (var seq in wire.Take(early))
            {
                handedOut.AddRange(tracker.Receive(Event(seq)).Notices.Seqs());
            }

            handedOut.AddRange(tracker.Complete(request.Attempt, Recovered(published, (int)(published - from))).Notices.Seqs());
            foreach (var seq in wire.Skip(early).Order())
            {
                handedOut.AddRange(tracker.Receive(Event(seq)).Notices.Seqs());
            }

            if (random.Next(3) == 0)
            {
                tracker.ConnectionLost();
            }
        }

        handedOut.ShouldBe(Enumerable.Range(1, (int)Total).Select(i => (long)i));
    }
}

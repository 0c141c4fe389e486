using Fanout.Presence.Relay;
using Fanout.PresenceStore;
using Fanout.Testing;

namespace Fanout.UnitTests.Presence;

public sealed class JoinLeaveCoalescerTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void UnderTheRateEveryTransitionIsSentAsItComesEvenAJoinAndLeaveTogether()
    {
        var coalescer = new JoinLeaveCoalescer(_clock);

        coalescer.Add(Join("room", "alice"), perSecond: 10);
        coalescer.Add(Leave("room", "alice"), perSecond: 10);

        coalescer.Drain().Select(Describe).ShouldBe(["alice join", "alice leave"]);
        coalescer.Drain().ShouldBeEmpty();
    }

    [Fact]
    public void OverTheRateWaitingJoinAndLeavePairsCancelOutAndOddRunsAreSentOnceAsTheirNet()
    {
        var coalescer = new JoinLeaveCoalescer(_clock);

        coalescer.Add(Join("room", "a"), perSecond: 2);
        coalescer.Add(Join("room", "b"), perSecond: 2);
        coalescer.Add(Join("room", "c"), perSecond: 2); // over the burst of 2: waits
        coalescer.Add(Leave("room", "c"), perSecond: 2);
        coalescer.Add(Leave("room", "a"), perSecond: 2);
        coalescer.Add(Join("room", "a"), perSecond: 2);
        coalescer.Add(Leave("room", "a"), perSecond: 2);

        coalescer.Drain().Select(Describe).ShouldBe(["a join", "b join"]);
        _clock.Advance(TimeSpan.FromSeconds(1));
        coalescer.Drain().Select(Describe).ShouldBe(["a leave"], "c's join+leave cancel out, a's leave+join+leave nets to leave");
        coalescer.WaitingRooms.ShouldBe(0);
    }

    [Fact]
    public void WaitingMessagesGoOutAtTheRoomsRate()
    {
        var coalescer = new JoinLeaveCoalescer(_clock);
        for (var i = 0; i < 10; i++)
        {
            coalescer.Add(Join("room", $"user-{i}"), perSecond: 4);
        }

        coalescer.Drain().Count.ShouldBe(4);
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        coalescer.Drain().Select(Describe).ShouldBe(["user-4 join", "user-5 join"]);
        _clock.Advance(TimeSpan.FromSeconds(5));
        coalescer.Drain().Count.ShouldBe(4, "at most one second's burst at once");
        coalescer.WaitingRooms.ShouldBe(0);
    }

    [Fact]
    public void EachRoomHasItsOwnBucketAndAWaitingUsersOrderIsKept()
    {
        var coalescer = new JoinLeaveCoalescer(_clock);

        coalescer.Add(Join("busy", "x"), perSecond: 1);
        coalescer.Add(Join("busy", "y"), perSecond: 1);
        coalescer.Add(Join("busy", "z"), perSecond: 1);
        coalescer.Add(Join("calm", "x"), perSecond: 1);

        coalescer.Drain().Select(t => $"{t.Room}/{t.UserId}").ShouldBe(["busy/x", "calm/x"]);
        _clock.Advance(TimeSpan.FromSeconds(1));
        coalescer.Drain().Select(t => $"{t.Room}/{t.UserId}").ShouldBe(["busy/y"]);
        _clock.Advance(TimeSpan.FromSeconds(1));
        coalescer.Drain().Select(t => $"{t.Room}/{t.UserId}").ShouldBe(["busy/z"]);
    }

    [Fact]
    public void WhateverTheInterleavingEachUserAlternatesInWhatIsSent()
    {
        var random = new Random(7);
        var coalescer = new JoinLeaveCoalescer(_clock);
        var present = new HashSet<string>();
        var sent = new List<PresenceTransition>();
        for (var step = 0; step < 5_000; step++)
        {
            var user = $"user-{random.Next(20)}";
            coalescer.Add(present.Add(user) ? Join("room", user) : Leave("room", user, present.Remove(user)), perSecond: 5);
            if (random.Next(10) == 0)
            {
                _clock.Advance(TimeSpan.FromMilliseconds(random.Next(500)));
                sent.AddRange(coalescer.Drain());
            }
        }

        _clock.Advance(TimeSpan.FromMinutes(10));
        for (var i = 0; i < 100 && coalescer.WaitingRooms > 0; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            sent.AddRange(coalescer.Drain());
        }

        foreach (var user in sent.GroupBy(t => t.UserId))
        {
            var actions = user.Select(t => t.Action).ToList();
            actions.ShouldBe(actions.Select((_, i) => i % 2 == 0 ? PresenceAction.Join : PresenceAction.Leave).ToList(), user.Key);
            (actions[^1] == PresenceAction.Join).ShouldBe(present.Contains(user.Key), $"{user.Key}'s last message matches their state");
        }
    }

    private PresenceTransition Join(string room, string user) => new(room, user, PresenceAction.Join, _clock.GetUtcNow());

    private PresenceTransition Leave(string room, string user, bool _ = true) => new(room, user, PresenceAction.Leave, _clock.GetUtcNow());

    private static string Describe(PresenceTransition t) => $"{t.UserId} {t.Action.ToString().ToLowerInvariant()}";
}

using System.Text.Json;
using Fanout.Contracts.Messages;
using Fanout.Messaging.Submission;
using Fanout.Testing;

namespace Fanout.UnitTests.Messaging;

public sealed class SubmitLaneTests
{
    [Fact]
    public async Task AnIdleLanePublishesASubmissionAtOnceAndAlone()
    {
        var broker = new ScriptedBroker();
        var lane = new SubmitLane(broker.PublishAsync, maxBatchEvents: 100, maxBatchBytes: 1 << 20);

        var first = Pending(1);
        lane.Submit(first);

        broker.Messages.Count.ShouldBe(1); // published on the caller's thread, no wait
        broker.ConfirmNext();
        await first.Confirmed.WaitAsync(TimeSpan.FromSeconds(5));
        broker.Messages[0].ShouldBe([first]);
    }

    [Fact]
    public async Task SubmissionsArrivingWhileAMessageIsInFlightLeaveTogetherInTheNextInArrivalOrder()
    {
        var broker = new ScriptedBroker();
        var lane = new SubmitLane(broker.PublishAsync, maxBatchEvents: 100, maxBatchBytes: 1 << 20);
        var first = Pending(1);
        lane.Submit(first);

        var waiting = Enumerable.Range(0, 5).Select(_ => Pending(2)).ToList();
        waiting.ForEach(lane.Submit);
        lane.Waiting.ShouldBe(5);
        broker.Messages.Count.ShouldBe(1); // one message in flight per lane
        waiting.ShouldAllBe(p => !p.Confirmed.IsCompleted);

        broker.ConfirmNext();
        await first.Confirmed.WaitAsync(TimeSpan.FromSeconds(5));
        await broker.WaitForMessagesAsync(2);
        broker.Messages[1].ShouldBe(waiting);
        broker.ConfirmNext();
        await Task.WhenAll(waiting.Select(p => p.Confirmed)).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task WithTwoInFlightASecondMessageLeavesWhileTheFirstIsUnconfirmedAndTheRestWaitForEither()
    {
        var broker = new ScriptedBroker();
        var lane = new SubmitLane(broker.PublishAsync, maxBatchEvents: 100, maxBatchBytes: 1 << 20, maxInFlight: 2);
        var first = Pending(1);
        var second = Pending(1);
        lane.Submit(first);
        lane.Submit(second);

        broker.Messages.Count.ShouldBe(2); // both published at once, neither confirmed
        var waiting = Enumerable.Range(0, 3).Select(_ => Pending(1)).ToList();
        waiting.ForEach(lane.Submit);
        lane.Waiting.ShouldBe(3);
        broker.Messages.Count.ShouldBe(2);

        broker.ConfirmNext();
        await first.Confirmed.WaitAsync(TimeSpan.FromSeconds(5));
        await broker.WaitForMessagesAsync(3);
        broker.Messages[2].ShouldBe(waiting); // the three share the next message, in arrival order
        broker.ConfirmNext();
        broker.ConfirmNext();
        await Task.WhenAll(waiting.Append(second).Select(p => p.Confirmed)).WaitAsync(TimeSpan.FromSeconds(5));
        lane.Waiting.ShouldBe(0);
    }

    [Fact]
    public void FewerThanOneMessageInFlightIsRefused() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new SubmitLane(_ => Task.CompletedTask, 100, 1 << 20, maxInFlight: 0));

    [Fact]
    public async Task AMessageHoldsAtMostTheEventAndByteLimitsButASingleLargerSubmissionStillGoes()
    {
        var broker = new ScriptedBroker();
        var lane = new SubmitLane(broker.PublishAsync, maxBatchEvents: 4, maxBatchBytes: 100);
        lane.Submit(Pending(1));
        var twoAndTwo = new[] { Pending(2), Pending(2) };
        var three = Pending(3);
        var large = Pending(1, dataBytes: 500);
        var small = Pending(1);
        foreach (var p in twoAndTwo.Append(three).Append(large).Append(small))
        {
            lane.Submit(p);
        }

        for (var i = 1; i <= 4; i++)
        {
            broker.ConfirmNext();
            await broker.WaitForMessagesAsync(i + 1);
        }

        broker.Messages[1].ShouldBe(twoAndTwo); // 2 + 2 events; the 3 would make 7
        broker.Messages[2].ShouldBe([three]);   // 3 events; the large one would pass 100 bytes
        broker.Messages[3].ShouldBe([large]);   // alone, larger than the limit
        broker.Messages[4].ShouldBe([small]);
    }

    [Fact]
    public async Task AFailedMessageFailsEverySubmissionInItAndTheLaneGoesOn()
    {
        var broker = new ScriptedBroker();
        var lane = new SubmitLane(broker.PublishAsync, maxBatchEvents: 100, maxBatchBytes: 1 << 20);
        var first = Pending(1);
        lane.Submit(first);
        var sharing = new[] { Pending(1), Pending(1) };
        foreach (var p in sharing)
        {
            lane.Submit(p);
        }

        broker.ConfirmNext();
        await broker.WaitForMessagesAsync(2);
        var later = Pending(1);
        lane.Submit(later);
        broker.FailNext(new InvalidOperationException("nacked"));

        foreach (var p in sharing)
        {
            (await Should.ThrowAsync<InvalidOperationException>(() => p.Confirmed)).Message.ShouldBe("nacked");
        }

        await broker.WaitForMessagesAsync(3);
        broker.Messages[2].ShouldBe([later]);
        broker.ConfirmNext();
        await later.Confirmed.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ASubmissionAbandonedBeforeItsMessageLeftIsNeverPublished()
    {
        var broker = new ScriptedBroker();
        var lane = new SubmitLane(broker.PublishAsync, maxBatchEvents: 100, maxBatchBytes: 1 << 20);
        var first = Pending(1);
        lane.Submit(first);
        var abandoned = Pending(1);
        var kept = Pending(1);
        lane.Submit(abandoned);
        lane.Submit(kept);

        abandoned.TryAbandon().ShouldBeTrue();
        broker.ConfirmNext();
        await broker.WaitForMessagesAsync(2);

        broker.Messages[1].ShouldBe([kept]);
        first.TryAbandon().ShouldBeFalse(); // already taken into a message
    }

    [Fact]
    public async Task APublishThatThrowsAtOnceFailsItsSubmissionsWithoutStoppingTheLane()
    {
        var calls = 0;
        var lane = new SubmitLane(_ => ++calls == 1 ? throw new InvalidOperationException("no channel") : Task.CompletedTask, 100, 1 << 20);
        var first = Pending(1);
        lane.Submit(first);
        await Should.ThrowAsync<InvalidOperationException>(() => first.Confirmed);

        var second = Pending(1);
        lane.Submit(second);
        await second.Confirmed.WaitAsync(TimeSpan.FromSeconds(5));
        calls.ShouldBe(2);
    }

    private static PendingSubmission Pending(int events, int dataBytes = 10) =>
        new(Enumerable.Range(0, events).Select(_ => new SubmittedEvent(Guid.NewGuid(), "room", "t", JsonDocument.Parse("1").RootElement, DateTimeOffset.UnixEpoch)).ToList(),
            dataBytes, default);

    /// <summary>A broker whose confirms the test gives one by one, in publish order.</summary>
    private sealed class ScriptedBroker
    {
        private readonly List<TaskCompletionSource> _confirms = [];
        private readonly Lock _gate = new();
        private int _answered;

        public List<IReadOnlyList<PendingSubmission>> Messages { get; } = [];

        public Task PublishAsync(IReadOnlyList<PendingSubmission> batch)
        {
            var confirm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                Messages.Add([.. batch]); // the lane reuses its list
                _confirms.Add(confirm);
            }

            return confirm.Task;
        }

        public void ConfirmNext() => Next().SetResult();

        public void FailNext(Exception exception) => Next().SetException(exception);

        public Task WaitForMessagesAsync(int count) =>
            Eventually.HoldsAsync(() =>
            {
                lock (_gate)
                {
                    return Task.FromResult(Messages.Count >= count);
                }
            }, $"{count} messages published");

        private TaskCompletionSource Next()
        {
            lock (_gate)
            {
                return _confirms[_answered++];
            }
        }
    }
}

using Fanout.Contracts.Messages;
using Fanout.Sequencer;
using Fanout.Sequencer.Committing;
using Fanout.Testing;
using RabbitMQ.Client;
using static Fanout.IntegrationTests.Sequencer.CommitterHarness;

namespace Fanout.IntegrationTests.Sequencer;

/// <summary>
/// Batches the committer cannot finish: nothing it did not store may be acknowledged (a later cumulative ack on the same
/// channel included), and what a closed channel gives back to the broker is stored in the broker's order.
/// </summary>
public sealed class InterruptedBatchTests
{
    [Fact]
    public async Task AnInterruptedOneByOneStoreIsNeverAcknowledgedByTheNextBatchOnItsChannel()
    {
        var refused = Event("r", "refused");
        var flaky = Event("r");
        var later = Event("r");
        var store = new ScriptedStore();
        var flakyFailed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.FailWith = events =>
        {
            // The first time the flaky event is tried alone (after its batch was refused), PostgreSQL is unreachable.
            if (events.Count == 1 && events[0].Id == flaky.Id && !flakyFailed.Task.IsCompleted)
            {
                flakyFailed.TrySetResult();
                return Task.FromResult<Exception?>(ScriptedStore.Transient());
            }

            return Task.FromResult<Exception?>(null);
        };
        await using var harness = await CreateAsync("interrupted", store);
        await using var channel = await harness.OpenChannelAsync();
        await PublishAsync(channel, new EventSubmission([refused]), new EventSubmission([flaky]));
        harness.Inbox.Add(await TakeAsync(channel));
        harness.Inbox.Add(await TakeAsync(channel));

        await harness.Committer.StartAsync(CancellationToken.None);
        await Eventually.WithinAsync(flakyFailed.Task.ContinueWith(_ => true, TaskScheduler.Default), "the flaky event's store failed once");
        await PublishAsync(channel, new EventSubmission([later]));
        harness.Inbox.Add(await TakeAsync(channel));

        await Eventually.HoldsAsync(() => store.Stored.ContainsKey(later.Id), "the next batch is stored");
        var left = await harness.StopAndCountUnacknowledgedAsync(channel);
        if (!store.Stored.ContainsKey(flaky.Id))
        {
            left.ShouldBe(1u, "an acknowledged event was never stored: the next batch's cumulative ack covered it");
        }

        store.Stored.ContainsKey(flaky.Id).ShouldBeTrue("the flaky event is stored once PostgreSQL answers again");
        left.ShouldBe(0u, "every message is acknowledged");
        store.Stored.Values.OrderBy(e => e.Seq).Select(e => e.Id).ShouldBe([flaky.Id, later.Id]);
        (await harness.DrainAsync(DeadLetterQueue.QueueName)).SelectMany(d => d.Events).Select(e => e.Id).ShouldBe([refused.Id], "the refused event is dead-lettered");
    }

    [Fact]
    public async Task AfterAChannelClosesDuringATransientFailureSeqsFollowPublishOrder()
    {
        var events = new[] { Event("r"), Event("r"), Event("r") };
        var store = new ScriptedStore();
        await using var harness = await CreateAsync("closed-channel", store, new SequencerOptions { MaxBatchEvents = 2 });
        var first = await harness.OpenChannelAsync();
        await PublishAsync(first, [.. events.Select(e => new EventSubmission([e]))]);
        foreach (var _ in events)
        {
            harness.Inbox.Add(await TakeAsync(first));
        }

        // The first store fails while the channel closes: its three deliveries go back to the queue, in order.
        var failedOnce = false;
        store.FailWith = async _ =>
        {
            if (failedOnce)
            {
                return null;
            }

            failedOnce = true;
            await first.CloseAsync();
            return ScriptedStore.Transient();
        };
        await harness.Committer.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => failedOnce && !first.IsOpen, "the first store failed and its channel is closed");

        // The intake's next channel gets them again.
        await using var second = await harness.OpenChannelAsync();
        foreach (var _ in events)
        {
            harness.Inbox.Add(await TakeAsync(second));
        }

        await Eventually.HoldsAsync(() => store.Stored.Count == 3, "all three are stored");
        (await harness.StopAndCountUnacknowledgedAsync(second)).ShouldBe(0u, "every message is acknowledged");
        events.Select(e => store.Stored[e.Id].Seq).ShouldBe([1L, 2L, 3L], "seqs in publish order");
        await first.DisposeAsync();
    }
}

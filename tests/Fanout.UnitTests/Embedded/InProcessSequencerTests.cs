using System.Diagnostics.Metrics;
using System.Text.Json;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Fanout.Embedded.Sequencing;
using Fanout.History;
using Fanout.Messaging;
using Fanout.Sequencer.Routing;
using Fanout.Sequencer.Tracing;
using Fanout.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.Embedded;

/// <summary>
/// The embedded sequencer's queue and group commit, over a history writer the test holds (the SQLite writer itself has
/// its spec in the integration tests): what waits during a commit goes into the next one, a failed commit fails every
/// request in it and stores nothing, a full queue refuses at once, a stop commits what is queued.
/// </summary>
public sealed class InProcessSequencerTests : IAsyncLifetime
{
    private readonly HeldWriter _writer = new();
    private readonly RecordingRouter _router = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private InProcessSequencer _sequencer = null!;

    public async Task InitializeAsync()
    {
        _sequencer = Create(maxQueuedEvents: 100);
        await _sequencer.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _writer.ReleaseAll();
        await _sequencer.StopAsync(CancellationToken.None);
        _sequencer.Dispose();
        await _services.DisposeAsync();
    }

    private InProcessSequencer Create(int maxQueuedEvents) => new(
        _writer, _router, _services.GetRequiredService<IMeterFactory>(),
        Options.Create(new InProcessSequencerOptions { MaxBatchEvents = 500, MaxQueuedEvents = maxQueuedEvents }),
        NullLogger<InProcessSequencer>.Instance);

    private static List<SubmittedEvent> Events(string room, int count) =>
        Enumerable.Range(0, count).Select(n => new SubmittedEvent(EventIds.New(), room, "t", JsonSerializer.SerializeToElement(n), DateTimeOffset.UtcNow)).ToList();

    [Fact]
    public async Task RequestsArrivingDuringACommitAreStoredTogetherInTheNextOneAndAnsweredOnlyAfterIt()
    {
        var first = _sequencer.SubmitAsync(Events("a", 1), CancellationToken.None);
        await _writer.WaitForCallsAsync(1);
        var waiting = Enumerable.Range(0, 5).Select(i => _sequencer.SubmitAsync(Events($"r{i}", 2), CancellationToken.None)).ToList();
        await Eventually.HoldsAsync(() => Task.FromResult(_sequencer.QueuedEvents == 11), "all six requests queued");

        _writer.Release(1);
        await first;
        await _writer.WaitForCallsAsync(2);
        waiting.ShouldAllBe(t => !t.IsCompleted, "nothing is answered before its commit");
        _writer.Release(2);
        await Task.WhenAll(waiting);

        _writer.Calls.Select(c => c.Count).ShouldBe([1, 10], "one commit for the five waiting requests");
        await Eventually.HoldsAsync(() => Task.FromResult(_router.Count == 11), "every committed event routed");
        _sequencer.QueuedEvents.ShouldBe(0);
    }

    [Fact]
    public async Task AFailedCommitFailsEveryRequestInItAndTheNextCommitGoesOn()
    {
        var first = _sequencer.SubmitAsync(Events("a", 1), CancellationToken.None);
        await _writer.WaitForCallsAsync(1);
        var second = _sequencer.SubmitAsync(Events("b", 1), CancellationToken.None);
        var third = _sequencer.SubmitAsync(Events("c", 1), CancellationToken.None);
        await Eventually.HoldsAsync(() => Task.FromResult(_sequencer.QueuedEvents == 3), "three requests queued");

        _writer.Fail(1, new IOException("disk full"));
        (await Should.ThrowAsync<SubmissionUnavailableException>(() => first)).Message.ShouldContain("disk full");
        await _writer.WaitForCallsAsync(2);
        _writer.Release(2);
        await Task.WhenAll(second, third);

        await Eventually.HoldsAsync(() => Task.FromResult(_router.Count == 2), "the second commit routed (after its answers)");
        _router.Rooms.ShouldBe(["b", "c"], "only what was committed is routed");
    }

    [Fact]
    public async Task AFullQueueRefusesAtOnceButARequestFindingItEmptyIsAlwaysTaken()
    {
        var big = _sequencer.SubmitAsync(Events("big", 150), CancellationToken.None);
        await _writer.WaitForCallsAsync(1);

        var refused = await Should.ThrowAsync<SubmissionUnavailableException>(() => _sequencer.SubmitAsync(Events("over", 1), CancellationToken.None));

        refused.Message.ShouldContain("Sequencer:MaxQueuedEvents");
        _writer.ReleaseAll();
        await big;
        await _sequencer.SubmitAsync(Events("after", 1), CancellationToken.None);
        _writer.Calls.Select(c => c[0].Room).ShouldBe(["big", "after"], "the refused request was never queued");
    }

    [Fact]
    public async Task StoppingCommitsEveryQueuedRequestBeforeItReturns()
    {
        var first = _sequencer.SubmitAsync(Events("a", 1), CancellationToken.None);
        await _writer.WaitForCallsAsync(1);
        var queued = Enumerable.Range(0, 3).Select(i => _sequencer.SubmitAsync(Events($"s{i}", 1), CancellationToken.None)).ToList();
        await Eventually.HoldsAsync(() => Task.FromResult(_sequencer.QueuedEvents == 4), "four requests queued");

        var stopping = _sequencer.StopAsync(CancellationToken.None);
        (await Should.ThrowAsync<SubmissionUnavailableException>(() => _sequencer.SubmitAsync(Events("late", 1), CancellationToken.None)))
            .Message.ShouldContain("stopping");
        _writer.ReleaseAll();
        await stopping;

        _writer.Calls.Sum(c => c.Count).ShouldBe(4, "every queued request was committed before the stop returned");
        await Eventually.WithinAsync(Task.WhenAll(queued.Append(first)).ContinueWith(_ => true, TaskScheduler.Default), "the requests answered");
        queued.Append(first).ShouldAllBe(t => t.IsCompletedSuccessfully);
    }

    /// <summary>A writer whose calls wait until the test releases (or fails) them, in order.</summary>
    private sealed class HeldWriter : ISequencedHistoryWriter
    {
        private readonly Lock _lock = new();
        private readonly List<TaskCompletionSource> _gates = [];
        private readonly List<Exception?> _outcomes = [];
        private bool _released;

        public List<IReadOnlyList<SubmittedEvent>> Calls { get; } = [];

        public async Task<IReadOnlyList<RoomEvent>> AppendAsync(IReadOnlyList<SubmittedEvent> events, CancellationToken cancellationToken)
        {
            TaskCompletionSource gate;
            int index;
            lock (_lock)
            {
                Calls.Add([.. events]);
                index = Calls.Count - 1;
                gate = Gate(index);
                if (_released)
                {
                    gate.TrySetResult();
                }
            }

            await gate.Task;
            lock (_lock)
            {
                if (_outcomes.Count > index && _outcomes[index] is { } failure)
                {
                    throw failure;
                }
            }

            return [.. events.Select((e, i) => new RoomEvent(e.Room, i + 1, "epoch", e.Id, e.Type, e.Data, e.PublishedAt))];
        }

        public Task WaitForCallsAsync(int count) =>
            Eventually.HoldsAsync(() => Task.FromResult(CallCount >= count), $"{count} commits started");

        public void Release(int call) => Complete(call - 1, null);

        public void Fail(int call, Exception failure) => Complete(call - 1, failure);

        public void ReleaseAll()
        {
            lock (_lock)
            {
                _released = true;
                for (var i = 0; i < Calls.Count; i++)
                {
                    Gate(i).TrySetResult();
                }
            }
        }

        private int CallCount
        {
            get
            {
                lock (_lock)
                {
                    return Calls.Count;
                }
            }
        }

        private void Complete(int index, Exception? failure)
        {
            lock (_lock)
            {
                while (_outcomes.Count <= index)
                {
                    _outcomes.Add(null);
                }

                _outcomes[index] = failure;
                Gate(index).TrySetResult();
            }
        }

        private TaskCompletionSource Gate(int index)
        {
            while (_gates.Count <= index)
            {
                _gates.Add(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }

            return _gates[index];
        }
    }

    private sealed class RecordingRouter : IRoomEventRouter
    {
        private readonly List<RoomEvent> _routed = [];

        public int Count
        {
            get
            {
                lock (_routed)
                {
                    return _routed.Count;
                }
            }
        }

        public List<string> Rooms
        {
            get
            {
                lock (_routed)
                {
                    return [.. _routed.Select(e => e.Room)];
                }
            }
        }

        public Task RouteAsync(IReadOnlyList<RoomEvent> committed, BatchTrace trace, CancellationToken cancellationToken)
        {
            lock (_routed)
            {
                _routed.AddRange(committed);
            }

            return Task.CompletedTask;
        }
    }
}

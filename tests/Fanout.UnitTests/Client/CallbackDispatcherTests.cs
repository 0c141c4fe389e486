using Fanout.Client;
using Fanout.Testing;

namespace Fanout.UnitTests.Client;

public sealed class CallbackDispatcherTests
{
    [Fact]
    public async Task CallbacksRunOneAtATimeInTheOrderTheyWerePosted()
    {
        var seen = new List<int>();
        var dispatcher = new CallbackDispatcher((_, _) => { });
        for (var i = 0; i < 1000; i++)
        {
            var n = i;
            dispatcher.Post(() => seen.Add(n));
        }

        await dispatcher.DisposeAsync();

        seen.ShouldBe(Enumerable.Range(0, 1000));
    }

    [Fact]
    public async Task ACallbackThatThrowsIsReportedWithItsRoomAndTheNextOneStillRuns()
    {
        var errors = new List<(string Message, string? Room)>();
        var ran = false;
        var dispatcher = new CallbackDispatcher((ex, room) => errors.Add((ex.Message, room)));

        dispatcher.Post(() => throw new InvalidOperationException("handler bug"), "chat:lobby");
        dispatcher.Post(() => throw new InvalidOperationException("no room"));
        dispatcher.Post(() => ran = true);
        await dispatcher.DisposeAsync();

        errors.ShouldBe([("handler bug", "chat:lobby"), ("no room", null)]);
        ran.ShouldBeTrue();
    }

    [Fact]
    public async Task AnErrorHandlerThatThrowsDoesNotStopTheLoop()
    {
        var ran = false;
        var dispatcher = new CallbackDispatcher((_, _) => throw new InvalidOperationException("error handler bug"));

        dispatcher.Post(() => throw new InvalidOperationException("handler bug"));
        dispatcher.Post(() => ran = true);
        await dispatcher.DisposeAsync();

        ran.ShouldBeTrue();
    }

    [Fact]
    public async Task DisposingFromInsideACallbackDoesNotDeadlock()
    {
        CallbackDispatcher? dispatcher = null;
        var disposed = new TaskCompletionSource();
        dispatcher = new CallbackDispatcher((_, _) => { });
        dispatcher.Post(() => dispatcher.DisposeAsync().AsTask().ContinueWith(_ => disposed.SetResult(), TaskScheduler.Default));

        await Eventually.WithinAsync(disposed.Task.ContinueWith(_ => true, TaskScheduler.Default), "dispose from a callback");
    }
}

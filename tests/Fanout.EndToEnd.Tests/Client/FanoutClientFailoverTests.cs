using Fanout.Testing;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Client;

/// <summary>The .NET client loses its node while events are published, and recovers by itself.</summary>
[Collection(ClientStackCollection.Name)]
public sealed class FanoutClientFailoverTests(ClientStackFixture fixture) : IAsyncLifetime
{
    private const int Published = 150;

    public Task InitializeAsync() => fixture.RestartStoppedNodesAsync();

    public Task DisposeAsync() => fixture.RestartStoppedNodesAsync();

    [Fact]
    public async Task AClientWhoseNodeIsKilledWhilePublishingGoesOnFailsOverAndGetsEveryEventOnceInOrder()
    {
        var room = $"killed:{Guid.NewGuid():N}"[..20];
        await using var probe = await ClientProbe.ConnectAsync(fixture.Stack, 0, 1);
        probe.Client.CurrentHubUrl.ShouldBe(fixture.Stack.HubUrl(0));
        await probe.SubscribeAsync(room);

        await PublishWhileAsync(room, probe, () => fixture.Stack.Nodes[0].KillAsync());

        await AssertEveryEventOnceInOrderAsync(room, probe);
        probe.Client.CurrentHubUrl.ShouldBe(fixture.Stack.HubUrl(1));
        probe.Connections.Select(c => c.HubUrl).ShouldBe([fixture.Stack.HubUrl(0), fixture.Stack.HubUrl(1)]);
        probe.TokenRequests.ShouldBeGreaterThanOrEqualTo(2, "the token provider is asked again on the reconnect");
    }

    [Fact]
    public async Task AClientWhoseNodeShutsDownGracefullyIsSentToTheOtherNodeAndRecoversWhileTheNodeExitsWithinItsDrainTime()
    {
        var room = $"drained:{Guid.NewGuid():N}"[..20];
        await using var probe = await ClientProbe.ConnectAsync(fixture.Stack, 1, 0);
        await probe.SubscribeAsync(room);

        // SIGTERM: the node drains (Realtime:Drain:TimeoutMs = 3 s in this stack) and exits; StopAsync kills it after 20 s.
        var stopTook = TimeSpan.Zero;
        await PublishWhileAsync(room, probe, async () =>
        {
            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await fixture.Stack.Nodes[1].StopAsync();
            stopTook = stopping.Elapsed;
        });
        fixture.Stack.Nodes[1].IsRunning.ShouldBeFalse();
        stopTook.ShouldBeLessThan(TimeSpan.FromSeconds(18), "it exits by itself within its drain time plus its own stop");

        await AssertEveryEventOnceInOrderAsync(room, probe);
        probe.Client.CurrentHubUrl.ShouldBe(fixture.Stack.HubUrl(0));
        probe.Disconnections.ShouldContain(d => d.Error != null && d.Error.Message.Contains("server shutting down"),
            "the node told its client why it closed the connection");
    }

    /// <summary>Publishes <see cref="Published"/> events one after another and runs <paramref name="breakNode"/> a third of the way in.</summary>
    private async Task PublishWhileAsync(string room, ClientProbe probe, Func<Task> breakNode)
    {
        var publisher = Task.Run(async () =>
        {
            for (var i = 1; i <= Published; i++)
            {
                await fixture.Ingest.PublishAsync(room, "msg", new { i });
            }
        });
        await probe.WaitForAsync(room, Published / 3);
        await breakNode();
        await Eventually.WithinAsync(
            publisher.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), "publishing");
    }

    /// <summary>
    /// Every published event arrived once, in order, and the room was recovered. A marker published last proves that
    /// no late duplicate is still on its way: anything before it has arrived by the time it does.
    /// </summary>
    private async Task AssertEveryEventOnceInOrderAsync(string room, ClientProbe probe)
    {
        await fixture.Ingest.PublishAsync(room, "marker", null);
        await probe.WaitForAsync(room, Published + 1, TimeSpan.FromSeconds(60));

        probe.Events(room).Select(e => e.Seq).ShouldBe(Enumerable.Range(1, Published + 1).Select(i => (long)i));
        probe.Events(room)[^1].Type.ShouldBe("marker");
        await Eventually.HoldsAsync(() => probe.Recovered.Any(r => r.Room == room), $"Recovered raised for {room}");
        probe.Resets.ShouldBeEmpty();
    }
}

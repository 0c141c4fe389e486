using Fanout.Contracts.Wire;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Fanout.Testing.SignalR;
using Fanout.Testing.Stack;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Fanout.EndToEnd.Tests;

/// <summary>The hub's <c>History(room, after, limit)</c>: a page of stored history for whoever may subscribe to the room.</summary>
[Collection(SharedStackCollection.Name)]
public sealed class HistoryHubTests(SharedStackFixture fixture)
{
    [Fact]
    public async Task AClientAllowedToSubscribeReadsAPageOfHistoryWithoutSubscribing()
    {
        var room = $"hist:{Guid.NewGuid():N}"[..18];
        for (var i = 1; i <= 3; i++)
        {
            await fixture.Ingest.PublishAsync(room, "note", new { i });
        }

        await fixture.Ingest.WaitForStoredAsync(room, 3);
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);

        var page = await Eventually.WithinAsync(client.Connection.InvokeAsync<RoomHistoryResponse>("History", room, 1L, 1), "History");
        page.Room.ShouldBe(room);
        page.LastSeq.ShouldBe(3);
        page.Events.Select(e => e.Seq).ShouldBe([2L]);

        var all = await Eventually.WithinAsync(client.Connection.InvokeAsync<RoomHistoryResponse>("History", room, null, null), "History");
        all.Events.Select(e => e.Seq).ShouldBe([1L, 2L, 3L]);
        all.Epoch.ShouldBe(page.Epoch);
    }

    [Fact]
    public async Task AClientWithoutThePermissionToSubscribeIsRefusedAndBadArgumentsAreNamed()
    {
        var token = TestTokens.Create("history-user", FanoutStack.SigningKey, claims: new Dictionary<string, object> { ["rooms"] = new[] { "open:*" } });
        await using var connection = TestHubConnections.Create(fixture.Stack.HubUrl(0), () => Task.FromResult<string?>(token));
        await Eventually.WithinAsync(connection.StartAsync().ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), "connect");

        (await Should.ThrowAsync<HubException>(() => connection.InvokeAsync<RoomHistoryResponse>("History", "secret:x", null, null)))
            .Message.ShouldContain("History: not allowed to subscribe to room 'secret:x'");
        (await Should.ThrowAsync<HubException>(() => connection.InvokeAsync<RoomHistoryResponse>("History", "open:x", null, 5000)))
            .Message.ShouldContain("History: limit must be from 1 to 1000");
        (await connection.InvokeAsync<RoomHistoryResponse>("History", "open:x", null, null)).Events.ShouldBeEmpty();
    }
}

using Fanout.Contracts.Wire;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Presence;

/// <summary>Join/leave turned off for a room pattern, and coalesced over a room's rate.</summary>
public sealed class JoinLeaveSettingsTests() : StackLifetime(new StackOptions
{
    Sequencers = 1,
    RealtimeNodes = 1,
    Partitions = 2,
    Settings = new Dictionary<string, string>
    {
        ["PresenceService:JoinLeave:Rooms:0:Pattern"] = "quiet:*",
        ["PresenceService:JoinLeave:Rooms:0:Enabled"] = "false",
        ["PresenceService:JoinLeave:Rooms:1:Pattern"] = "busy:*",
        ["PresenceService:JoinLeave:Rooms:1:MaxPerSecond"] = "2",
    },
})
{
    [Fact]
    public async Task RoomsMatchingADisabledPatternGetNoJoinOrLeaveButStillHavePresence()
    {
        await using var watcher = await RecordingClient.ConnectAsync(Stack, 0, "watcher");
        await watcher.SubscribeAsync("quiet:lobby");
        await watcher.SubscribeAsync("loud:lobby");

        await using (var user = await RecordingClient.ConnectAsync(Stack, 0, "user-1"))
        {
            await user.SubscribeAsync("quiet:lobby");
            await user.SubscribeAsync("loud:lobby");
        }

        // One relay publishes every room's messages in order: once the loud room's leave is here, the quiet room's
        // would be too.
        await Eventually.HoldsAsync(() => watcher.PresenceMessages("loud:lobby").Any(m => m is { UserId: "user-1", Action: PresenceMessage.Leave }),
            "the loud room's join and leave arrive");
        watcher.PresenceMessages("quiet:lobby").ShouldBeEmpty();
        var stats = await new PresenceApi(Ingest.Http).StatsAsync("quiet:lobby");
        stats.Users.ShouldBe(1, "presence itself is kept for quiet rooms (the watcher)");
    }

    [Fact]
    public async Task ABurstOverTheRoomsRateIsCoalescedAndEachUserStillAlternates()
    {
        const string room = "busy:lobby";
        await using var watcher = await RecordingClient.ConnectAsync(Stack, 0, "watcher");
        await watcher.SubscribeAsync(room);

        // 20 users join and leave at once (40 transitions) against a rate of 2 per second; then one stays.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            await using var user = await RecordingClient.ConnectAsync(Stack, 0, $"burst-{i:D2}");
            await user.SubscribeAsync(room);
        }));
        await using var stayer = await RecordingClient.ConnectAsync(Stack, 0, "stayer");
        await stayer.SubscribeAsync(room);

        await Eventually.HoldsAsync(() => watcher.PresenceMessages(room).Any(m => m.UserId == "stayer"), "the stayer's join arrives");
        var messages = watcher.PresenceMessages(room);
        messages.Count(m => m.UserId != "stayer").ShouldBeLessThan(40, "waiting join+leave pairs cancel out");
        foreach (var user in messages.GroupBy(m => m.UserId))
        {
            var actions = user.Select(m => m.Action).ToList();
            actions.ShouldBe(actions.Select((_, i) => i % 2 == 0 ? PresenceMessage.Join : PresenceMessage.Leave).ToList(), $"{user.Key} alternates");
        }
    }
}

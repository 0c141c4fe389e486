using Fanout.Realtime.Connections;
using Fanout.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.Realtime;

public sealed class OutboxHubLifetimeManagerTests
{
    private readonly OutboxHubLifetimeManager<GroupsTestHub> _manager = new(
        NullLogger<DefaultHubLifetimeManager<GroupsTestHub>>.Instance,
        NullLogger<OutboxHubLifetimeManager<GroupsTestHub>>.Instance,
        Options.Create(new SlowConsumerOptions()),
        new Fanout.Realtime.Memory.OutboxBudget(Options.Create(new Fanout.Realtime.Memory.MemoryBudgetOptions())),
        new NodeConnections());

    [Fact]
    public async Task GroupSendReachesItsMembersOnlyUntilTheyLeave()
    {
        var (member, other) = (await ConnectAsync("member"), await ConnectAsync("other"));
        await _manager.AddToGroupAsync("member", "room:a");

        await _manager.SendGroupAsync("room:a", "event", ["first"]);
        await _manager.RemoveFromGroupAsync("member", "room:a");
        await _manager.SendGroupAsync("room:a", "event", ["second"]);

        var sent = "";
        await Eventually.HoldsAsync(() => (sent += member.ReadSent()).Contains("first"), "the member got the group send");
        sent.ShouldNotContain("second");
        other.ReadSent().ShouldBeEmpty();
    }

    [Fact]
    public async Task ADisconnectedConnectionLeavesItsGroupsAndIsNotAddedAgain()
    {
        var (leaving, staying) = (await ConnectAsync("leaving"), await ConnectAsync("staying"));
        await _manager.AddToGroupAsync("leaving", "room:a");
        await _manager.AddToGroupAsync("staying", "room:a");

        await _manager.OnDisconnectedAsync(leaving);
        await _manager.AddToGroupAsync("leaving", "room:b");
        await _manager.SendGroupsAsync(["room:a", "room:b"], "event", ["after"]);

        await Eventually.HoldsAsync(() => staying.ReadSent().Contains("after"), "the remaining member got the group send");
        leaving.ReadSent().ShouldBeEmpty();
    }

    private async Task<PipeHubConnection> ConnectAsync(string id)
    {
        var connection = PipeHubConnection.Create(id);
        await _manager.OnConnectedAsync(connection);
        return connection;
    }

    public sealed class GroupsTestHub : Hub;
}

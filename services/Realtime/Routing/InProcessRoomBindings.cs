namespace Fanout.Realtime.Routing;

/// <summary>
/// <see cref="IRoomBindings"/> when the sequencer runs in this process (the embedded mode): every committed event is
/// handed to this node's <see cref="InProcessNodeInbox"/>, so a binding is always in place and costs nothing. The
/// registry still drops the traffic of rooms without members here.
/// </summary>
public sealed class InProcessRoomBindings : IRoomBindings
{
    public Task<bool> BindAsync(string room, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task UnbindAsync(string room, CancellationToken cancellationToken) => Task.CompletedTask;
}

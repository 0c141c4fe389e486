namespace Fanout.Realtime.Routing;

/// <summary>
/// Tells the broker which rooms this node wants traffic for (the routing seam, node side).
/// Guarantee: once <see cref="BindAsync"/> returns, every event of the room committed afterwards is routed to this
/// node while the binding holds. Bindings are restored after a broker reconnect; events routed while they were
/// missing are filled from history by the room's catch-up.
/// </summary>
public interface IRoomBindings
{
    /// <summary>True when the binding is in place; false when the broker is unreachable (it is retried on reconnect).</summary>
    Task<bool> BindAsync(string room, CancellationToken cancellationToken);

    Task UnbindAsync(string room, CancellationToken cancellationToken);
}

using Fanout.Contracts.Messages;

namespace Fanout.Presence.Relay;

/// <summary>Sends join/leave messages to the nodes that own subscribers of their room.</summary>
public interface IPresencePublisher
{
    /// <summary>Publishes the messages in order (one message per room, changes in the given order).</summary>
    Task PublishAsync(IReadOnlyList<RoomPresenceChanged> changes, CancellationToken cancellationToken);
}

namespace Fanout.Client;

/// <summary>
/// Receives one room's events. Called on the client's single callback loop, one call at a time, events in
/// <c>seq</c> order, each once; a handler that throws is reported through <see cref="FanoutClient.Error"/> and the next
/// event still comes. Keep handlers short: the next callback waits for the current one.
/// </summary>
public interface IRoomHandler
{
    /// <summary>The room's next event.</summary>
    void OnEvent(FanoutEvent roomEvent);

    /// <summary>A user joined or left the room.</summary>
    void OnPresence(PresenceChange change)
    {
    }
}

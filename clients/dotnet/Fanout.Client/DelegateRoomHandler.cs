namespace Fanout.Client;

/// <summary>An <see cref="IRoomHandler"/> made of delegates.</summary>
internal sealed class DelegateRoomHandler(Action<FanoutEvent> onEvent, Action<PresenceChange>? onPresence) : IRoomHandler
{
    public void OnEvent(FanoutEvent roomEvent) => onEvent(roomEvent);

    public void OnPresence(PresenceChange change) => onPresence?.Invoke(change);
}

namespace Fanout.Client;

/// <summary>The names of the hub's methods and server-to-client messages (docs/protocol.md, SignalR hub).</summary>
internal static class HubMethods
{
    public const string Subscribe = "Subscribe";
    public const string Unsubscribe = "Unsubscribe";
    public const string Publish = "Publish";
    public const string Presence = "Presence";
    public const string PresenceStats = "PresenceStats";
    public const string History = "History";
    public const string EventMessage = "event";
    public const string PresenceMessage = "presence";
}

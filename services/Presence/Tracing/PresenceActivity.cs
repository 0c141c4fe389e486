using System.Diagnostics;

namespace Fanout.Presence.Tracing;

/// <summary>The presence service's spans: <c>publish fanout.rooms</c> per room's relayed join/leave message.</summary>
public static class PresenceActivity
{
    public static readonly ActivitySource Source = new("Fanout.Presence");
}

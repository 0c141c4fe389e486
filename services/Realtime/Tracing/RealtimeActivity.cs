using System.Diagnostics;

namespace Fanout.Realtime.Tracing;

/// <summary>The node's spans: <c>process fanout.rooms</c> per routed message (events or presence) taken from its queue.</summary>
public static class RealtimeActivity
{
    public static readonly ActivitySource Source = new("Fanout.Realtime");
}

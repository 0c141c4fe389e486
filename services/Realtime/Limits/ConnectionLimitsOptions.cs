using System.ComponentModel.DataAnnotations;

namespace Fanout.Realtime.Limits;

/// <summary>Per-connection and per-user limits of a realtime node (section <c>Realtime:Limits</c>).</summary>
public sealed class ConnectionLimitsOptions
{
    public const string SectionName = "Realtime:Limits";

    /// <summary>Hub <c>Publish</c> calls per second one connection may make on average (token bucket refill rate).</summary>
    [Range(1, 100_000)]
    public int PublishPerSecond { get; set; } = 50;

    /// <summary>Hub <c>Publish</c> calls one connection may make at once after being idle (token bucket size).</summary>
    [Range(1, 100_000)]
    public int PublishBurst { get; set; } = 100;

    /// <summary>Hub <c>Subscribe</c> calls per second one connection may make on average.</summary>
    [Range(1, 100_000)]
    public int SubscribePerSecond { get; set; } = 20;

    /// <summary>Hub <c>Subscribe</c> calls one connection may make at once after being idle (a reconnect resubscribes every room).</summary>
    [Range(1, 100_000)]
    public int SubscribeBurst { get; set; } = 200;

    /// <summary>Rooms one connection may be subscribed to at the same time.</summary>
    [Range(1, 100_000)]
    public int MaxSubscriptionsPerConnection { get; set; } = 200;

    /// <summary>
    /// Connections this node holds at most; one more is refused at connect (hub error 106, the connection closes, the
    /// client tries again, through the load balancer perhaps another node). Default 100,000.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxConnections { get; set; } = 100_000;

    /// <summary>Connections one user (token <c>sub</c>) may hold open on one node at the same time.</summary>
    [Range(1, 100_000)]
    public int MaxConnectionsPerUser { get; set; } = 20;
}

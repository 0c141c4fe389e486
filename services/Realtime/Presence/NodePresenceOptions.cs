using System.ComponentModel.DataAnnotations;

namespace Fanout.Realtime.Presence;

/// <summary>How a realtime node takes part in presence (section <c>Realtime:Presence</c>).</summary>
public sealed class NodePresenceOptions
{
    public const string SectionName = "Realtime:Presence";

    /// <summary>
    /// The access-token claim that holds the user's display name, shown in the room's members. Empty: no names.
    /// </summary>
    [MaxLength(256)]
    public string NameClaim { get; set; } = "name";

    /// <summary>The address this node reports in its heartbeat (for <c>GET /v1/nodes</c>). Default: the first address it listens on.</summary>
    [MaxLength(512)]
    public string? Address { get; set; }
}

using System.ComponentModel.DataAnnotations;

namespace Fanout.Messaging;

/// <summary>
/// Limits on an event's <c>data</c>, the same on every path that accepts events (HTTP and hub), so every Ingest and
/// realtime process of a cluster must use the same values.
/// </summary>
public sealed class EventLimitsOptions
{
    public const string SectionName = "Events";

    /// <summary>Largest <c>data</c> of one event, in bytes of compact UTF-8 JSON.</summary>
    [Range(1, 16 * 1024 * 1024)]
    public int MaxDataBytes { get; set; } = Fanout.Contracts.Validation.EventDataRules.DefaultMaxBytes;

    /// <summary>
    /// Deepest nesting of one event's <c>data</c>, in levels (each object or array is one level). At most 200, so that
    /// broker messages (<see cref="MessageSerializer.MaxDepth"/>) always have room for their own levels around it.
    /// </summary>
    [Range(1, 200)]
    public int MaxDataDepth { get; set; } = Fanout.Contracts.Validation.EventDataRules.DefaultMaxDepth;
}

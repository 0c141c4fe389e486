using System.Text.Json;

namespace Fanout.Client;

/// <summary>
/// One event of a room, as the hub's <c>event</c> message carries it. <paramref name="Seq"/> is its position in the
/// room (1, 2, 3 … with no gap within <paramref name="Epoch"/>, one lifetime of the room's history).
/// </summary>
public sealed record FanoutEvent(
    string Room,
    long Seq,
    string Epoch,
    string Id,
    string Type,
    JsonElement Data,
    DateTimeOffset PublishedAt);

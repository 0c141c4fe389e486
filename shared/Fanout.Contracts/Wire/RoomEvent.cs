using System.Text.Json;

namespace Fanout.Contracts.Wire;

/// <summary>
/// One sequenced event as clients see it (hub <c>event</c> message, history API).
/// <paramref name="Seq"/> is the room's sequence number (1, 2, 3 … with no gaps within an epoch).
/// </summary>
public sealed record RoomEvent(
    string Room,
    long Seq,
    string Epoch,
    Guid Id,
    string Type,
    JsonElement Data,
    DateTimeOffset PublishedAt);

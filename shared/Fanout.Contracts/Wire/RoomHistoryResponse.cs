using System.Text.Json.Serialization;

namespace Fanout.Contracts.Wire;

/// <summary>Answer to <c>GET /v1/rooms/{room}/events</c>: oldest first.</summary>
public sealed record RoomHistoryResponse(
    string Room,
    string Epoch,
    long LastSeq,
    IReadOnlyList<RoomEvent> Events,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RoomRetentionResponse? Retention = null);

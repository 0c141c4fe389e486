using System.Text.Json;

namespace Fanout.Contracts.Wire;

/// <summary>Body of <c>POST /v1/broadcast</c>: one event to 1–1000 rooms.</summary>
public sealed record BroadcastRequest(IReadOnlyList<string>? Rooms, string? Type, JsonElement Data)
{
    public const int MaxRooms = 1000;
}

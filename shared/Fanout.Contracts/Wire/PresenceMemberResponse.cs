using System.Text.Json.Serialization;

namespace Fanout.Contracts.Wire;

/// <summary>One member of a room: the user, how many of their connections hold the room, since when, and their name if known.</summary>
public sealed record PresenceMemberResponse(
    string UserId,
    int Connections,
    DateTimeOffset JoinedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name);

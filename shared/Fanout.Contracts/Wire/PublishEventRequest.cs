using System.Text.Json;

namespace Fanout.Contracts.Wire;

/// <summary>Body of <c>POST /v1/rooms/{room}/events</c>.</summary>
public sealed record PublishEventRequest(string? Type, JsonElement Data);

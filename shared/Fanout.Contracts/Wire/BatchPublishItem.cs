using System.Text.Json;

namespace Fanout.Contracts.Wire;

/// <summary>One item of a batch publish.</summary>
public sealed record BatchPublishItem(string? Room, string? Type, JsonElement Data, string? IdempotencyKey);

using System.Text.Json;

namespace Fanout.Ingest.Requests;

/// <summary>
/// A validated event that is not submitted yet. <paramref name="Data"/> is compact and owns its memory;
/// <paramref name="IdempotencyKey"/> is null when the client sent none.
/// </summary>
public sealed record EventDraft(string Room, string Type, JsonElement Data, string? IdempotencyKey);

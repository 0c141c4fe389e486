using System.Text.Json;

namespace Fanout.Contracts.Messages;

/// <summary>
/// An accepted, not yet sequenced event. <paramref name="Data"/> is already validated and compact.
/// <paramref name="PublishedAt"/> is when it was accepted.
/// </summary>
public sealed record SubmittedEvent(Guid Id, string Room, string Type, JsonElement Data, DateTimeOffset PublishedAt);

namespace Fanout.Client;

/// <summary>One user present in a room: how many connections it has there, since when, and its display name if known.</summary>
public sealed record PresenceMember(string UserId, int Connections, DateTimeOffset JoinedAt, string? Name);

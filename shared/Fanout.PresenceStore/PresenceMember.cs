namespace Fanout.PresenceStore;

/// <summary>A user in a room: how many of their connections (on any node) hold it, since when, and their name.</summary>
public sealed record PresenceMember(string UserId, int Connections, DateTimeOffset JoinedAt, string? Name);

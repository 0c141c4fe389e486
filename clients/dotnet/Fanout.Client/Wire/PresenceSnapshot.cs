namespace Fanout.Client;

/// <summary>The answer of the hub's <c>Presence(room)</c>: who is in the room now.</summary>
public sealed record PresenceSnapshot(string Room, int Count, IReadOnlyList<PresenceMember> Members);

using Fanout.Contracts.Validation;

namespace Fanout.Ingest.Auth;

/// <summary>
/// A configured key as authentication uses it: its name, hash, room patterns, whether it may delete, and rate limit;
/// never the key.
/// </summary>
public sealed class ApiKey(string name, byte[] hash, IReadOnlyList<string> rooms, ApiKeyLimit limit, bool allowDestructive = false)
{
    public const string EveryRoom = "*";

    public string Name { get; } = name;

    /// <summary>SHA-256 of the key (<see cref="ApiKeyHash"/>).</summary>
    public byte[] Hash { get; } = hash;

    /// <summary>The room patterns the key may use (<see cref="RoomPattern"/>), never empty.</summary>
    public IReadOnlyList<string> Rooms { get; } = rooms.Count == 0 ? [EveryRoom] : rooms;

    public ApiKeyLimit Limit { get; } = limit;

    /// <summary>Whether the key may do destructive operations (<c>Ingest:ApiKeys:{i}:AllowDestructive</c>).</summary>
    public bool AllowDestructive { get; } = allowDestructive;

    /// <summary>Whether a pattern of the key matches every room (<c>*</c>).</summary>
    public bool MayUseEveryRoom => Rooms.Any(pattern => pattern.All(c => c == '*'));

    public bool MayUse(string room) => Rooms.Any(pattern => RoomPattern.Matches(pattern, room));
}
